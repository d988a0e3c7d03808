from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel

from billing_app.models.base import MONEY, created_at_field, currency_field, updated_at_field


class Product(SQLModel, table=True):
    """A product or service of the catalogue that invoice lines can start from."""

    __tablename__ = "products"
    __table_args__ = (CheckConstraint("unit_price >= 0", name="price_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    sku: str | None = Field(default=None, sa_type=String(50), unique=True)
    name: str = Field(sa_type=String(200), nullable=False, index=True)
    description: str | None = Field(default=None, sa_type=String(5000))
    unit: str = Field(default="unit", sa_type=String(20), nullable=False)
    unit_price: Decimal = Field(sa_type=MONEY, nullable=False)
    currency: str = currency_field()
    default_tax_rate_id: int | None = Field(default=None, foreign_key="tax_rates.id")
    is_active: bool = Field(default=True, nullable=False)
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
