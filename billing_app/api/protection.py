"""ASGI middleware in front of everything the process serves (API, sign-in, Reflex's upload
endpoint and pages): security headers, request size caps before any authentication, and
per-address and per-user rate limits on the API.

Installed on the FastAPI app, which mounts Reflex below itself, so nothing passes around it.
"""

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from billing_app.api.errors import error_response
from billing_app.api.peer import client_address
from billing_app.auth.throttle import api_request_wait
from billing_app.auth.tokens import token_subject
from billing_app.domain.statements.records import MAX_FILE_BYTES as STATEMENT_MAX_BYTES
from billing_app.services.logo import MAX_BYTES as LOGO_MAX_BYTES
from billing_app.settings import get_settings

API_PATHS = "/api/v1/"
HEALTH_PATH = "/api/v1/health"
"""Probed by the orchestrator: not counted, so it answers even when Redis (the counters) is down."""
WEBHOOK_PATHS = "/api/v1/gateway/"
DOCS_PATH = "/api/docs"
MULTIPART_OVERHEAD = 1024 * 1024
"""Room for the form's other fields and part headers around the largest file."""

_PAGE_CSP = ("default-src 'self'; "
             # Reflex's runtime evaluates rx.call_script code and its build inlines bootstrap
             # scripts, so scripts are limited to this origin, not to hashes.
             "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
             "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
             "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
             "object-src 'none'")
_DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
             "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
             "img-src 'self' data: https://fastapi.tiangolo.com; frame-ancestors 'none'; "
             "base-uri 'self'; object-src 'none'")
_API_CSP = "default-src 'none'; frame-ancestors 'none'"


def _content_security_policy(path: str, content_type: bytes) -> bytes | None:
    """Pages get the policy Reflex can live with, JSON allows nothing; files (PDFs, zips) get
    none, since a policy on a PDF can stop the browser's own viewer from showing it."""
    if content_type.startswith(b"text/html"):
        return (_DOCS_CSP if path.startswith(DOCS_PATH) else _PAGE_CSP).encode()
    if content_type.startswith(b"application/json"):
        return _API_CSP.encode()
    return None


class HttpMiddleware:
    """Websockets (Reflex's events) pass untouched; each subclass handles HTTP requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class SecurityHeaders(HttpMiddleware):
    """CSP (no framing), nosniff, a same-origin referrer, and HSTS when served over HTTPS."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        always = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]
        if urlsplit(get_settings().app_url).scheme == "https":
            always.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                present = {name.lower(): value for name, value in headers}
                added = list(always)
                policy = _content_security_policy(scope["path"],
                                                  present.get(b"content-type", b"").lower())
                if policy is not None:
                    added += [(b"content-security-policy", policy), (b"x-frame-options", b"DENY")]
                message["headers"] = [*headers, *[(k, v) for k, v in added if k not in present]]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without Content-Length grows past its cap."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


def body_cap(path: str, content_type: str) -> tuple[int, str]:
    """Largest body for a request, and the refusal: small for the webhook, per file for uploads."""
    settings = get_settings()
    if path.startswith(WEBHOOK_PATHS):
        cap = settings.max_webhook_body_bytes
    elif content_type.startswith("multipart/form-data"):
        largest = max(STATEMENT_MAX_BYTES, LOGO_MAX_BYTES)
        return (largest + MULTIPART_OVERHEAD,
                f"The upload is too large: a file may be at most {largest // 1024 // 1024} MB.")
    else:
        cap = settings.max_json_body_bytes
    return cap, f"The request body is too large: at most {cap:,} bytes are accepted here."


class BodySizeLimit(HttpMiddleware):
    """413 before the app reads (or authenticates) a body over its cap.

    A declared Content-Length is refused at once; a chunked body is counted as it arrives.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        cap, refusal = body_cap(scope["path"], headers.get("content-type", ""))
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await error_response(413, refusal)(scope, receive, send)
            return
        if declared is not None:
            await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > cap:
                raise BodyTooLarge(refusal)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge as refused:
            if started:
                raise
            await error_response(413, refused.detail)(scope, receive, send)


def bearer_subject(headers: Headers) -> str | None:
    """The user id a bearer token names (signature checked, not yet whether it is revoked)."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token_subject(token.strip()) if scheme.lower() == "bearer" and token else None


class ApiRateLimit(HttpMiddleware):
    """429 with Retry-After when an address or a user sends more API requests than allowed."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not scope["path"].startswith(API_PATHS) or scope["path"] == HEALTH_PATH:
            await self.app(scope, receive, send)
            return
        client, headers = scope.get("client"), Headers(scope=scope)
        address = client_address(client[0] if client else None, headers.get("x-forwarded-for"))
        wait = api_request_wait(address, bearer_subject(headers))
        if wait:
            response = error_response(
                429, f"Too many requests. Please wait {wait} seconds and try again.",
                headers={"Retry-After": str(wait)})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
