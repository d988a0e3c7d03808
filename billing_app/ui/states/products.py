"""The product catalogue: a paged list, a dialog to add or edit a product, (de)activation."""

from typing import ClassVar

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money, quantize_money
from billing_app.models.catalog import Product
from billing_app.models.company import TaxRate
from billing_app.queries.catalog import ProductRow, product_get, products_page, tax_rates_list
from billing_app.queries.company import company_ensure
from billing_app.services.products import (
    ProductIn,
    product_activate,
    product_create,
    product_deactivate,
    product_update,
)
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.form_values import (
    field_errors,
    form_fields,
    outcome_toast,
    positive_int,
    typed_numbers,
)
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.listing import SearchList

PRODUCT_FIELDS = tuple(ProductIn.model_fields)


def product_view(row: ProductRow) -> dict[str, str]:
    product = row.product
    return {
        "id": str(product.id),
        "sku": product.sku or "",
        "name": product.name,
        "unit": product.unit,
        "price": format_money(product.unit_price, product.currency),
        "tax_rate": row.tax_rate_name or "",
        "active": "yes" if product.is_active else "",
    }


def product_values(product: Product) -> dict[str, str]:
    """The product as the form shows it (the price with its currency's decimals)."""
    return {
        "sku": product.sku or "",
        "name": product.name,
        "description": product.description or "",
        "unit": product.unit,
        "currency": product.currency,
        "unit_price": format(quantize_money(product.unit_price, product.currency), "f"),
        "default_tax_rate_id": str(product.default_tax_rate_id or ""),
    }


def _tax_options(rates: list[TaxRate], current_rate_id: int | None) -> list[dict[str, str]]:
    """Active rates; a product's inactive rate too, so that saving the form keeps it."""
    return [{"id": str(rate.id), "label": rate.name if rate.is_active else f"{rate.name} (inactive)"}
            for rate in rates if rate.is_active or rate.id == current_rate_id]


class ProductsState(SearchList, AuthState):
    read_action: ClassVar[Action] = Action.INVOICES_READ
    write_action: ClassVar[Action] = Action.PRODUCTS_WRITE

    show_inactive: bool = False
    form_open: bool = False
    editing: bool = False
    values: dict[str, str] = {}
    tax_options: list[dict[str, str]] = []
    form_error: str = ""
    field_errors: dict[str, str] = {}
    _product_id: int = 0

    def _read_page(self, db, actor):
        rows, total = products_page(db, actor=actor, search=self.search, include_inactive=self.show_inactive,
                                    offset=self.offset, limit=self.page_size)
        return [product_view(row) for row in rows], total

    @rx.event
    @in_thread
    def set_show_inactive(self, value: bool):
        self.show_inactive = value is True
        yield  # move the switch now; the list follows
        yield self._first_page()

    # --- the product dialog -------------------------------------------------------------------
    def _open(self, read):
        """Fill the dialog from `read(db, actor) -> (product id or 0, values, tax options)`."""
        result, error = self._run(Action.PRODUCTS_WRITE, read)
        if error:
            return rx.toast.error(error.message)
        self._product_id, self.values, self.tax_options = result
        self.editing = self._product_id != 0
        self.form_error = ""
        self.field_errors = {}
        self.form_open = True
        return None

    @rx.event
    def open_new(self):
        def read(db, actor):
            rates = tax_rates_list(db, actor=actor)
            default_rate = next((str(rate.id) for rate in rates if rate.is_default), "")
            values = {"unit": "unit", "currency": company_ensure(db).default_currency,
                      "default_tax_rate_id": default_rate}
            return 0, values, _tax_options(rates, None)

        return self._open(read)

    @rx.event
    def open_edit(self, product_id: str):
        pid = positive_int(product_id) or 0

        def read(db, actor):
            product = product_get(db, actor=actor, product_id=pid)
            rates = tax_rates_list(db, actor=actor, include_inactive=True)
            return product.id, product_values(product), _tax_options(rates, product.default_tax_rate_id)

        return self._open(read)

    @rx.event
    def set_form_open(self, value: bool):
        self.form_open = value is True

    @rx.event
    def save_product(self, form: dict):
        if refusal := self._refusal(Action.PRODUCTS_WRITE):
            return rx.toast.error(refusal.message)
        if not self.form_open:  # a second click's submit, after the first saved and closed the dialog
            return None
        data = form_fields(form, "product-", PRODUCT_FIELDS)
        data["default_tax_rate_id"] = data["default_tax_rate_id"] or None
        pid = self._product_id

        def save(db, actor):
            values = typed_numbers(db, data, "unit_price")
            if pid:
                return product_update(db, actor=actor, product_id=pid, data=values).name
            return product_create(db, actor=actor, data=values).name

        saved, error = self._run(Action.PRODUCTS_WRITE, save)
        if error:
            self.form_error = error.message
            self.field_errors = field_errors(error)
            return None
        self.form_open = False
        yield self._reload()
        yield rx.toast.success(f"Product {saved} saved." if pid else f"Product {saved} created.")

    # --- row actions --------------------------------------------------------------------------
    def _set_active(self, product_id: str, service, success: str):
        pid = positive_int(product_id) or 0
        _, error = self._run(Action.PRODUCTS_WRITE, lambda db, actor: service(db, actor=actor, product_id=pid))
        yield self._reload()
        yield outcome_toast(error, success)

    @rx.event
    def deactivate(self, product_id: str):
        yield from self._set_active(product_id, product_deactivate, "Product deactivated.")

    @rx.event
    def activate(self, product_id: str):
        yield from self._set_active(product_id, product_activate, "Product activated.")
