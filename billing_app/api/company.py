"""Company settings and logo (admins), and the company's public face (no sign-in)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import FileResponse
from sqlmodel import Session

from billing_app.api.company_schemas import CompanyPatch, CompanySettingsOut
from billing_app.api.deps import DbSession, requires
from billing_app.api.shapes import attributes
from billing_app.api.uploads import Upload, multipart_body, read_upload
from billing_app.auth.permissions import Action
from billing_app.errors import NotFound
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

TOO_LARGE = "The upload is too large: a logo may be at most 1 MB."
_LOGO_BODY = multipart_body("A PNG, JPEG or WebP image of at most 1 MB.")


async def uploaded_logo(request: Request) -> Upload:
    """The file of the multipart field "file", read with the size capped."""
    return await read_upload(request, max_file_bytes=MAX_BYTES, too_large=TOO_LARGE,
                             what="the logo")


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
