"""The FastAPI app that the Reflex app mounts: rx.App(api_transformer=create_api()).

Reflex mounts its own backend at "" below this app, so these routes come first and every
other path still reaches Reflex. Paths are absolute (no root_path).
"""

from fastapi import APIRouter, FastAPI

from billing_app.api import (
    auth,
    banking,
    browser_session,
    catalog,
    clients,
    company,
    gateway,
    health,
    invoices,
    payments,
    users,
)
from billing_app.api.errors import install_error_handlers
from billing_app.api.schemas import ErrorBody
from billing_app.errors import NotFound

API_PREFIX = "/api"
V1_PREFIX = f"{API_PREFIX}/v1"

_ERRORS = {code: {"model": ErrorBody} for code in (400, 401, 403, 404, 409, 422)}
_ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def _no_such_endpoint() -> None:
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
    install_error_handlers(app)
    v1 = APIRouter(prefix=V1_PREFIX, responses=_ERRORS)
    for module in (health, auth, users, clients, catalog, invoices, company, payments,
                   banking, gateway):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(browser_session.router)
    # Last: unknown /api paths answer in the error format instead of falling through to Reflex.
    app.add_api_route(f"{API_PREFIX}/{{path:path}}", _no_such_endpoint, methods=_ALL_METHODS,
                      include_in_schema=False)
    return app
