"""Password hashing: argon2id through passlib (the maintained `libpass` fork).

Each hash or check takes 64 MiB for a moment, so only a few run at once: a burst of parallel
sign-ins waits its turn (or gets "busy") instead of taking the server's memory.
"""

import threading
from functools import lru_cache

from passlib.context import CryptContext

from billing_app.errors import ServiceBusy, ValidationFailed
from billing_app.settings import get_settings

MIN_PASSWORD_LENGTH = 12

_context = CryptContext(schemes=["argon2"], deprecated="auto", argon2__type="ID")


@lru_cache
def _slots(concurrency: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(concurrency)


class _HashingSlot:
    """Hold one of the few hashing slots; refuse with ServiceBusy after waiting too long."""

    def __enter__(self) -> None:
        settings = get_settings()
        self._slots = _slots(settings.password_hash_concurrency)
        if not self._slots.acquire(timeout=settings.password_hash_wait_seconds):
            raise ServiceBusy("Too many sign-ins at once. Please try again in a few seconds.",
                              retry_after=5)

    def __exit__(self, *_exc) -> None:
        self._slots.release()


def check_new_password(password: str | None, *, field: str = "new_password") -> None:
    """The one rule for a password a person chooses (change, reset)."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"The new password must have at least {MIN_PASSWORD_LENGTH} characters.", field=field)


def hash_password(password: str) -> str:
    with _HashingSlot():
        return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    with _HashingSlot():
        try:
            return _context.verify(password, password_hash)
        except (ValueError, TypeError):
            return False


# A real hash to verify against when the email is unknown, so both paths take the same time.
DUMMY_HASH = hash_password("not-a-real-password-only-for-timing")
