"""Company settings and logo (admins), and the company's public face (no sign-in)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import FileResponse
from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.types import Message

from billing_app.api.company_schemas import CompanyPatch, CompanySettingsOut
from billing_app.api.deps import DbSession, requires
from billing_app.api.shapes import attributes
from billing_app.auth.permissions import Action
from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.company import Company
from billing_app.models.users import User
from billing_app.queries.company import (
    CompanyPublic,
    company_public,
    company_settings,
    current_company,
)
from billing_app.services.company import company_update
from billing_app.services.logo import MAX_BYTES, company_remove_logo, company_set_logo, logo_path

Admin = Annotated[User, Depends(requires(Action.SETTINGS_MANAGE))]

MAX_UPLOAD = MAX_BYTES + 512 * 1024
"""The most a logo request may send: the largest logo and room for the form around it."""
TOO_LARGE = "The upload is too large: a logo may be at most 1 MB."
LOGO_FIELD = "file"
_LOGO_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": [LOGO_FIELD],
    "properties": {LOGO_FIELD: {"type": "string", "format": "binary",
                                "description": "A PNG, JPEG or WebP image of at most 1 MB."}},
}}}}}


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


async def _body_within(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it says or proves to be longer than `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, TOO_LARGE)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, TOO_LARGE)
    return bytes(body)


def _replaying(body: bytes):
    """An ASGI receive that hands out an already read body."""

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def uploaded_logo(request: Request) -> Upload:
    """The file of the multipart field "file", read with the size capped."""
    body = await _body_within(request, MAX_UPLOAD)
    async with Request(request.scope, _replaying(body)).form(max_files=1, max_fields=10) as form:
        file = form.get(LOGO_FIELD)
        if not isinstance(file, UploadFile):
            raise ValidationFailed(f'Send the logo as a multipart/form-data file field named '
                                   f'"{LOGO_FIELD}".', field=LOGO_FIELD)
        return Upload(filename=file.filename or "", content=await file.read())


def _settings(session: Session, company: Company) -> CompanySettingsOut:
    return CompanySettingsOut.model_validate({**attributes(company, CompanySettingsOut),
                                              "logo_url": company_public(session).logo_url})


settings = APIRouter(prefix="/company", tags=["company"])


@settings.get("")
def company_get(session: DbSession, actor: Admin) -> CompanySettingsOut:
    """Every setting, tax id and contact details included."""
    return _settings(session, company_settings(session, actor=actor))


@settings.patch("")
def company_change(body: CompanyPatch, session: DbSession, actor: Admin) -> CompanySettingsOut:
    """Change the settings given; the others keep their value."""
    return _settings(session, company_update(session, actor=actor,
                                             data=body.model_dump(exclude_unset=True)))


@settings.put("/logo", openapi_extra=_LOGO_BODY)
def company_logo_set(actor: Admin, logo: Annotated[Upload, Depends(uploaded_logo)],
                     session: DbSession) -> CompanySettingsOut:
    """Upload the logo as the multipart field "file"; bigger requests than about 1.5 MB get 413."""
    company = company_set_logo(session, actor=actor, filename=logo.filename, content=logo.content)
    return _settings(session, company)


@settings.delete("/logo", status_code=status.HTTP_204_NO_CONTENT)
def company_logo_remove(session: DbSession, actor: Admin) -> None:
    company_remove_logo(session, actor=actor)


public = APIRouter(prefix="/public/company", tags=["public"])


@public.get("")
def company_public_get(session: DbSession) -> CompanyPublic:
    """The company's name, postal address and logo URL; no sign-in needed."""
    return company_public(session)


@public.get("/logo", response_class=FileResponse, responses={404: {}})
def company_logo(session: DbSession) -> FileResponse:
    """The logo image; no sign-in needed."""
    path = logo_path(current_company(session))
    if path is None:
        raise NotFound("The company has no logo.")
    return FileResponse(path, headers={"X-Content-Type-Options": "nosniff"})


router = APIRouter()
router.include_router(settings)
router.include_router(public)
