"""Every request: size caps before authentication, rate limits on the API, security headers."""

import pytest
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse

from billing_app.api.app import create_api
from billing_app.domain.statements.records import MAX_FILE_BYTES
from tests.security.conftest import new_user, token_for


def assert_json_error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    return error["message"]


# --- 413: body size, before any authentication ----------------------------------------------

def test_a_json_body_over_the_cap_is_refused_before_sign_in_is_checked(app, settings_env):
    settings_env(MAX_JSON_BODY_BYTES="1000")
    response = app.post("/api/v1/clients", content=b'{"name": "' + b"x" * 2000 + b'"}',
                        headers={"Content-Type": "application/json"})
    assert "at most 1,000 bytes" in assert_json_error(response, 413, "too_large")


def test_a_chunked_body_is_counted_as_it_arrives(app, settings_env):
    settings_env(MAX_JSON_BODY_BYTES="1000")

    def chunks():
        for _ in range(10):
            yield b"x" * 500

    response = app.post("/api/v1/auth/token", content=chunks(),
                        headers={"Content-Type": "application/json"})
    assert_json_error(response, 413, "too_large")


def test_the_webhook_takes_only_small_bodies(app):
    response = app.post("/api/v1/gateway/stripe/events", content=b"{" + b" " * 70_000 + b"}",
                        headers={"Content-Type": "application/json", "X-Signature": "t=1,v1=00"})
    assert_json_error(response, 413, "too_large")


def test_the_sign_in_form_is_capped_like_json(app, settings_env):
    settings_env(MAX_JSON_BODY_BYTES="1000")
    response = app.post("/auth/login", data={"email": "a@example.com", "password": "p" * 2000},
                        follow_redirects=False)
    assert_json_error(response, 413, "too_large")


def test_reflex_upload_endpoint_behind_the_api_is_capped_too(security_db):
    """Reflex mounts itself below the API app (api_transformer): its /_upload is covered."""
    reached = []
    api = create_api()

    async def reflex_backend(scope, receive, send):
        reached.append(scope["path"])
        await PlainTextResponse("stored")(scope, receive, send)

    api.mount("", reflex_backend)
    with TestClient(api) as client:
        big = client.post("/_upload", files={"files": ("s.csv", b"x" * (MAX_FILE_BYTES + 2**21))})
        small = client.post("/_upload", files={"files": ("s.csv", b"date;amount\n")})

    assert "at most 20 MB" in assert_json_error(big, 413, "too_large")
    assert small.status_code == 200 and reached == ["/_upload"]


# --- 429: API rate limits -------------------------------------------------------------------

def test_an_address_over_its_api_limit_gets_429_with_retry_after(app, settings_env):
    settings_env(API_IP_LIMITS="5/minute")
    answers = [app.get("/api/v1/users/me").status_code for _ in range(6)]  # health is not counted
    assert answers == [401] * 5 + [429]
    refused = app.get("/api/v1/users/me")
    assert_json_error(refused, 429, "too_many_requests")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_a_user_over_its_api_limit_gets_429_while_others_go_on(app, settings_env):
    settings_env(API_USER_LIMITS="3/minute", API_IP_LIMITS="1000/minute")
    busy, other = new_user(), new_user()
    busy_auth = {"Authorization": f"Bearer {token_for(app, busy.email).json()['access_token']}"}
    other_auth = {"Authorization": f"Bearer {token_for(app, other.email).json()['access_token']}"}

    answers = [app.get("/api/v1/clients", headers=busy_auth).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]
    assert app.get("/api/v1/clients", headers=other_auth).status_code == 200


def test_the_default_limits_leave_room_for_busy_integrations(app):
    assert all(app.get("/api/v1/users/me").status_code == 401 for _ in range(300))


# --- headers --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/health", "/api/v1/no-such-thing", "/login"])
def test_every_answer_carries_the_security_headers(app, path):
    headers = app.get(path, follow_redirects=False).headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored


def test_api_answers_allow_no_content_at_all(app):
    assert app.get("/api/v1/health").headers["Content-Security-Policy"].startswith(
        "default-src 'none'")


def test_hsts_is_sent_when_the_app_is_served_over_https(app, settings_env):
    settings_env(APP_URL="https://billing.example.com")
    assert "max-age=" in app.get("/api/v1/health").headers["Strict-Transport-Security"]


def test_files_get_no_policy_that_could_stop_the_pdf_viewer(security_db):
    api = create_api()

    @api.get("/files/sample.pdf")
    def pdf():
        return PlainTextResponse("%PDF-1.7", media_type="application/pdf")

    with TestClient(api) as client:
        headers = client.get("/files/sample.pdf").headers
    assert "Content-Security-Policy" not in headers
    assert headers["X-Content-Type-Options"] == "nosniff"
