"""One JSON shape for every error: {"error": {"code", "message", "field"}}."""

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException

from billing_app.errors import BillingError, TooManyRequests
from billing_app.models.inputs import readable_error
from billing_app.services.clients import PossibleDuplicate
from billing_app.services.invoices import CreditLimitExceeded

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}
_SPECIFIC_CODES: dict[type[BillingError], str] = {CreditLimitExceeded: "credit_limit_exceeded",
                                                   PossibleDuplicate: "possible_duplicate"}
"""Refusals a client may want to handle apart from others of the same status."""


def error_response(status_code: int, message: str, field: str | None = None,
                   headers: dict[str, str] | None = None, code: str | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if status_code == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    body = {"error": {"code": code or _CODES.get(status_code, "error"), "message": message,
                      "field": field}}
    return JSONResponse(body, status_code=status_code, headers=headers)


def _readable(error: dict) -> tuple[str, str | None]:
    """Message and field of one pydantic error; the location's head (body, query...) is dropped."""
    if error.get("type") == "json_invalid":
        return "The request body is not valid JSON.", None
    where = (error.get("loc") or ("request",))[0]
    message, field, _words = readable_error(error, skip=1)
    if field is None:
        return f"{str(where).capitalize()}: {message}", None
    return message, field


async def _billing_error(_request: Request, exc: BillingError) -> JSONResponse:
    code = next((code for kind, code in _SPECIFIC_CODES.items() if isinstance(exc, kind)), None)
    headers = ({"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests)
               else None)
    return error_response(exc.status_code, exc.message, exc.field, headers=headers, code=code)


async def _request_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
    message, field = _readable(exc.errors()[0])
    return error_response(422, message, field)


async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return error_response(exc.status_code, message, headers=exc.headers)


async def _data_rejected(_request: Request, exc: DataError) -> JSONResponse:
    """The database refused a value (out of range, NUL byte...): the input was bad."""
    log.warning("database rejected a value: %s", exc.orig)
    return error_response(
        422, "A value is out of range or contains characters that are not allowed.")


async def _integrity(_request: Request, exc: IntegrityError) -> JSONResponse:
    """Usually two requests racing past the same uniqueness check."""
    log.warning("integrity error: %s", exc.orig)
    return error_response(
        409, "This conflicts with data that was saved in the meantime. Try again.")


async def _unexpected(_request: Request, _exc: Exception) -> JSONResponse:
    # Starlette re-raises the exception after this response, so the server logs the traceback.
    return error_response(500, "Something went wrong on our side. Please try again later.")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(BillingError, _billing_error)
    app.add_exception_handler(RequestValidationError, _request_invalid)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DataError, _data_rejected)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(Exception, _unexpected)
