"""TOTP two-factor (RFC 6238, pyotp) and recovery codes.

The secret is stored encrypted with a key derived from SECRET_KEY (Fernet), so a copy of the
database alone cannot make codes; rotating SECRET_KEY therefore means setting 2FA up again.
A code is accepted one step either side of now (clock drift) and only once: the step it
matched is kept, and a code of that step or an earlier one is refused afterwards.
"""

import base64
import hashlib
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken

from billing_app.settings import get_settings

ISSUER = "Ledgerline"
RECOVERY_CODE_COUNT = 10
_DRIFT_STEPS = 1


def _fernet() -> Fernet:
    key = hashlib.sha256(b"totp-secret:" + get_settings().secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def secret_new() -> str:
    return pyotp.random_base32()


def secret_seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_open(sealed: str) -> str | None:
    """The secret, or None when it was sealed under another SECRET_KEY."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The otpauth URI as an SVG QR code an authenticator app can scan."""
    return segno.make(uri, error="m").svg_data_uri(scale=5)


def code_step(secret: str, code: str, at: datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to (now or one step either side), if it is newer than
    `last_step`; None when the code is wrong or was used already."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(at)
    for step in range(now_step - _DRIFT_STEPS, now_step + _DRIFT_STEPS + 1):
        if (last_step is None or step > last_step) and secrets.compare_digest(
                totp.generate_otp(step), code):
            return step
    return None


def recovery_codes_new() -> list[str]:
    """Ten random codes like "k7qm-2xvp-9tfd" (60 bits each: a fast hash is enough)."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))
            for _ in range(RECOVERY_CODE_COUNT)]


def recovery_code_digest(code: str) -> str:
    normal = "".join((code or "").lower().split()).replace("-", "")
    return hashlib.sha256(normal.encode()).hexdigest()
