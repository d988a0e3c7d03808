"""The catalogue: products and services that invoice lines start from, and the tax rates."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from billing_app.api.catalog_schemas import (
    ProductBody,
    ProductListItem,
    ProductOut,
    ProductPatch,
    TaxRateBody,
    TaxRateOut,
    TaxRatePatch,
)
from billing_app.api.deps import DbSession, requires
from billing_app.api.schemas import DbId, Limit, Offset, Page, Search
from billing_app.auth.permissions import Action
from billing_app.models.users import User
from billing_app.queries.catalog import product_get, products_page, tax_rate_get, tax_rates_list
from billing_app.services.products import (
    product_activate,
    product_create,
    product_deactivate,
    product_update,
)
from billing_app.services.tax_rates import (
    tax_rate_activate,
    tax_rate_create,
    tax_rate_deactivate,
    tax_rate_update,
)

products = APIRouter(prefix="/products")
tax_rates = APIRouter(prefix="/tax-rates")

Reader = Annotated[User, Depends(requires(Action.INVOICES_READ))]
ProductWriter = Annotated[User, Depends(requires(Action.PRODUCTS_WRITE))]
Admin = Annotated[User, Depends(requires(Action.SETTINGS_MANAGE))]
ProductId = Annotated[DbId, Path()]
TaxRateId = Annotated[DbId, Path()]

# --- products ----------------------------------------------------------------------------------

@products.get("")
def products_list(session: DbSession, actor: Reader, offset: Offset = 0, limit: Limit = 50,
                  search: Search = "", include_inactive: bool = False) -> Page[ProductListItem]:
    """Products by name; the search matches every word in the name, SKU or description."""
    rows, total = products_page(session, actor=actor, search=search,
                                include_inactive=include_inactive, offset=offset, limit=limit)
    items = [ProductListItem.of_row(row) for row in rows]
    return Page[ProductListItem](items=items, total=total, offset=offset, limit=limit)


@products.post("", status_code=status.HTTP_201_CREATED)
def products_create(body: ProductBody, session: DbSession, actor: ProductWriter) -> ProductOut:
    return ProductOut.of(product_create(session, actor=actor,
                                        data=body.model_dump(exclude_unset=True)))


@products.get("/{product_id}")
def products_get(product_id: ProductId, session: DbSession, actor: Reader) -> ProductOut:
    return ProductOut.of(product_get(session, actor=actor, product_id=product_id))


@products.patch("/{product_id}")
def products_update(product_id: ProductId, body: ProductPatch, session: DbSession,
                    actor: ProductWriter) -> ProductOut:
    return ProductOut.of(product_update(session, actor=actor, product_id=product_id,
                                        data=body.model_dump(exclude_unset=True)))


@products.post("/{product_id}/deactivate")
def products_deactivate(product_id: ProductId, session: DbSession,
                        actor: ProductWriter) -> ProductOut:
    """Offer the product no more; invoice lines that used it keep their copy."""
    return ProductOut.of(product_deactivate(session, actor=actor, product_id=product_id))


@products.post("/{product_id}/activate")
def products_activate(product_id: ProductId, session: DbSession,
                      actor: ProductWriter) -> ProductOut:
    return ProductOut.of(product_activate(session, actor=actor, product_id=product_id))


# --- tax rates ---------------------------------------------------------------------------------

@tax_rates.get("")
def tax_rates_all(session: DbSession, actor: Reader,
                  include_inactive: bool = False) -> list[TaxRateOut]:
    """The default rate first, then by percentage from high to low."""
    return [TaxRateOut.of(rate) for rate in
            tax_rates_list(session, actor=actor, include_inactive=include_inactive)]


@tax_rates.post("", status_code=status.HTTP_201_CREATED)
def tax_rates_create(body: TaxRateBody, session: DbSession, actor: Admin) -> TaxRateOut:
    return TaxRateOut.of(tax_rate_create(session, actor=actor,
                                         data=body.model_dump(exclude_unset=True)))


@tax_rates.get("/{tax_rate_id}")
def tax_rates_get(tax_rate_id: TaxRateId, session: DbSession, actor: Reader) -> TaxRateOut:
    return TaxRateOut.of(tax_rate_get(session, actor=actor, tax_rate_id=tax_rate_id))


@tax_rates.patch("/{tax_rate_id}")
def tax_rates_update(tax_rate_id: TaxRateId, body: TaxRatePatch, session: DbSession,
                     actor: Admin) -> TaxRateOut:
    """Rename it, describe it, make it the default, or change the percentage while unused."""
    return TaxRateOut.of(tax_rate_update(session, actor=actor, tax_rate_id=tax_rate_id,
                                         data=body.model_dump(exclude_unset=True)))


@tax_rates.post("/{tax_rate_id}/deactivate")
def tax_rates_deactivate(tax_rate_id: TaxRateId, session: DbSession, actor: Admin) -> TaxRateOut:
    """Offer the rate no more; invoices that use it keep it."""
    return TaxRateOut.of(tax_rate_deactivate(session, actor=actor, tax_rate_id=tax_rate_id))


@tax_rates.post("/{tax_rate_id}/activate")
def tax_rates_activate(tax_rate_id: TaxRateId, session: DbSession, actor: Admin) -> TaxRateOut:
    return TaxRateOut.of(tax_rate_activate(session, actor=actor, tax_rate_id=tax_rate_id))


router = APIRouter()
router.include_router(products)
router.include_router(tax_rates)
