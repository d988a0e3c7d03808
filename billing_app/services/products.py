"""The products and services catalogue that invoice lines can start from."""

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from sqlmodel import Session

from billing_app.auth.permissions import Action, require
from billing_app.domain.money import minor_units, quantize_money
from billing_app.errors import Conflict, ValidationFailed
from billing_app.models.catalog import Product
from billing_app.models.company import TaxRate
from billing_app.models.users import User
from billing_app.queries.catalog import product_by_id
from billing_app.queries.company import current_company
from billing_app.models.inputs import CurrencyCode, optional_text, text
from billing_app.services.records import (
    save_changes,
    save_new,
    set_active,
    validated_update,
    value_taken,
)
from billing_app.services.validation import validated

MAX_PRICE = Decimal(10) ** 12


class ProductIn(BaseModel):
    """The product form. On update, fields left out keep their current value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sku: optional_text(50) = None
    name: text(200)
    description: optional_text(5000) = None
    unit: text(20) = "unit"
    currency: CurrencyCode  # before unit_price, whose check needs it
    unit_price: Annotated[Decimal, Field(ge=0, lt=MAX_PRICE, allow_inf_nan=False)]
    default_tax_rate_id: int | None = Field(default=None, ge=1, le=2**31 - 1)

    @field_validator("unit_price")
    @classmethod
    def _fits_currency(cls, price: Decimal, info: ValidationInfo) -> Decimal:
        currency = info.data.get("currency")
        if currency and quantize_money(price, currency) != price:
            raise ValueError(f"{currency} prices have at most {minor_units(currency)} decimals.")
        return price


def _check_rules(session: Session, payload: ProductIn, product: Product | None) -> None:
    """The SKU is free and a newly chosen tax rate exists and is active."""
    if payload.sku and value_taken(session, Product.sku, payload.sku,
                                   exclude_id=product.id if product else None):
        raise Conflict("A product with this SKU already exists.", field="sku")
    rate_id = payload.default_tax_rate_id
    if rate_id is not None and rate_id != (product.default_tax_rate_id if product else None):
        rate = session.get(TaxRate, rate_id)
        if rate is None or not rate.is_active:
            raise ValidationFailed("Choose an active tax rate.", field="default_tax_rate_id")


def product_create(session: Session, *, actor: User, data: dict) -> Product:
    """A new active product; its currency is the company's unless `data` names one."""
    require(actor, Action.PRODUCTS_WRITE)
    payload = validated(ProductIn, {"currency": current_company(session).default_currency, **data})
    _check_rules(session, payload, None)
    product = Product(**payload.model_dump())
    save_new(session, actor=actor, row=product, entity_type="product",
             details={"sku": product.sku, "name": product.name,
                      "unit_price": str(product.unit_price), "currency": product.currency})
    return product


def product_update(session: Session, *, actor: User, product_id: int, data: dict) -> Product:
    require(actor, Action.PRODUCTS_WRITE)
    product = product_by_id(session, product_id)
    payload = validated_update(ProductIn, product, data)
    _check_rules(session, payload, product)
    save_changes(session, actor=actor, row=product, payload=payload, entity_type="product")
    return product


def product_deactivate(session: Session, *, actor: User, product_id: int) -> Product:
    """Offer the product no more in the picker; invoice lines that used it keep their copy."""
    require(actor, Action.PRODUCTS_WRITE)
    product = product_by_id(session, product_id)
    set_active(session, actor=actor, row=product, active=False, entity_type="product")
    return product


def product_activate(session: Session, *, actor: User, product_id: int) -> Product:
    require(actor, Action.PRODUCTS_WRITE)
    product = product_by_id(session, product_id)
    set_active(session, actor=actor, row=product, active=True, entity_type="product")
    return product
