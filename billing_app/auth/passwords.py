"""Password hashing: argon2id through passlib (the maintained `libpass` fork)."""

from passlib.context import CryptContext

MIN_PASSWORD_LENGTH = 12

_context = CryptContext(schemes=["argon2"], deprecated="auto", argon2__type="ID")


def hash_password(password: str) -> str:
    return _context.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _context.verify(password, password_hash)
    except (ValueError, TypeError):
        return False


# A real hash to verify against when the email is unknown, so both paths take the same time.
DUMMY_HASH = hash_password("not-a-real-password-only-for-timing")
