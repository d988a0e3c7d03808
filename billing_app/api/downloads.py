"""Files the browser UI downloads with a plain link, signed in by its session cookie (a link
cannot carry a bearer token). Not part of the JSON API."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import FileResponse, Response

from billing_app.api.deps import DbSession
from billing_app.api.schemas import DbId
from billing_app.auth.sessions import session_user
from billing_app.errors import NotAuthenticated
from billing_app.models.users import User
from billing_app.queries.bulk import bulk_job_zip
from billing_app.services.clients.privacy import client_data_export
from billing_app.services.two_factor import two_factor_setup_require
from billing_app.settings import get_settings

router = APIRouter(prefix="/downloads", include_in_schema=False)


def cookie_user(request: Request, session: DbSession) -> User:
    """The signed-in user of every cookie-authenticated file route (/downloads, /files, /exports)."""
    user = session_user(session, request.cookies.get(get_settings().session_cookie_name))
    if user is None:
        raise NotAuthenticated("Please sign in first.")
    return two_factor_setup_require(session, user)


@router.get("/bulk-jobs/{job_id}.zip")
def bulk_job_zip_download(job_id: Annotated[DbId, Path()], session: DbSession,
                          user: Annotated[User, Depends(cookie_user)]) -> FileResponse:
    path = bulk_job_zip(session, actor=user, job_id=job_id)
    return FileResponse(path, media_type="application/zip", filename=f"invoices-job-{job_id}.zip",
                        headers={"Cache-Control": "private, no-store",
                                 "X-Content-Type-Options": "nosniff"})


def zip_download(filename: str, content: bytes) -> Response:
    """A zip of personal data as a download, never cached."""
    return Response(content, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "private, no-store"})


@router.get("/clients/{client_id}/personal-data.zip")
def client_data_download(client_id: Annotated[DbId, Path()], session: DbSession,
                         user: Annotated[User, Depends(cookie_user)]) -> Response:
    """The client page's "Export client data (GDPR)" link."""
    return zip_download(*client_data_export(session, actor=user, client_id=client_id))
