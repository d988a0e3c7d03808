"""One payment: its facts and allocations; allocating the remainder, removing an allocation,
voiding or refunding it (each handler asks for PAYMENTS_WRITE on the server)."""

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.invoice_status import OPEN_STATUSES
from billing_app.domain.money import format_money
from billing_app.errors import BillingError
from billing_app.models.payments import PaymentStatus
from billing_app.queries.invoices import invoices_page
from billing_app.queries.payments import PaymentDetail, payment_detail
from billing_app.services.payments import (
    allocation_remove,
    payment_allocate,
    payment_refund,
    payment_void,
)
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.form_values import form_text, outcome_toast, positive_int
from billing_app.ui.states.links import href
from billing_app.ui.states.payments import (
    METHOD_LABELS,
    PAYMENT_STATUS_LABELS,
    payment_label,
)

MAX_OPEN_INVOICES = 200
REVERSED_WORDS = {PaymentStatus.VOID.value: "Voided", PaymentStatus.REFUNDED.value: "Refunded"}
REVERSALS = {"void": (payment_void, "Payment voided."), "refund": (payment_refund, "Payment refunded.")}


def _text(value) -> str:
    return "" if value is None else str(value)


def payment_facts(detail: PaymentDetail) -> dict[str, str]:
    payment = detail.payment
    status = str(payment.status)
    completed = status == PaymentStatus.COMPLETED

    def money(amount) -> str:
        return format_money(amount, payment.currency)

    return {
        "title": payment_label(payment),
        "client": detail.client_name,
        "client_href": href(routes.CLIENT, client_id=payment.client_id),
        "date": payment.payment_date.isoformat(),
        "amount": money(payment.amount),
        "allocated": money(payment.amount_allocated),
        "unallocated": money(payment.unallocated) if completed else "—",
        "has_unallocated": "yes" if completed and payment.unallocated > 0 else "",
        "currency": payment.currency,
        "method": METHOD_LABELS.get(str(payment.method), str(payment.method)),
        "reference": _text(payment.reference),
        "notes": _text(payment.notes),
        "status": status,
        "status_label": PAYMENT_STATUS_LABELS.get(status, status),
        "gateway_provider": _text(payment.gateway_provider),
        "gateway_transaction_id": _text(payment.gateway_transaction_id),
        "gateway_status": _text(payment.gateway_status),
        "reversed_as": REVERSED_WORDS.get(status, status).lower(),
        "reversal": f"{REVERSED_WORDS.get(status, status)} on "
                    f"{payment.reversed_at.strftime('%Y-%m-%d %H:%M UTC')}. Reason: " if payment.reversed_at else "",
        "reversal_reason": _text(payment.reversal_reason),
    }


def allocation_view(row) -> dict[str, str]:
    return {
        "id": str(row.allocation_id),
        "invoice": row.invoice_number or f"Draft #{row.invoice_id}",
        "invoice_href": href(routes.INVOICE, invoice_id=row.invoice_id),
        "amount": format_money(row.amount, row.currency),
    }


def _allocate_errors(error: BillingError) -> dict[str, str]:
    """The message next to the invoice choice, the amount, or above the form."""
    field = error.field or ""
    if field.endswith("invoice_id"):
        return {"invoice": error.message}
    if field.endswith("amount") or field == "allocations":
        return {"amount": error.message}
    return {"form": error.message}


class PaymentDetailState(AuthState):
    loading: bool = True
    found: bool = True
    shown_id: int = 0
    facts: dict[str, str] = {}
    allocations: list[dict[str, str]] = []
    can_write: bool = False

    allocate_open: bool = False
    allocate_errors: dict[str, str] = {}  # invoice, amount, form
    invoice_options: list[dict[str, str]] = []  # the client's open invoices in the payment's currency

    reverse_kind: str = ""  # "void" or "refund" while its dialog is open
    reverse_error: str = ""

    _client: int = 0
    _currency: str = ""

    @rx.var
    def is_completed(self) -> bool:
        return self.facts.get("status", "") == PaymentStatus.COMPLETED.value

    @rx.var
    def can_allocate(self) -> bool:
        return self.can_write and self.facts.get("has_unallocated", "") != ""

    @rx.event
    def load(self):
        self.shown_id = path_id(self.router.url.path, "/payments") or 0
        self.can_write = can(self.user_role, Action.PAYMENTS_WRITE)
        self.allocate_open, self.reverse_kind = False, ""
        self._reload()

    def _reload(self) -> None:
        detail, error = self._run(Action.PAYMENTS_READ,
                                  lambda db, actor: payment_detail(db, actor=actor, payment_id=self.shown_id))
        self.loading = False
        self.found = error is None
        if error:
            self.facts, self.allocations = {}, []
            return
        self.facts = payment_facts(detail)
        self.allocations = [allocation_view(row) for row in detail.allocations]
        self._client, self._currency = detail.payment.client_id, detail.payment.currency

    # --- allocating the remainder ----------------------------------------------------------
    @rx.event
    def open_allocate(self):
        def read(db, actor):
            page = invoices_page(db, actor=actor, client_id=self._client, status=list(OPEN_STATUSES),
                                 sort="due_date", limit=MAX_OPEN_INVOICES, totals=False)
            return [{"id": str(row.id),
                     "label": f"{row.number} · due {row.due_date.isoformat()} · "
                              f"{format_money(row.balance_due, row.currency)} left"}
                    for row in page.rows if row.currency == self._currency and row.balance_due > 0]

        options, error = self._run(Action.PAYMENTS_WRITE, read)
        if error:
            return rx.toast.error(error.message)
        self.invoice_options = options
        self.allocate_errors = {}
        self.allocate_open = True
        return None

    @rx.event
    def set_allocate_open(self, value: bool):
        self.allocate_open = value is True
        self.allocate_errors = {}

    def _allocate(self, allocations: list[dict] | None, auto: bool):
        payment_id = self.shown_id
        payment, error = self._run(
            Action.PAYMENTS_WRITE,
            lambda db, actor: payment_allocate(db, actor=actor, payment_id=payment_id,
                                               allocations=allocations, auto=auto),
        )
        if error:
            self.allocate_errors = _allocate_errors(error)
            return None
        self.allocate_open = False
        self._reload()
        return rx.toast.success(f"Allocated; {self.facts.get('unallocated', '')} remains as client credit."
                                if payment.unallocated > 0 else "The whole payment is allocated.")

    @rx.event
    def allocate_oldest_first(self):
        return self._allocate(None, auto=True)

    @rx.event
    def allocate_to_invoice(self, form: dict):
        invoice_id = positive_int(form_text(form, "invoice"))
        if invoice_id is None:
            self.allocate_errors = {"invoice": "Choose the invoice to put the payment on."}
            return None
        return self._allocate([{"invoice_id": invoice_id, "amount": form_text(form, "amount")}], auto=False)

    # --- removing an allocation ------------------------------------------------------------
    @rx.event
    def remove_allocation(self, allocation_id: str):
        """Only an allocation this page shows: a crafted id of another payment is ignored."""
        if allocation_id not in {row["id"] for row in self.allocations}:
            return None
        _, error = self._run(Action.PAYMENTS_WRITE,
                             lambda db, actor: allocation_remove(db, actor=actor, allocation_id=int(allocation_id)))
        self._reload()
        return outcome_toast(error, "Allocation removed; its amount is client credit again.")

    # --- void and refund -------------------------------------------------------------------
    @rx.event
    def open_reverse(self, kind: str):
        self.reverse_kind = kind if kind in REVERSALS else ""
        self.reverse_error = ""

    @rx.event
    def set_reverse_open(self, value: bool):
        if value is not True:
            self.reverse_kind = ""
        self.reverse_error = ""

    @rx.event
    def reverse(self, form: dict):
        if self.reverse_kind not in REVERSALS:
            return None
        service, done = REVERSALS[self.reverse_kind]
        reason, payment_id = form_text(form, "reason"), self.shown_id
        _, error = self._run(Action.PAYMENTS_WRITE,
                             lambda db, actor: service(db, actor=actor, payment_id=payment_id, reason=reason))
        if error:
            self.reverse_error = error.message
            return None
        self.reverse_kind = ""
        self._reload()
        return rx.toast.success(done)
