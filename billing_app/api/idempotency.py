"""`Idempotency-Key` on POST requests of the API: a retried create makes one record.

A client that did not hear the answer (a timeout, a dropped connection) sends the same request
with the same key again and gets the first answer, marked `Idempotent-Replayed: true`.
Requests without the header, or without a bearer token, pass through untouched.
"""

import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

from billing_app.api.errors import error_response
from billing_app.api.protection import API_PATHS, WEBHOOK_PATHS, HttpMiddleware, bearer_subject
from billing_app.db import session_scope
from billing_app.models.base import utcnow
from billing_app.services.idempotency import (
    MAX_KEY_LENGTH,
    Claim,
    idempotency_claim,
    idempotency_complete,
    idempotency_release,
)

HEADER = "idempotency-key"
NOT_KEYED = (WEBHOOK_PATHS, f"{API_PATHS}auth/")  # the webhook has event ids; sign-in is not a create


def _claim(user_id: int, key: str, request_hash: str) -> Claim:
    with session_scope() as session:
        return idempotency_claim(session, user_id=user_id, key=key, request_hash=request_hash,
                                 now=utcnow())


def _finish(record_id: int, status_code: int, body: bytes) -> None:
    with session_scope() as session:
        if status_code >= 500:
            idempotency_release(session, record_id=record_id)
        else:
            idempotency_complete(session, record_id=record_id, status_code=status_code, body=body)


async def _read_body(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


class IdempotentPosts(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        key, path = headers.get(HEADER), scope["path"]
        subject = bearer_subject(headers) if key is not None else None
        if scope["method"] != "POST" or key is None or not path.startswith(API_PATHS) \
                or path.startswith(NOT_KEYED) or subject is None or not subject.isdigit():
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= MAX_KEY_LENGTH:
            response = error_response(422, f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} characters.",
                                      field="Idempotency-Key")
            await response(scope, receive, send)
            return
        body = await _read_body(receive)
        request_hash = hashlib.sha256(path.encode() + b"\n" + body).hexdigest()
        claim = await run_in_threadpool(_claim, int(subject), key, request_hash)
        if claim.problem:
            await error_response(*claim.problem, field="Idempotency-Key")(scope, receive, send)
            return
        if claim.replay:
            replay = claim.replay
            await Response(replay.response_body, status_code=replay.status_code,
                           media_type="application/json",
                           headers={"Idempotent-Replayed": "true"})(scope, receive, send)
            return
        await self._first_time(scope, body, send, claim.record_id)

    async def _first_time(self, scope: Scope, body: bytes, send: Send, record_id: int) -> None:
        """Run the request, store its answer, and only then send it: a client that retries the
        moment it hears the answer finds the answer stored, not a request in progress."""
        delivered = False
        answer: list[Message] = []

        async def replay_body() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def hold(message: Message) -> None:
            answer.append(message)

        try:
            await self.app(scope, replay_body, hold)
        except Exception:
            await run_in_threadpool(_finish, record_id, 500, b"")
            raise
        status = next((m["status"] for m in answer if m["type"] == "http.response.start"), 500)
        content = b"".join(m.get("body", b"") for m in answer if m["type"] == "http.response.body")
        await run_in_threadpool(_finish, record_id, status, content)
        for message in answer:
            await send(message)
