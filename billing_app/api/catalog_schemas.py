"""Request and response shapes of /products and /tax-rates."""

from datetime import datetime

from pydantic import BaseModel

from billing_app.api.shapes import (
    CURRENCY_DECIMALS,
    PERCENT_TEXT,
    AmountsAsText,
    amount_text,
    attributes,
    decimal_text,
    partial,
)
from billing_app.models.catalog import Product
from billing_app.models.company import TaxRate
from billing_app.queries.catalog import ProductRow
from billing_app.models.inputs import CurrencyCode, decimal_pattern, optional
from billing_app.services.products import ProductIn
from billing_app.services.tax_rates import TaxRateIn


class ProductBody(AmountsAsText, ProductIn):
    """A product; its currency is the company's unless given."""

    currency: optional(CurrencyCode) = None

    amounts = ("unit_price",)
    amount_rules = {"unit_price": {"pattern": decimal_pattern(12), "description": CURRENCY_DECIMALS}}


ProductPatch = partial(ProductBody)


class TaxRateBody(AmountsAsText, TaxRateIn):
    """A percentage such as "19" or "7.7"; the first rate, or one marked so, is the default."""

    amounts = ("rate",)
    amount_rules = {"rate": {"pattern": PERCENT_TEXT, "description": "A percent from 0 to 100."}}


TaxRatePatch = partial(TaxRateBody)


class ProductOut(BaseModel):
    id: int
    sku: str | None
    name: str
    description: str | None
    unit: str
    unit_price: str
    currency: str
    default_tax_rate_id: int | None
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, product: Product) -> "ProductOut":
        return cls.model_validate({**attributes(product, cls),
                                   "unit_price": amount_text(product.unit_price, product.currency)})


class ProductListItem(ProductOut):
    tax_rate_name: str | None

    @classmethod
    def of_row(cls, row: ProductRow) -> "ProductListItem":
        return cls(**ProductOut.of(row.product).model_dump(), tax_rate_name=row.tax_rate_name)


class TaxRateOut(BaseModel):
    id: int
    name: str
    rate: str
    description: str | None
    is_default: bool
    is_active: bool
    created_at: datetime

    @classmethod
    def of(cls, rate: TaxRate) -> "TaxRateOut":
        return cls.model_validate({**attributes(rate, cls), "rate": decimal_text(rate.rate)})
