"""Every HTTP request (API and pages) gets a request id: the caller's X-Request-ID when it is
a plain token, else a new one. It is sent back in X-Request-ID, and every log line written
while the request runs carries it, with the user id a bearer token names. One access line
per request: method, path (never the query string: a reset link's token lives there), status,
duration."""

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from billing_app import log_setup
from billing_app.api.protection import HttpMiddleware, bearer_subject

HEADER = "X-Request-ID"
_ACCEPTED = re.compile(r"^[\w.:-]{1,100}$")
log = logging.getLogger("billing_app.http")


class RequestContext(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        given = headers.get(HEADER, "")
        request_id = given if _ACCEPTED.match(given) else uuid.uuid4().hex
        id_token = log_setup.request_id.set(request_id)
        user_token = log_setup.user_id.set(bearer_subject(headers))
        started, status = time.monotonic(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info("%s %s %s", scope["method"], scope["path"], status,
                     extra={"method": scope["method"], "path": scope["path"], "status": status,
                            "duration_ms": round((time.monotonic() - started) * 1000, 1)})
            log_setup.user_id.reset(user_token)
            log_setup.request_id.reset(id_token)
