"""The company logo: checked by opening it as an image, stored by content under data_dir/uploads.

The file is written before the row changes. The file a change leaves unused is removed once the
transaction has ended: the old logo after a commit, the new one after a rollback.
"""

import hashlib
import os
import tempfile
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageFile, UnidentifiedImageError
from sqlalchemy import event
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.errors import ValidationFailed
from billing_app.models.company import Company
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.services.audit import audit_record
from billing_app.settings import get_settings

MAX_BYTES = 1024 * 1024
MAX_SIDE = 2000
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}  # Pillow format -> file extension
UPLOADS = "uploads"
NOT_AN_IMAGE = "The logo must be a PNG, JPEG or WebP image."
TOO_LARGE = f"The logo must be at most {MAX_SIDE}×{MAX_SIDE} pixels."


def _load_whole(image: Image.Image) -> None:
    """Decode every pixel: a damaged or truncated file fails here. WeasyPrint (imported for
    PDFs) turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process, so it is turned off
    for this check."""
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _checked_extension(content: bytes) -> str:
    """The file extension for the image in `content`; ValidationFailed if it is no fit logo."""
    if not content:
        raise ValidationFailed("Choose an image file for the logo.", field="logo")
    if len(content) > MAX_BYTES:
        raise ValidationFailed("The logo must be at most 1 MB.", field="logo")
    try:
        with Image.open(BytesIO(content)) as image:
            if image.format not in FORMATS:
                raise ValidationFailed(NOT_AN_IMAGE, field="logo")
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise ValidationFailed(f"{TOO_LARGE} This one is {width}×{height}.", field="logo")
            _load_whole(image)
            return FORMATS[image.format]
    except Image.DecompressionBombError:
        raise ValidationFailed(TOO_LARGE, field="logo") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationFailed(NOT_AN_IMAGE, field="logo") from None


def _write(content: bytes, extension: str) -> str:
    """Store the bytes under a name made of their hash; the path relative to data_dir."""
    relative = f"{UPLOADS}/logo-{hashlib.sha256(content).hexdigest()[:16]}.{extension}"
    target = get_settings().data_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".tmp", delete=False) as temporary:
        temporary.write(content)
    os.replace(temporary.name, target)  # readers never see half a file
    return relative


def logo_path(company: Company) -> Path | None:
    """The logo file to serve, or None when there is none."""
    if not company.logo_path:
        return None
    uploads = (get_settings().data_dir / UPLOADS).resolve()
    path = (get_settings().data_dir / company.logo_path).resolve()
    if path.parent != uploads or not path.is_file():
        return None
    return path


def _remove_when_done(session: Session, *, after_commit: str | None, after_rollback: str | None) -> None:
    """Remove the stored file that the transaction's outcome leaves unused (once, whichever comes)."""
    done = False

    def remove(relative: str | None) -> None:
        nonlocal done
        if relative and not done:
            (get_settings().data_dir / relative).unlink(missing_ok=True)
        done = True

    event.listen(session, "after_commit", lambda _session: remove(after_commit))
    event.listen(session, "after_rollback", lambda _session: remove(after_rollback))


def _set_logo_path(session: Session, actor: User, company: Company, new: str | None,
                   details: dict) -> Company:
    old = company.logo_path
    if old == new:
        return company
    _remove_when_done(session, after_commit=old, after_rollback=new)
    company.logo_path = new
    session.add(company)
    audit_record(session, actor=actor, action="company.logo", entity_type="company",
                 entity_id=company.id, details={"from": old, "to": new, **details})
    session.flush()
    return company


def company_set_logo(session: Session, *, actor: User, filename: str, content: bytes) -> Company:
    """Check and store an uploaded logo, then point the company at it."""
    require(actor, Action.SETTINGS_MANAGE)
    company = current_company(session)
    relative = _write(content, _checked_extension(content))
    return _set_logo_path(session, actor, company, relative, {"filename": (filename or "")[:200]})


def company_remove_logo(session: Session, *, actor: User) -> Company:
    require(actor, Action.SETTINGS_MANAGE)
    company = current_company(session)
    return _set_logo_path(session, actor, company, None, {})
