"""Column types and conventions shared by every table."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import DateTime, Numeric, String, types
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MONEY = Numeric(19, 4)
"""Money is stored exactly; amounts are rounded to the currency's minor unit by the domain."""
QUANTITY = Numeric(18, 4)
RATE = Numeric(7, 4)
"""A percentage such as 19.0000 or 7.7000."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class AwareDateTime(types.TypeDecorator):
    """Timezone-aware timestamps everywhere; SQLite (which drops the zone) gets UTC back."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a timezone-aware column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def money_field(default: Decimal | None = Decimal("0"), nullable: bool = False, **kw) -> Decimal:
    return Field(default=default, sa_type=MONEY, nullable=nullable, **kw)


def created_at_field() -> datetime:
    return Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)


def updated_at_field() -> datetime:
    return Field(
        default_factory=utcnow,
        sa_type=AwareDateTime,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )


def timestamp_field(index: bool = False) -> datetime | None:
    return Field(default=None, sa_type=AwareDateTime, nullable=True, index=index)


def enum_field(enum: type[StrEnum], default=None, index: bool = False, **kw):
    """Enums are stored as short strings (portable, easy to migrate); Python validates them."""
    length = max(len(m.value) for m in enum)
    return Field(default=default, sa_type=String(max(length, 20)), nullable=False, index=index, **kw)


def currency_field(default: str = "EUR") -> str:
    return Field(default=default, sa_type=String(3), nullable=False)
