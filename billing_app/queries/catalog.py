"""Reads of tax rates and products: settings pages, the API and the invoice editor's picker."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import and_, func, or_, true
from sqlmodel import Session, SQLModel, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import NotFound
from billing_app.models.catalog import Product
from billing_app.models.company import TaxRate
from billing_app.models.users import User

MAX_PAGE = 200
T = TypeVar("T", bound=SQLModel)


def _get(session: Session, model: type[T], row_id: int, what: str) -> T:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"That {what} does not exist.")
    return row


def tax_rate_by_id(session: Session, tax_rate_id: int) -> TaxRate:
    """For services, which check their own permission."""
    return _get(session, TaxRate, tax_rate_id, "tax rate")


def product_by_id(session: Session, product_id: int) -> Product:
    """For services, which check their own permission."""
    return _get(session, Product, product_id, "product")


def tax_rates_list(session: Session, *, actor: User, include_inactive: bool = False) -> list[TaxRate]:
    """The tax rates, the default first, then by percentage from high to low."""
    require(actor, Action.INVOICES_READ)
    query = select(TaxRate).order_by(TaxRate.is_default.desc(), TaxRate.is_active.desc(),
                                     TaxRate.rate.desc(), TaxRate.name)
    if not include_inactive:
        query = query.where(TaxRate.is_active)
    return list(session.exec(query))


def tax_rate_get(session: Session, *, actor: User, tax_rate_id: int) -> TaxRate:
    require(actor, Action.INVOICES_READ)
    return tax_rate_by_id(session, tax_rate_id)


def product_get(session: Session, *, actor: User, product_id: int) -> Product:
    require(actor, Action.INVOICES_READ)
    return product_by_id(session, product_id)


def _matching(search: str):
    """Products whose name, SKU or description contain the words of the search, ignoring case."""
    return and_(true(), *(
        or_(Product.name.icontains(word, autoescape=True),
            Product.sku.icontains(word, autoescape=True),
            Product.description.icontains(word, autoescape=True))
        for word in search.split()
    ))


@dataclass(frozen=True)
class ProductRow:
    product: Product
    tax_rate_name: str | None


def products_page(
    session: Session, *, actor: User, search: str = "", include_inactive: bool = False,
    offset: int = 0, limit: int = 50,
) -> tuple[list[ProductRow], int]:
    """One page of the catalogue by name, with each product's default tax rate, and the total count."""
    require(actor, Action.INVOICES_READ)
    condition = _matching(search)
    if not include_inactive:
        condition = and_(condition, Product.is_active)
    total = session.exec(select(func.count()).select_from(Product).where(condition)).one()
    rows = session.exec(
        select(Product, TaxRate.name)
        .outerjoin(TaxRate, TaxRate.id == Product.default_tax_rate_id)
        .where(condition)
        .order_by(Product.name, Product.id)
        .offset(max(offset, 0))
        .limit(min(max(limit, 1), MAX_PAGE))
    ).all()
    return [ProductRow(product, name) for product, name in rows], total


@dataclass(frozen=True)
class ProductChoice:
    """What a new invoice line takes from a product; the tax rate only while it is active."""

    id: int
    sku: str | None
    name: str
    description: str | None
    unit: str
    unit_price: Decimal
    currency: str
    tax_rate_id: int | None
    tax_rate: Decimal | None


def product_choices(
    session: Session, *, actor: User, search: str = "", limit: int = 20
) -> list[ProductChoice]:
    """Active products matching the search, for the invoice editor's picker."""
    require(actor, Action.INVOICES_READ)
    rows = session.exec(
        select(Product, TaxRate.id, TaxRate.rate)
        .outerjoin(TaxRate, and_(TaxRate.id == Product.default_tax_rate_id, TaxRate.is_active))
        .where(Product.is_active, _matching(search))
        .order_by(Product.name, Product.id)
        .limit(min(max(limit, 1), MAX_PAGE))
    ).all()
    return [
        ProductChoice(p.id, p.sku, p.name, p.description, p.unit, p.unit_price, p.currency,
                      rate_id, rate)
        for p, rate_id, rate in rows
    ]
