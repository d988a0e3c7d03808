"""Exports as file downloads: /exports/<name>.<csv|xlsx>?<the page's options> (aging also .pdf) for the browser
(signed in by its session cookie: a link carries no bearer token) and the same files at
/api/v1/exports/<name>.<csv|xlsx> for API clients with a bearer token.

The options are the page's own query parameters (see exports/sources.py); the builders check
the permission before a byte is sent, and the body streams.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from billing_app.api.deps import CurrentUser, DbSession
from billing_app.api.downloads import cookie_user
from billing_app.errors import NotFound
from billing_app.exports.aging_pdf import aging_pdf
from billing_app.exports.sources import export_table
from billing_app.exports.tables import WRITERS
from billing_app.models.users import User
from billing_app.queries.company import company_today

router = APIRouter(prefix="/exports", include_in_schema=False)
api = APIRouter(prefix="/exports", tags=["exports"])


def export_response(session: Session, user: User, name: str, fmt: str,
                    request: Request) -> StreamingResponse | Response:
    params = {key: value[:200] for key, value in request.query_params.items()}
    if (name, fmt) == ("aging", "pdf"):
        document = aging_pdf(session, actor=user, params=params, today=company_today(session))
        return Response(document.content, media_type=document.media_type, headers={
            "Content-Disposition": f'attachment; filename="{document.filename}"',
            "Cache-Control": "private, no-store"})
    if fmt not in WRITERS:
        raise NotFound("Exports are .csv or .xlsx files (and the aging report a .pdf).")
    table = export_table(session, actor=user, name=name, params=params, today=company_today(session))
    write, media_type = WRITERS[fmt]
    return StreamingResponse(write(table), media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="{table.filename}.{fmt}"',
        "Cache-Control": "private, no-store",
    })


@router.get("/{name}.{fmt}")
def browser_export(name: str, fmt: str, request: Request, session: DbSession,
                   user: Annotated[User, Depends(cookie_user)]) -> Response:
    return export_response(session, user, name, fmt, request)


@api.get("/{name}.{fmt}", summary="A report or list as a CSV or XLSX file",
         response_class=StreamingResponse)
def api_export(name: str, fmt: str, request: Request, session: DbSession,
               user: CurrentUser) -> Response:
    """name: aging, revenue, tax, dso, forecast, invoices, payments, statement or audit; the
    query parameters are those of the page (e.g. aging: as_of, basis, buckets, client,
    currency, min, overdue)."""
    return export_response(session, user, name, fmt, request)
