"""The invoice editor: a draft's header and lines, with totals recomputed by the server as
the user types (the same compute_totals the PDF, API and reports use)."""

import dataclasses
import itertools
import re

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money, format_number
from billing_app.errors import BillingError, ValidationFailed
from billing_app.models.invoices import InvoiceLineIn
from billing_app.queries.catalog import product_choices, tax_rates_list
from billing_app.queries.clients import client_detail
from billing_app.queries.company import company_ensure
from billing_app.queries.invoices import invoice_detail
from billing_app.services.invoices import (
    CreditLimitExceeded,
    invoice_create_draft,
    invoice_issue,
    invoice_preview_totals,
    invoice_update_draft,
)
from billing_app.services.validation import validated
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.client_choice import (
    MAX_TEXT,
    client_option,
    client_options,
    picked_client,
)
from billing_app.ui.states.form_values import plain_number
from billing_app.ui.states.formatting import rate_label, tax_line_view

LINE_FIELDS = {"description", "quantity", "unit_price", "discount_type", "discount_value"}
HEADER_FIELDS = {"issue_date", "due_date", "currency", "discount_type", "discount_value", "notes", "terms"}
# where a line's problem is shown: under its field, or (tax rates, product) under the row
ERROR_SLOTS = {"description": "description_error", "quantity": "quantity_error",
               "unit_price": "unit_price_error", "discount_type": "discount_error",
               "discount_value": "discount_error"}
NO_TOTAL = "—"
MAX_LINES = 200
_keys = itertools.count(1)


@dataclasses.dataclass
class EditorLine:
    key: str = ""
    product_id: str = ""
    description: str = ""
    quantity: str = "1"
    unit_price: str = ""
    discount_type: str = ""
    discount_value: str = ""
    tax_rate_ids: list[str] = dataclasses.field(default_factory=list)
    tax_label: str = ""
    net: str = ""
    description_error: str = ""
    quantity_error: str = ""
    unit_price_error: str = ""
    discount_error: str = ""
    error: str = ""


def _new_line(**values) -> EditorLine:
    return EditorLine(key=str(next(_keys)), **values)


def _text(value) -> str:
    return "" if value is None else str(value)


def _clear_errors(line: EditorLine) -> EditorLine:
    return dataclasses.replace(line, error="", **dict.fromkeys(ERROR_SLOTS.values(), ""))


def _with_error(line: EditorLine, field: str, message: str) -> EditorLine:
    return dataclasses.replace(_clear_errors(line), **{ERROR_SLOTS.get(field, "error"): message})


def _has_error(line: EditorLine) -> bool:
    return any(getattr(line, slot) for slot in {*ERROR_SLOTS.values(), "error"})


def _company_defaults(db, _actor) -> tuple[str, str]:
    """The notes and terms a new invoice starts with, shown in the form so they can be edited."""
    company = company_ensure(db)
    return company.default_notes or "", company.default_terms or ""


class InvoiceEditorState(AuthState):
    editing_id: int = 0
    loaded: bool = False
    not_editable: str = ""

    client_text: str = ""
    client_ref: str = ""
    client_options: list[str] = []
    issue_date: str = ""
    due_date: str = ""
    currency: str = ""
    discount_type: str = ""
    discount_value: str = ""
    notes: str = ""
    terms: str = ""
    lines: list[EditorLine] = []

    tax_options: list[dict[str, str]] = []
    product_options: list[dict[str, str]] = []
    _products: dict[str, dict] = {}
    _default_rate: str = ""
    _locale: str = "en_US"  # the company's: how numbers are typed and shown in the inputs

    totals: dict[str, str] = {}
    tax_lines: list[dict[str, str]] = []
    field_errors: dict[str, str] = {}
    form_error: str = ""
    credit_warning: str = ""
    can_override: bool = False
    saving: bool = False
    _saved: list = []  # [invoice id, message] once this form saved: a second click saves nothing

    # --- loading ---------------------------------------------------------------------------
    @rx.event
    def load(self):
        self._reset_form()
        self.editing_id = path_id(self.router.url.path, "/invoices") or 0
        self.can_override = can(self.user_role, Action.CREDIT_LIMIT_OVERRIDE)
        result, error = self._run(Action.INVOICES_WRITE, self._read_choices)
        if error:
            return rx.toast.error(error.message)
        if self.editing_id:
            _, error = self._run(Action.INVOICES_WRITE, self._read_draft)
            if error:
                self.not_editable = error.message
        else:
            self.issue_date = self._today().isoformat()
            self.lines = [_new_line(tax_rate_ids=[self._default_rate] if self._default_rate else [])]
            defaults, _ = self._run(Action.INVOICES_WRITE, _company_defaults)
            self.notes, self.terms = defaults or ("", "")
            client_id = self.router.url.query_parameters.get("client_id", "")
            if client_id.isdigit():
                self._choose_client_by_id(int(client_id))
        self.loaded = True
        self._recompute()
        return None

    def _reset_form(self) -> None:
        self.loaded = False
        self.not_editable = self.client_text = self.client_ref = self.issue_date = ""
        self.due_date = self.currency = self.discount_type = self.discount_value = ""
        self.notes = self.terms = self.form_error = self.credit_warning = ""
        self.lines, self.client_options, self.tax_lines = [], [], []
        self.totals, self.field_errors = {}, {}
        self.saving, self._saved = False, []

    def _read_choices(self, db, actor):
        self._locale = company_ensure(db).locale
        rates = tax_rates_list(db, actor=actor)
        self.tax_options = [{"id": str(r.id), "label": rate_label(r.name, r.rate)} for r in rates]
        self._default_rate = str(rates[0].id) if rates else ""
        products = product_choices(db, actor=actor, limit=100)
        self.product_options = [{"id": str(p.id), "label": p.name} for p in products]
        self._products = {
            str(p.id): {"description": p.description or p.name,
                        "unit_price": format_number(p.unit_price.normalize(), self._locale),
                        "tax_rate_ids": [str(p.tax_rate_id)] if p.tax_rate_id else []}
            for p in products
        }
        self.client_options = client_options(db, actor)

    def _read_draft(self, db, actor):
        detail = invoice_detail(db, actor=actor, invoice_id=self.editing_id)
        invoice = detail.invoice
        if invoice.status != "draft":
            raise BillingError("This invoice has been issued; its amounts can no longer be edited.")
        self.client_text = client_option(invoice.client_id, detail.client_name)
        self.client_ref = str(invoice.client_id)
        self.issue_date, self.due_date = invoice.issue_date.isoformat(), invoice.due_date.isoformat()
        self.currency = invoice.currency
        self.discount_type = _text(invoice.discount_type)
        self.discount_value = _text(invoice.discount_value
                                    and format_number(invoice.discount_value.normalize(), self._locale))
        self.notes, self.terms = _text(invoice.notes), _text(invoice.terms)
        self.lines = [
            _new_line(
                product_id=_text(item.line.product_id),
                description=item.line.description,
                quantity=format_number(item.line.quantity.normalize(), self._locale),
                unit_price=format_number(item.line.unit_price.normalize(), self._locale),
                discount_type=_text(item.line.discount_type),
                discount_value=_text(item.line.discount_value
                                     and format_number(item.line.discount_value.normalize(), self._locale)),
                tax_rate_ids=[str(tax.tax_rate_id) for tax in item.taxes],
            )
            for item in detail.lines
        ] or [_new_line()]

    # --- editing ---------------------------------------------------------------------------
    @rx.event
    def set_header(self, name: str, value: str):
        if name in HEADER_FIELDS:
            setattr(self, name, str(value)[:5000])
            self.field_errors = {k: v for k, v in self.field_errors.items() if k != name}
            self._recompute()

    @rx.event
    def set_client_text(self, value: str):
        self.client_text = str(value)[:MAX_TEXT]
        picked = picked_client(self.client_text)
        if picked is not None:
            self._choose_client_by_id(picked)
        else:
            self.client_ref = ""
            search = self.client_text
            options, error = self._run(Action.INVOICES_WRITE,
                                       lambda db, actor: client_options(db, actor, search))
            if error is None:
                self.client_options = options
        self._recompute()

    def _choose_client_by_id(self, client_id: int) -> None:
        detail, error = self._run(
            Action.INVOICES_WRITE, lambda db, actor: client_detail(db, actor=actor, client_id=client_id)
        )
        if error:
            self.field_errors = {**self.field_errors, "client_id": error.message}
            return
        client = detail.client
        self.client_text = client_option(client.id, client.name)
        self.client_ref = str(client.id)
        self.currency = self.currency or client.currency
        self.field_errors = {k: v for k, v in self.field_errors.items() if k != "client_id"}

    @rx.event
    def add_line(self):
        if len(self.lines) < MAX_LINES:
            default = [self._default_rate] if self._default_rate else []
            self.lines = [*self.lines, _new_line(tax_rate_ids=default)]

    @rx.event
    def remove_line(self, index: int):
        if 0 <= index < len(self.lines):
            self.lines = [line for n, line in enumerate(self.lines) if n != index]
            self._recompute()

    def _change_line(self, index: int, **changes) -> None:
        if 0 <= index < len(self.lines):
            lines = list(self.lines)
            lines[index] = dataclasses.replace(lines[index], **changes)
            self.lines = lines
            self._recompute()

    @rx.event
    def set_line_field(self, index: int, name: str, value: str):
        if name in LINE_FIELDS:
            self._change_line(index, **{name: str(value)[:2000]})

    @rx.event
    def toggle_line_tax(self, index: int, tax_rate_id: str, checked: bool):
        if 0 <= index < len(self.lines) and tax_rate_id in {t["id"] for t in self.tax_options}:
            current = [t for t in self.lines[index].tax_rate_ids if t != tax_rate_id]
            self._change_line(index, tax_rate_ids=[*current, tax_rate_id] if checked else current)

    @rx.event
    def choose_product(self, index: int, product_id: str):
        product = self._products.get(product_id)
        if product is None:
            self._change_line(index, product_id="")
            return
        self._change_line(index, product_id=product_id, description=product["description"],
                          unit_price=product["unit_price"],
                          tax_rate_ids=product["tax_rate_ids"] or self.lines[index].tax_rate_ids)

    # --- totals ----------------------------------------------------------------------------
    def _plain(self, text: str, field: str) -> str:
        return plain_number(text, self._locale, field)

    def _line_data(self, line: EditorLine) -> dict:
        return {"product_id": line.product_id, "description": line.description,
                "quantity": self._plain(line.quantity, "quantity"),
                "unit_price": self._plain(line.unit_price, "unit_price"),
                "discount_type": line.discount_type,
                "discount_value": self._plain(line.discount_value, "discount_value"),
                "tax_rate_ids": line.tax_rate_ids}

    def _payload(self, lines: list[EditorLine]) -> dict:
        data = []
        for index, line in enumerate(lines):
            try:
                data.append(self._line_data(line))
            except ValidationFailed as exc:
                raise ValidationFailed(exc.message, field=f"lines.{index}.{exc.field}") from None
        return {
            "client_id": self.client_ref or None,
            "issue_date": self.issue_date or None,
            "due_date": self.due_date,
            "currency": self.currency,
            "discount_type": self.discount_type,
            "discount_value": self._plain(self.discount_value, "discount_value"),
            "notes": self.notes or None,
            "terms": self.terms or None,
            "lines": data,
        }

    def _checked(self, line: EditorLine) -> EditorLine:
        """The line with the first problem of what is typed so far shown under its field; a
        line still waiting for its description, quantity or price is not blamed for that."""
        try:
            data = self._line_data(line)
            if not line.unit_price.strip():  # an amount discount is checked against the price
                data.update(unit_price="0", discount_value="" if line.discount_type == "amount"
                            else data["discount_value"])
            validated(InvoiceLineIn, {**data, "description": line.description or "…",
                                      "quantity": data["quantity"] or "1"})
        except ValidationFailed as exc:
            return _with_error(line, exc.field or "", exc.message)
        return _clear_errors(line)

    def _recompute(self) -> None:
        """Check every line as it is typed, then the totals of the lines with a price, from the
        same compute_totals as the PDF; while any line is wrong the totals show "—"."""
        labels = {t["id"]: t["label"] for t in self.tax_options}
        self.lines = [dataclasses.replace(self._checked(line), net="",
                                          tax_label=", ".join(labels.get(t, t) for t in line.tax_rate_ids)
                                          or "No tax")
                      for line in self.lines]
        if not self.loaded or not self.client_ref or not self.issue_date:
            self.totals, self.tax_lines = {}, []
            return
        wrong = any(_has_error(line) for line in self.lines)
        ready = [line for line in self.lines if line.unit_price.strip() and not _has_error(line)]
        preview = [dataclasses.replace(line, description=line.description or "…") for line in ready]
        # with a wrong line the right ones still show their nets (the invoice discount waits)
        waiting = {"discount_type": "", "discount_value": ""} if wrong else {}
        totals, error = self._run(
            Action.INVOICES_WRITE,
            lambda db, actor: invoice_preview_totals(db, actor=actor, data=self._payload(preview) | waiting,
                                                     invoice_id=self.editing_id or None),
        )
        if error:
            self._show_error(error, lines=ready)
            self._no_totals()
            return
        self.form_error = ""
        currency = self.currency or "EUR"
        nets = {line.key: format_money(amounts.net, currency) for line, amounts in zip(ready, totals.lines)}
        self.lines = [dataclasses.replace(line, net=nets.get(line.key, "")) for line in self.lines]
        if wrong:
            self._no_totals()
            return
        self.field_errors = {}
        self.totals = {
            "subtotal": format_money(totals.subtotal, currency),
            "discount": format_money(-totals.discount_total, currency) if totals.discount_total else "",
            "tax_total": format_money(totals.tax_total, currency),
            "total": format_money(totals.total, currency),
        }
        self.tax_lines = [tax_line_view(tax, currency) for tax in totals.taxes]

    def _no_totals(self) -> None:
        """Totals of a form with a problem: a dash, never a wrong amount."""
        self.totals = {"subtotal": NO_TOTAL, "discount": "", "tax_total": NO_TOTAL, "total": NO_TOTAL}
        self.tax_lines = []

    def _show_error(self, error: BillingError, lines: list[EditorLine]) -> None:
        """Put the message next to its field: a line's field or row, a header field, or the form."""
        field = error.field or ""
        match = re.match(r"^lines\.(\d+)\.?(\w*)", field)
        if match and int(match.group(1)) < len(lines):
            key = lines[int(match.group(1))].key
            self.lines = [_with_error(line, match.group(2), error.message) if line.key == key else line
                          for line in self.lines]
        elif field and field.split(".")[0] in HEADER_FIELDS | {"client_id"}:
            self.field_errors = {field.split(".")[0]: error.message}
        else:
            self.form_error = error.message

    # --- saving ----------------------------------------------------------------------------
    def _save(self, db, actor):
        data = self._payload(self.lines)
        if self.editing_id:
            return invoice_update_draft(db, actor=actor, invoice_id=self.editing_id, data=data)
        return invoice_create_draft(db, actor=actor, data=data)

    def _submit(self, issue: bool, override: bool = False):
        """Save (and issue) once: a double click, or "Save draft" then "Save and issue" before
        the page has moved on, answers with the first result instead of a second invoice."""
        if self._saved:
            invoice_id, message = self._saved
            return [rx.redirect(f"/invoices/{invoice_id}"), rx.toast.success(message)]
        self.form_error = self.credit_warning = ""

        def work(db, actor):
            invoice = self._save(db, actor)
            if issue:
                invoice = invoice_issue(db, actor=actor, invoice_id=invoice.id,
                                        override_credit_limit=override)
            return invoice.id, invoice.number

        result, error = self._run(Action.INVOICES_WRITE, work)
        if isinstance(error, CreditLimitExceeded):
            self.credit_warning = error.message
            return None
        if error:
            self._show_error(error, lines=self.lines)
            return rx.toast.error(error.message)
        invoice_id, number = result
        message = f"Invoice {number} issued." if issue else "Draft saved."
        self._saved = [invoice_id, message]
        return [rx.redirect(f"/invoices/{invoice_id}"), rx.toast.success(message)]

    def _saving(self, issue: bool, override: bool = False):
        """The buttons show they are busy (and take no click) while the invoice is saved."""
        self.saving = True
        yield
        answer = self._submit(issue=issue, override=override)
        self.saving = False
        yield answer

    @rx.event
    def save_draft(self):
        yield from self._saving(issue=False)

    @rx.event
    def save_and_issue(self):
        yield from self._saving(issue=True)

    @rx.event
    def issue_over_credit_limit(self):
        if refusal := self._refusal(Action.CREDIT_LIMIT_OVERRIDE):
            return rx.toast.error(refusal.message)
        yield from self._saving(issue=True, override=True)

    @rx.var
    def has_totals(self) -> bool:
        return "total" in self.totals

    @rx.var
    def page_title(self) -> str:
        return "Edit draft invoice" if self.editing_id else routes.INVOICE_NEW.title
