"""/company settings and logo (admins only) and the public company view over HTTP."""

from io import BytesIO

import pytest
from PIL import Image

from billing_app.models.users import Role
from billing_app.queries.company import PUBLIC_LOGO_URL
from billing_app.settings import get_settings
from tests.api.conftest import assert_error

COMPANY = "/api/v1/company"
LOGO = f"{COMPANY}/logo"
PUBLIC = "/api/v1/public/company"
PUBLIC_FIELDS = {"name", "address_line1", "address_line2", "postal_code", "city", "country",
                 "logo_url"}


@pytest.fixture
def admin(headers):
    return headers[Role.ADMIN]


@pytest.fixture
def restored_settings(api, admin):
    """The settings as they were before the test, put back after it."""
    before = api.get(COMPANY, headers=admin).json()
    yield before
    editable = {key: value for key, value in before.items()
                if key not in ("logo_url", "updated_at")}
    assert api.patch(COMPANY, headers=admin, json=editable).status_code == 200


@pytest.fixture
def uploads(tmp_path, monkeypatch):
    """Logos are stored in a fresh folder (the server runs in this process)."""
    monkeypatch.setattr(get_settings(), "data_dir", tmp_path)
    return tmp_path / "uploads"


def image(fmt: str = "PNG", size=(40, 20)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(api, headers, content: bytes, filename="logo.png", content_type="image/png"):
    return api.put(LOGO, headers=headers, files={"file": (filename, content, content_type)})


def stored(uploads) -> list[str]:
    return sorted(path.name for path in uploads.iterdir()) if uploads.exists() else []


def test_admins_read_and_change_the_settings(api, admin, restored_settings):
    before = restored_settings
    assert "logo_path" not in before and "id" not in before
    assert before["invoice_number_pattern"]
    changes = {"phone": "+49 40 2", "default_payment_terms_days": 21, "country": "de",
               "tax_id": "DE999999999"}

    changed = api.patch(COMPANY, headers=admin, json=changes)
    assert changed.status_code == 200, changed.text
    after = changed.json()
    assert after == {**before, **changes, "country": "DE", "updated_at": after["updated_at"]}
    assert api.get(COMPANY, headers=admin).json() == after


@pytest.mark.parametrize("body,field", [
    ({"default_currency": "XYZ"}, "default_currency"),
    ({"invoice_number_pattern": "INV-{FOO}"}, "invoice_number_pattern"),
    ({"invoice_number_pattern": "{YYYY}-{SEQ}", "credit_note_number_pattern": "{YYYY}-{SEQ}"},
     "credit_note_number_pattern"),
    ({"name": ""}, "name"),
    ({"name": None}, "name"),
    ({"default_payment_terms_days": 400}, "default_payment_terms_days"),
    ({"default_payment_terms_days": "soon"}, "default_payment_terms_days"),
    ({"tax_rounding": "sometimes"}, "tax_rounding"),
    ({"locale": "xx_nowhere"}, "locale"),
    ({"email": "not-an-email"}, "email"),
    ({"logo_path": "/etc/passwd"}, "logo_path"),
])
def test_bad_settings_are_a_readable_422(api, admin, restored_settings, body, field):
    assert_error(api.patch(COMPANY, headers=admin, json=body), 422, "validation_error", field)
    assert api.get(COMPANY, headers=admin).json() == restored_settings


def test_a_logo_is_uploaded_served_and_removed(api, admin, uploads):
    content = image("PNG")
    response = upload(api, admin, content)
    assert response.status_code == 200, response.text
    logo_url = response.json()["logo_url"]
    assert logo_url.startswith(f"{PUBLIC_LOGO_URL}?v=logo-")
    assert api.get(PUBLIC).json()["logo_url"] == logo_url

    served = api.get(logo_url)
    assert served.status_code == 200 and served.content == content
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"

    webp = upload(api, admin, image("WEBP"), filename="logo.webp", content_type="image/webp")
    assert webp.status_code == 200, webp.text
    assert api.get(PUBLIC_LOGO_URL).headers["content-type"] == "image/webp"
    assert len(stored(uploads)) == 1  # the replaced logo's file is gone

    assert api.delete(LOGO, headers=admin).status_code == 204
    assert api.get(PUBLIC).json()["logo_url"] is None
    assert_error(api.get(PUBLIC_LOGO_URL), 404, "not_found")
    assert stored(uploads) == []


@pytest.fixture
def logo_before(api, admin, uploads) -> str:
    response = upload(api, admin, image("PNG", (30, 30)))
    assert response.status_code == 200, response.text
    return response.json()["logo_url"]


def _unchanged(api, admin, uploads, logo_url: str, files: list[str]) -> None:
    assert api.get(COMPANY, headers=admin).json()["logo_url"] == logo_url
    assert api.get(PUBLIC_LOGO_URL).status_code == 200
    assert stored(uploads) == files


def test_a_5_mb_upload_is_refused_with_413_and_changes_nothing(api, admin, uploads, logo_before):
    files = stored(uploads)
    response = upload(api, admin, b"\x89PNG" + b"0" * (5 * 1024 * 1024))
    error = assert_error(response, 413, "too_large")
    assert "1 MB" in error["message"]
    _unchanged(api, admin, uploads, logo_before, files)


def test_a_big_upload_without_a_length_is_cut_off_too(api, admin, uploads, logo_before):
    files = stored(uploads)

    def chunks():
        for _ in range(80):
            yield b"0" * 65536  # 5 MB in all, sent chunked with no Content-Length

    response = api.put(LOGO, headers={**admin, "Content-Type": "multipart/form-data; boundary=x"},
                       content=chunks())
    assert_error(response, 413, "too_large")
    _unchanged(api, admin, uploads, logo_before, files)


@pytest.mark.parametrize("content,filename,content_type,field", [
    (b"just some text", "logo.png", "image/png", "logo"),
    (image("GIF"), "logo.gif", "image/gif", "logo"),
    (image("PNG")[:60], "logo.png", "image/png", "logo"),
    (b"", "logo.png", "image/png", "logo"),
    (image("PNG", (2400, 10)), "wide.png", "image/png", "logo"),
], ids=["text", "gif", "truncated", "empty", "too-wide"])
def test_a_wrong_file_is_a_422_and_changes_nothing(api, admin, uploads, logo_before, content,
                                                   filename, content_type, field):
    files = stored(uploads)
    assert_error(upload(api, admin, content, filename, content_type), 422, "validation_error",
                 field)
    _unchanged(api, admin, uploads, logo_before, files)


@pytest.mark.parametrize("kwargs", [
    {"files": {"picture": ("logo.png", image("PNG"), "image/png")}},
    {"data": {"file": "not a file"}},
    {"json": {"file": "aGVsbG8="}},
    {},
], ids=["other-field", "text-field", "json", "no-body"])
def test_a_logo_request_without_the_file_field_is_a_422(api, admin, uploads, kwargs):
    assert_error(api.put(LOGO, headers=admin, **kwargs), 422, "validation_error", "file")


def test_a_malformed_multipart_body_is_a_400(api, admin, uploads):
    response = api.put(LOGO, headers={**admin, "Content-Type": "multipart/form-data"},
                       content=b"--x\r\nno boundary given")
    assert_error(response, 400, "bad_request")


def test_the_public_view_shows_no_secrets(api, admin, restored_settings):
    api.patch(COMPANY, headers=admin, json={
        "tax_id": "DE111222333", "email": "secret-billing@example.com", "phone": "+49 40 999",
        "address_line1": "1 Public Street", "city": "Hamburg"})
    response = api.get(PUBLIC)
    assert response.status_code == 200, response.text
    public = response.json()
    assert set(public) == PUBLIC_FIELDS
    assert (public["address_line1"], public["city"]) == ("1 Public Street", "Hamburg")
    for secret in ("DE111222333", "secret-billing", "999", "INV-", "{SEQ"):
        assert secret not in response.text


SETTINGS_CALLS = [
    ("GET", COMPANY, {}),
    ("PATCH", COMPANY, {"json": {"name": "Taken Over Ltd"}}),
    ("PUT", LOGO, {"files": {"file": ("logo.png", b"x", "image/png")}}),
    ("DELETE", LOGO, {}),
]


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.VIEWER, Role.CLIENT])
@pytest.mark.parametrize("method,path,kwargs", SETTINGS_CALLS)
def test_only_admins_touch_the_settings(api, headers, role, method, path, kwargs):
    assert_error(api.request(method, path, headers=headers[role], **kwargs), 403, "forbidden")


@pytest.mark.parametrize("method,path,kwargs", SETTINGS_CALLS)
def test_the_settings_need_a_token(api, method, path, kwargs):
    assert_error(api.request(method, path, **kwargs), 401, "not_authenticated")
