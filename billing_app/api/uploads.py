"""Files sent as multipart/form-data, with the request's size capped while it is read: a body
that says or proves to be too long is refused (413) before it is all in memory."""

from dataclasses import dataclass

from fastapi import HTTPException, Request, status
from starlette.datastructures import UploadFile
from starlette.types import Message

from billing_app.errors import ValidationFailed

FILE_FIELD = "file"
FORM_ROOM = 512 * 1024
"""What a request may send beyond its largest file: the multipart framing and text fields."""


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    fields: dict[str, str]  # the form's text fields that were sent and not blank


def multipart_body(description: str, **text_fields: str) -> dict:
    """The OpenAPI request body of an upload (the route reads the form itself, and refuses
    fields it does not know)."""
    properties = {FILE_FIELD: {"type": "string", "format": "binary", "description": description},
                  **{name: {"type": "string", "description": text}
                     for name, text in text_fields.items()}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": [FILE_FIELD], "properties": properties,
        "additionalProperties": False}}}}}


async def _body_within(request: Request, limit: int, too_large: str) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, too_large)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, too_large)
    return bytes(body)


def _replaying(body: bytes):
    """An ASGI receive that hands out an already read body."""

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def read_upload(request: Request, *, max_file_bytes: int, too_large: str, what: str,
                      text_fields: tuple[str, ...] = ()) -> Upload:
    """The file of the multipart field "file" (`what` names it in the error) and the text
    fields named; any other field is refused."""
    body = await _body_within(request, max_file_bytes + FORM_ROOM, too_large)
    async with Request(request.scope, _replaying(body)).form(
            max_files=1, max_fields=len(text_fields) + 10) as form:
        file = form.get(FILE_FIELD)
        if not isinstance(file, UploadFile):
            raise ValidationFailed(f'Send {what} as a multipart/form-data file field named '
                                   f'"{FILE_FIELD}".', field=FILE_FIELD)
        fields = {}
        for name, value in form.multi_items():
            if name == FILE_FIELD:
                continue
            if name not in text_fields:
                known = ", ".join(f'"{known}"' for known in (FILE_FIELD, *text_fields))
                raise ValidationFailed(f'Unknown field "{name}": send {known}.', field=name)
            if value.strip():  # a text: with max_files=1, the one file is "file"
                fields[name] = value.strip()
        return Upload(filename=file.filename or "", content=await file.read(), fields=fields)
