"""The FastAPI app that the Reflex app mounts: rx.App(api_transformer=create_api()).

Reflex mounts its own backend at "" below this app, so these routes come first and every
other path still reaches Reflex. Paths are absolute (no root_path).
"""

from fastapi import APIRouter, FastAPI, Request
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from billing_app.api import (
    auth,
    banking,
    browser_session,
    catalog,
    clients,
    company,
    documents,
    downloads,
    emails,
    exports,
    gateway,
    health,
    invoices,
    payments,
    reminders,
    reports,
    users,
)
from billing_app.api.errors import install_error_handlers
from billing_app.api.idempotency import IdempotentPosts
from billing_app.api.protection import ApiRateLimit, BodySizeLimit, SecurityHeaders
from billing_app.api.request_log import RequestContext
from billing_app.api.schemas import ErrorBody
from billing_app.errors import NotFound
from billing_app.log_setup import configure_logging

API_PREFIX = "/api"
V1_PREFIX = f"{API_PREFIX}/v1"

# 413 and 429 come from the middleware in api/protection.py, on any route.
_ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422, 429)}
_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _methods_at(request: Request) -> list[str]:
    """The methods that the API's routes take at this address (not Reflex's mount below)."""
    return [method for method in _ALL_METHODS[:5] if any(
        getattr(route, "endpoint", None) is not _no_such_endpoint and not isinstance(route, Mount)
        and route.matches({**request.scope, "method": method})[0] == Match.FULL
        for route in request.app.router.routes)]


def _no_such_endpoint(request: Request) -> None:
    """404 for an unknown API address, 405 (with Allow) for a known one asked the wrong way."""
    allowed = _methods_at(request)
    if allowed:
        raise HTTPException(405, f"This address does not take {request.method}; "
                                 f"use {', '.join(allowed)}.", headers={"Allow": ", ".join(allowed)})
    raise NotFound("There is no API endpoint at this address.")


def create_api() -> FastAPI:
    app = FastAPI(
        title="Billing API",
        version="1",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    configure_logging()
    install_error_handlers(app)
    # The last added runs first: headers on every answer, then size caps, then rate limits,
    # then a retried POST with an Idempotency-Key gets its first answer.
    app.add_middleware(IdempotentPosts)
    app.add_middleware(ApiRateLimit)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestContext)  # outermost: every line logged below carries the id
    v1 = APIRouter(prefix=V1_PREFIX, responses=_ERRORS)
    for module in (health, auth, users, clients, catalog, invoices, company, payments,
                   banking, gateway, emails, reminders):
        v1.include_router(module.router)
    v1.include_router(documents.api)
    v1.include_router(exports.api)
    v1.include_router(reports.router)
    app.include_router(v1)
    app.include_router(browser_session.router)
    app.include_router(downloads.router)
    app.include_router(exports.router)
    app.include_router(documents.files)
    # Last: unknown /api paths answer in the error format instead of falling through to Reflex.
    app.add_api_route(f"{API_PREFIX}/{{path:path}}", _no_such_endpoint, methods=_ALL_METHODS,
                      include_in_schema=False)
    return app
