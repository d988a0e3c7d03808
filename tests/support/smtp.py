"""A real SMTP server (aiosmtpd) on loopback for tests: it keeps every message it accepts and
can be told to refuse (4xx/5xx) or be stopped and started again on the same port.

Use the session fixture `smtp_server` (import it into a conftest) and point the app and the
worker at it with `smtp_server.env()`; call `smtp_server.clear()` at the start of a test.
"""

import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests.support.servers import free_port


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.server.refusal:
            return self.server.refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.server.lock:
            self.server.messages.append(message)
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        self.messages: list[EmailMessage] = []
        self.refusal: str | None = None  # e.g. "451 4.3.0 Try later" or "550 5.1.1 No such user"
        self.lock = threading.Lock()
        self._controller: Controller | None = None
        self.start()

    def env(self) -> dict[str, str]:
        return {"SMTP_HOST": self.host, "SMTP_PORT": str(self.port), "SMTP_SECURITY": "none"}

    def start(self) -> None:
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
        self.refusal = None

    def wait_for(self, count: int, timeout: float = 60) -> list[EmailMessage]:
        """The messages, once at least `count` arrived; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.1)
        raise AssertionError(f"{len(self.messages)} of {count} messages arrived in {timeout}s")

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


def pdf_attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    return [(part.get_filename(), part.get_content()) for part in message.iter_attachments()
            if part.get_content_type() == "application/pdf"]


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer()
    yield server
    server.stop()
