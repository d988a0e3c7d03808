"""Structured logs: one JSON object per line on stdout (and, when LOG_TO_FILE is set, in a
rotating file under the data directory), each with the request id and user id of the request
that wrote it. Secrets never reach a handler: a filter blanks password, token, secret, cookie
and code values in the message and in extra fields, and secret-looking parameters of a URL.

The web server's own access lines (uvicorn's, granian's) are dropped: RequestContext
(api/request_log.py) writes one JSON line for every HTTP request, pages and assets included,
without the query string where a reset link's token lives.
"""

import logging
import re
import sys
from contextvars import ContextVar
from logging.handlers import RotatingFileHandler
from typing import TextIO

from pythonjsonlogger.json import JsonFormatter

from billing_app.settings import get_settings

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
user_id: ContextVar[str | None] = ContextVar("user_id", default=None)

REDACTED = "[redacted]"
_SECRET_NAME = re.compile(r"pass(word)?|token|secret|cookie|authori[sz]ation|totp|api_?key",
                          re.IGNORECASE)
_SECRET_TEXT = [
    # name=value, name: value, "name": "value" for secret-sounding names
    re.compile(r"""(?P<name>["']?[\w-]*(?:pass(?:word)?|token|secret|cookie|totp|api[_-]?key)"""
               r"""[\w-]*["']?\s*[=:]\s*)(?P<value>"[^"]*"|'[^']*'|[^\s&,;]+)""",
               re.IGNORECASE),
    re.compile(r"(?P<name>\bBearer\s+)(?P<value>[\w.~+/=-]+)", re.IGNORECASE),
    re.compile(r"(?P<name>)(?P<value>\beyJ[\w-]+\.[\w-]+\.[\w-]+)"),  # a JWT anywhere
    re.compile(r"(?P<name>://[^:/@\s]*:)(?P<value>[^@\s]+)(?=@)"),  # a password in a URL
    # ?code=...&key=...: a one-time code, a key or a signature in a query string
    re.compile(r"(?P<name>[?&][\w.-]*(?:code|key|sig)[\w.-]*=)(?P<value>[^&#\s\"']+)", re.IGNORECASE),
]
_SERVER_ACCESS_LOGGERS = ("uvicorn.access", "granian.access")
_FILE_BYTES, _FILE_COUNT = 10_000_000, 5
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def redact(text: str) -> str:
    for pattern in _SECRET_TEXT:
        text = pattern.sub(lambda m: f"{m.group('name')}{REDACTED}", text)
    return text


class _Context(logging.Filter):
    """Adds the request id and user id of the current request, and blanks secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.user_id = user_id.get()
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = redact(message), None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        for name in set(vars(record)) - _STANDARD:
            if _SECRET_NAME.search(name) and name not in ("request_id", "user_id"):
                setattr(record, name, REDACTED)
        return True


def _formatter() -> JsonFormatter:
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
        rename_fields={"asctime": "timestamp", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
    )


def configure_logging(stream: TextIO | None = None) -> None:
    """JSON lines on `stream` (stdout), plus the rotating file when LOG_TO_FILE is set.

    Replaces what an earlier call installed, so calling it again (a test, a second app) is safe.
    """
    settings = get_settings()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_billing_app", False)]:
        root.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [logging.StreamHandler(stream or sys.stdout)]
    if settings.log_to_file:
        folder = settings.data_dir / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        handlers.append(RotatingFileHandler(folder / "billing.log", maxBytes=_FILE_BYTES,
                                            backupCount=_FILE_COUNT, encoding="utf-8"))
    for handler in handlers:
        handler._billing_app = True
        handler.setFormatter(_formatter())
        handler.addFilter(_Context())
        root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in _SERVER_ACCESS_LOGGERS:
        logging.getLogger(name).addFilter(_drop)  # once: addFilter skips a filter it has


def _drop(record: logging.LogRecord) -> bool:
    """A filter on the server's access logger rather than its level or handlers: the server
    applies its own logging config after the app has done this, which replaces handlers and
    levels but keeps a logger's filters."""
    return False
