"""The logo upload: only real, small images are stored, and a refusal changes nothing."""

import os
from io import BytesIO

import pytest
from PIL import Image

from billing_app.errors import PermissionDenied, ValidationFailed
from billing_app.queries.company import company_public
from billing_app.services.logo import company_remove_logo, company_set_logo, logo_path
from tests.company.conftest import audit_count, audit_entries


def image_bytes(fmt: str, size=(120, 40), noise: bool = False) -> bytes:
    image = (Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise
             else Image.new("RGB", size, (200, 30, 30)))
    out = BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def stored_files(data_dir) -> list[str]:
    uploads = data_dir / "uploads"
    return sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []


@pytest.mark.parametrize(("fmt", "extension"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_a_real_image_is_stored_and_served(db, company, admin, data_dir, fmt, extension):
    content = image_bytes(fmt)

    company_set_logo(db, actor=admin, filename="logo.bin", content=content)

    path = logo_path(company)
    assert path is not None and path.parent == data_dir / "uploads"
    assert path.name.startswith("logo-") and path.suffix == f".{extension}"
    assert path.read_bytes() == content
    assert company_public(db).logo_url.startswith("/api/v1/public/company/logo?v=logo-")
    (entry,) = audit_entries(db, "company.logo")
    assert entry.details["filename"] == "logo.bin" and entry.details["to"] == company.logo_path


@pytest.fixture
def logo_before(db, company, admin, data_dir):
    """A logo is set; refusals below must leave it as it is."""
    company_set_logo(db, actor=admin, filename="old.png", content=image_bytes("PNG"))
    return company.logo_path


@pytest.mark.parametrize(("content", "message"), [
    (lambda: image_bytes("PNG", (1500, 1200), noise=True), "The logo must be at most 1 MB."),
    (lambda: b"Just some notes, saved as logo.png\n" * 20, "must be a PNG, JPEG or WebP image"),
    (lambda: image_bytes("PNG", (3000, 20)), "at most 2000×2000 pixels. This one is 3000×20."),
    (lambda: image_bytes("PNG", (64, 64), noise=True)[:6000], "must be a PNG, JPEG or WebP image"),
    (lambda: image_bytes("GIF"), "must be a PNG, JPEG or WebP image"),
    (lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
     "must be a PNG, JPEG or WebP image"),
    (lambda: b"", "Choose an image file"),
], ids=["5 MB", "text file", "3000 px wide", "truncated PNG", "GIF", "SVG", "empty"])
def test_a_refused_upload_changes_nothing(db, company, admin, data_dir, logo_before, content, message):
    content = content()
    files, audits = stored_files(data_dir), audit_count(db)

    with pytest.raises(ValidationFailed) as refused:
        company_set_logo(db, actor=admin, filename="logo.png", content=content)

    assert message in refused.value.message and refused.value.field == "logo"
    db.refresh(company)
    assert company.logo_path == logo_before
    assert stored_files(data_dir) == files
    assert audit_count(db) == audits


def test_the_5_mb_test_file_is_really_that_large():
    assert len(image_bytes("PNG", (1500, 1200), noise=True)) > 5_000_000


def test_after_a_commit_only_the_new_logo_is_kept(db, company, admin, data_dir, logo_before):
    new = image_bytes("PNG", (64, 64))
    company_set_logo(db, actor=admin, filename="new.png", content=new)
    assert len(stored_files(data_dir)) == 2  # the old file is still served until the commit

    db.commit()

    assert stored_files(data_dir) == [logo_path(company).name]
    assert logo_path(company).read_bytes() == new


def test_after_a_rollback_the_new_file_is_gone_and_the_old_logo_stays(db, company, admin, data_dir,
                                                                       logo_before):
    db.commit()
    company_set_logo(db, actor=admin, filename="new.png", content=image_bytes("PNG", (64, 64)))

    db.rollback()

    assert stored_files(data_dir) == [logo_before.removeprefix("uploads/")]
    db.refresh(company)
    assert company.logo_path == logo_before and logo_path(company) is not None


def test_removing_the_logo(db, company, admin, data_dir, logo_before):
    company_remove_logo(db, actor=admin)

    assert company.logo_path is None and logo_path(company) is None
    assert company_public(db).logo_url is None
    assert audit_entries(db, "company.logo")[-1].details["to"] is None


def test_only_admins_change_the_logo(db, company, accountant, data_dir):
    with pytest.raises(PermissionDenied):
        company_set_logo(db, actor=accountant, filename="logo.png", content=image_bytes("PNG"))
    with pytest.raises(PermissionDenied):
        company_remove_logo(db, actor=accountant)
    assert stored_files(data_dir) == []
