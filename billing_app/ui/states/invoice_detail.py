"""One invoice as staff and clients see it, with the actions its status allows."""

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.creditor_reference import creditor_reference, grouped
from billing_app.domain.invoice_status import cancel_refusal
from billing_app.domain.money import format_money
from billing_app.queries.invoices import invoice_detail
from billing_app.services.invoices import CreditLimitExceeded, invoice_cancel, invoice_duplicate, invoice_issue
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.formatting import STATUS_LABELS, rate_label, tax_line_view
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.invoice_payments import InvoicePayments


def _discount_text(kind, value, currency: str) -> str:
    if not kind or value is None:
        return ""
    return f"{value.normalize():f}%" if kind == "percent" else format_money(value, currency)


class InvoiceDetailState(InvoicePayments, AuthState):
    found: bool = True
    loading: bool = True
    shown_id: int = 0
    header: dict[str, str] = {}
    lines: list[dict[str, str]] = []
    taxes: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    can_write: bool = False
    can_read_clients: bool = False
    can_override: bool = False
    credit_warning: str = ""
    cancel_open: bool = False
    cancel_error: str = ""
    is_cancellable: bool = False  # what domain.invoice_status.cancel_refusal says
    _copied_to: int = 0  # the draft "Duplicate" made from this page, so a second click makes none

    def _read_action(self) -> Action:
        return Action.INVOICES_READ if can(self.user_role, Action.INVOICES_READ) else Action.OWN_INVOICES_READ

    @rx.event
    @in_thread
    def load(self):
        path = self.router.url.path
        self.shown_id = path_id(path, "/invoices") or path_id(path, "/my/invoices") or 0
        self.can_write = can(self.user_role, Action.INVOICES_WRITE)
        self.can_read_clients = can(self.user_role, Action.CLIENTS_READ)
        self.can_override = can(self.user_role, Action.CREDIT_LIMIT_OVERRIDE)
        self.credit_warning = ""
        self.cancel_open = False
        self._copied_to = 0
        self._load_permissions()
        self._reload()

    def _reload(self) -> None:
        detail, error = self._run(self._read_action(),
                                  lambda db, actor: invoice_detail(db, actor=actor, invoice_id=self.shown_id))
        self.loading = False
        self.found = error is None
        if error:
            self.header, self.lines, self.taxes, self.history = {}, [], [], []
            self.is_cancellable = False
            self._reload_money(None)
            return
        invoice, currency = detail.invoice, detail.invoice.currency

        def money(amount) -> str:
            return format_money(amount, currency)

        status, rf = str(invoice.status), creditor_reference(invoice.number)
        self.is_cancellable = cancel_refusal(status, invoice.amount_paid, invoice.fees_total) is None
        self.header = {
            "title": invoice.number or f"Draft #{invoice.id}",
            "status": status,
            "status_label": STATUS_LABELS.get(status, status),
            "client": detail.client_name,
            "client_id": str(invoice.client_id),
            "issue_date": invoice.issue_date.isoformat(),
            "due_date": invoice.due_date.isoformat(),
            "currency": currency,
            "creditor_reference": grouped(rf) if rf else "",
            "subtotal": money(detail.totals.subtotal),
            "discount": money(-detail.totals.discount_total) if detail.totals.discount_total else "",
            "tax_total": money(detail.totals.tax_total),
            "total": money(invoice.total),
            "paid": money(invoice.amount_paid),
            "credited": money(invoice.amount_credited),
            "fees": money(detail.totals.fees) if detail.totals.fees else "",
            "balance": money(invoice.balance_due),
            "notes": invoice.notes or "",
            "terms": invoice.terms or "",
            "prices": "Prices include tax" if invoice.prices_include_tax else "Prices exclude tax",
        }
        self.lines = [
            {
                "description": item.line.description,
                "quantity": f"{item.line.quantity.normalize():f}",
                "unit_price": money(item.line.unit_price),
                "discount": _discount_text(item.line.discount_type, item.line.discount_value, currency),
                "taxes": ", ".join(rate_label(t.name, t.rate) for t in item.taxes),
                "net": money(item.net),
            }
            for item in detail.lines
        ]
        self.taxes = [tax_line_view(t, currency) for t in detail.taxes]
        self.history = [
            {
                "at": entry.changed_at.strftime("%Y-%m-%d %H:%M UTC"),
                "change": f"{STATUS_LABELS.get(entry.from_status or '', 'Created')} → "
                          f"{STATUS_LABELS.get(entry.to_status, entry.to_status)}",
                "by": entry.changed_by or "System",
                "note": entry.note or "",
            }
            for entry in detail.history
        ]
        self._reload_money(invoice)

    @rx.var
    def is_draft(self) -> bool:
        return self.header.get("status", "") == "draft"

    def _issue(self, override: bool):
        self.credit_warning = ""
        invoice_id = self.shown_id
        result, error = self._run(
            Action.INVOICES_WRITE,
            lambda db, actor: invoice_issue(db, actor=actor, invoice_id=invoice_id,
                                            override_credit_limit=override).number,
        )
        if isinstance(error, CreditLimitExceeded):
            self.credit_warning = error.message
            return None
        if error:
            return rx.toast.error(error.message)
        self._reload()
        return rx.toast.success(f"Invoice {result} issued.")

    @rx.event
    def issue(self):
        return self._issue(override=False)

    @rx.event
    def issue_over_credit_limit(self):
        return self._issue(override=True)

    @rx.event
    def set_cancel_open(self, value: bool):
        self.cancel_open = bool(value)
        self.cancel_error = ""

    @rx.event
    def cancel(self, form: dict):
        reason = str(form.get("reason", ""))
        invoice_id = self.shown_id
        _, error = self._run(Action.INVOICES_WRITE,
                             lambda db, actor: invoice_cancel(db, actor=actor, invoice_id=invoice_id,
                                                              reason=reason))
        if error:
            self.cancel_error = error.message
            return None
        self.cancel_open = False
        self._reload()
        return rx.toast.success("Invoice cancelled.")

    @rx.event
    def duplicate(self):
        if self._copied_to:
            return rx.redirect(f"/invoices/{self._copied_to}/edit")
        invoice_id = self.shown_id
        new_id, error = self._run(Action.INVOICES_WRITE,
                                  lambda db, actor: invoice_duplicate(db, actor=actor, invoice_id=invoice_id).id)
        if error:
            return rx.toast.error(error.message)
        self._copied_to = new_id
        return [rx.redirect(f"/invoices/{new_id}/edit"), rx.toast.success("Copied into a new draft.")]
