"""The app as a whole: docs, health, errors nobody planned for, and the Reflex mount."""

import httpx
from fastapi import FastAPI
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from billing_app.api.app import create_api
from billing_app.api.deps import db_session
from billing_app.db import make_engine
from tests.api.conftest import assert_error, serving
from tests.support.servers import free_port


def test_openapi_and_docs_are_served(api):
    spec = api.get("/api/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert {"/api/v1/auth/token", "/api/v1/users", "/api/v1/users/me"} <= set(paths)
    assert "servers" not in spec.json()
    assert not any(path.startswith("/auth/") for path in paths)
    docs = api.get("/api/docs")
    assert docs.status_code == 200 and "/api/openapi.json" in docs.text


def test_health_checks_the_database(api):
    response = api.get("/api/v1/health")
    assert response.json()["checks"]["database"] == {"status": "ok"}


def test_health_reports_an_unreachable_database():
    app = create_api()
    dead = make_engine(f"postgresql://app@127.0.0.1:{free_port()}/nothing")
    app.dependency_overrides[db_session] = lambda: Session(dead)
    with serving(app) as url:
        response = httpx.get(f"{url}/api/v1/health", timeout=30)
    dead.dispose()
    assert_error(response, 503, "unavailable")


def test_unexpected_errors_leak_nothing(api_database):
    app = create_api()

    def explode() -> None:
        raise RuntimeError("secret: connection string postgres://root:hunter2@db")

    app.add_api_route("/explode", explode)
    with serving(app) as url:
        response = httpx.get(f"{url}/explode", timeout=30)
    error = assert_error(response, 500, "internal_error")
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert error["field"] is None


def _mounted_like_reflex(api: FastAPI) -> Starlette:
    """What rx.App(api_transformer=api) builds: its backend mounted at "" below the API,
    the whole mounted at "" in a top-level app (reflex/app.py, App.__call__)."""
    backend = Starlette(routes=[Route("/{path:path}", lambda _r: PlainTextResponse("reflex"))])
    api.mount("", backend)
    top = Starlette()
    top.mount("", api)
    return top


def test_paths_survive_the_reflex_mount(api_database):
    with serving(_mounted_like_reflex(create_api())) as url, \
            httpx.Client(base_url=url, timeout=30) as client:
        assert client.get("/api/v1/health").json()["checks"]["database"]["status"] == "ok"
        spec = client.get("/api/openapi.json").json()
        assert "/api/v1/users/me" in spec["paths"] and "servers" not in spec
        assert "/api/openapi.json" in client.get("/api/docs").text
        assert_error(client.get("/api/v1/users/me"), 401, "not_authenticated")
        assert_error(client.get("/api/v1/nothing-here"), 404, "not_found")
        wrong_method = client.delete("/api/v1/clients")
        assert_error(wrong_method, 405, "method_not_allowed")
        assert wrong_method.headers["allow"] == "GET, POST"
        login = client.post("/auth/login", data={"email": "x@example.com", "password": "x"})
        assert login.status_code == 303
        assert client.get("/invoices").text == "reflex"
        assert client.get("/").text == "reflex"
