from datetime import datetime
from enum import StrEnum

from pydantic import EmailStr
from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from billing_app.auth.passwords import MIN_PASSWORD_LENGTH
from billing_app.models.base import (
    AwareDateTime,
    created_at_field,
    enum_field,
    timestamp_field,
    updated_at_field,
)


class Role(StrEnum):
    ADMIN = "admin"
    ACCOUNTANT = "accountant"
    VIEWER = "viewer"
    CLIENT = "client"


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'accountant', 'viewer', 'client')", name="role_known"),
        CheckConstraint("role <> 'client' OR client_id IS NOT NULL", name="client_role_has_client"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_type=String(254), unique=True, nullable=False)
    name: str = Field(sa_type=String(200), nullable=False)
    phone: str | None = Field(default=None, sa_type=String(50))
    address: str | None = Field(default=None, sa_type=String(500))
    role: Role = enum_field(Role, default=Role.VIEWER)
    password_hash: str = Field(sa_type=String(255), nullable=False)
    is_active: bool = Field(default=True, nullable=False)
    client_id: int | None = Field(default=None, foreign_key="clients.id", index=True)
    last_login_at: datetime | None = timestamp_field()
    totp_secret: str | None = Field(default=None, sa_type=String(300))
    """The TOTP secret, encrypted (auth/two_factor.py); set but not enabled while being set up."""
    totp_enabled_at: datetime | None = timestamp_field()
    totp_last_step: int | None = Field(default=None)
    """The 30-second step of the last code accepted: a code works once."""
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class RecoveryCode(SQLModel, table=True):
    """A single-use two-factor recovery code; only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, nullable=False)
    code_hash: str = Field(sa_type=String(64), unique=True, nullable=False)
    created_at: datetime = created_at_field()
    used_at: datetime | None = timestamp_field()


class PasswordResetToken(SQLModel, table=True):
    """A password reset link sent by email: single use, expiring; only its SHA-256 is stored."""

    __tablename__ = "password_reset_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, nullable=False)
    token_hash: str = Field(sa_type=String(64), unique=True, nullable=False)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
    used_at: datetime | None = timestamp_field()


class UserSession(SQLModel, table=True):
    """A browser login. The browser holds a random token; only its SHA-256 is stored."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_type=String(64), unique=True, nullable=False)
    user_id: int = Field(foreign_key="users.id", index=True, nullable=False)
    created_at: datetime = created_at_field()
    last_seen_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
    expires_at: datetime = Field(sa_type=AwareDateTime, nullable=False, index=True)
    revoked_at: datetime | None = timestamp_field()
    user_agent: str | None = Field(default=None, sa_type=String(300))
    ip_address: str | None = Field(default=None, sa_type=String(64))


class ApiToken(SQLModel, table=True):
    """One API login (a refresh-token family). Revoking it ends its access tokens too."""

    __tablename__ = "api_tokens"

    id: str = Field(sa_type=String(36), primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, nullable=False)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=AwareDateTime, nullable=False)
    last_used_at: datetime | None = timestamp_field()
    revoked_at: datetime | None = timestamp_field()
    refresh_counter: int = Field(default=0, nullable=False)


class UserCreate(SQLModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    role: Role
    password: str = Field(min_length=MIN_PASSWORD_LENGTH, max_length=256)
    client_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    phone: str | None = Field(default=None, max_length=50)
    address: str | None = Field(default=None, max_length=500)


class UserPublic(SQLModel):
    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    client_id: int | None
    phone: str | None
    address: str | None
    last_login_at: datetime | None
    created_at: datetime
