"""One payment: its facts and allocations; allocating the remainder, removing an allocation,
voiding or refunding it (each handler asks for PAYMENTS_WRITE on the server)."""

import reflex as rx

from decimal import Decimal

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money, quantize_money
from billing_app.models.payments import PaymentStatus
from billing_app.queries.payments import PaymentDetail, open_invoices, payment_detail
from billing_app.services.payments import (
    allocation_remove,
    payment_allocate,
    payment_refund,
    payment_void,
    refund_payment,
)
from billing_app.ui import routes
from billing_app.ui.states.allocation_editor import AllocationEditor, allocation_row
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.form_values import dialog_errors, form_text, outcome_toast, typed_numbers
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href
from billing_app.ui.states.payments import (
    METHOD_LABELS,
    PAYMENT_STATUS_LABELS,
    payment_label,
)

REVERSED_WORDS = {PaymentStatus.VOID.value: "Voided", PaymentStatus.REFUNDED.value: "Refunded",
                  PaymentStatus.RETURNED.value: "Returned by the bank"}
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
        "refunded": money(payment.amount_refunded),
        "voidable": "" if payment.amount_refunded else "yes",  # money given back is no mistake
        # what a refund may give back, as the amount field's starting text ("40.00")
        "refundable": str(quantize_money(payment.refundable, payment.currency))
                      if completed and payment.refundable > 0 else "",
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


class PaymentDetailState(AllocationEditor, AuthState):
    loading: bool = True
    found: bool = True
    shown_id: int = 0
    facts: dict[str, str] = {}
    allocations: list[dict[str, str]] = []
    can_write: bool = False

    allocate_open: bool = False
    allocate_error: str = ""  # above the dialog's buttons; the allocations' own are at them

    reverse_kind: str = ""  # "void" or "refund" while its dialog is open
    reverse_error: str = ""

    refund_open: bool = False
    refund_errors: dict[str, str] = {}  # amount, reason, form

    _client: int = 0
    _currency: str = ""
    _unallocated: Decimal = Decimal(0)

    @rx.var
    def is_completed(self) -> bool:
        return self.facts.get("status", "") == PaymentStatus.COMPLETED.value

    @rx.var
    def can_allocate(self) -> bool:
        return self.can_write and self.facts.get("has_unallocated", "") != ""

    @rx.event
    @in_thread
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
        self._unallocated = detail.payment.unallocated

    # --- allocating the remainder ----------------------------------------------------------
    @rx.event
    def open_allocate(self):
        """The client's open invoices in the payment's currency, the remainder on them oldest first."""
        client_id, currency = self._client, self._currency
        rows, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: open_invoices(
            db, actor=actor, client_id=client_id, currency=currency))
        if error:
            return rx.toast.error(error.message)
        self._share_amount(self._unallocated, currency)
        self._show_allocation_rows([allocation_row(row) for row in rows], currency)
        self.allocate_error = ""
        self.allocate_open = True
        return None

    @rx.event
    def set_allocate_open(self, value: bool):
        self.allocate_open = value is True
        self.allocate_error = ""

    @rx.event
    def allocate_to_invoices(self, _form: dict):
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
        self._clear_allocation_problems()
        self.allocate_error = ""
        payment_id, allocations = self.shown_id, self._allocation_wishes()
        if not allocations:
            self.allocation_error = "Put an amount on at least one invoice."
            return None
        payment, error = self._run(
            Action.PAYMENTS_WRITE,
            lambda db, actor: payment_allocate(db, actor=actor, payment_id=payment_id,
                                               allocations=allocations, auto=False),
        )
        if error:
            if not self._show_allocation_problem(error):
                self.allocate_error = error.message
            return None
        self.allocate_open = False
        self._reload()
        return rx.toast.success(f"Allocated; {self.facts.get('unallocated', '')} remains as client credit."
                                if payment.unallocated > 0 else "The whole payment is allocated.")

    # --- removing an allocation ------------------------------------------------------------
    @rx.event
    def remove_allocation(self, allocation_id: str):
        """Only an allocation this page shows: a crafted id of another payment is ignored."""
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
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
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
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

    # --- refunding an amount ---------------------------------------------------------------
    @rx.event
    def open_refund(self):
        self.refund_open, self.refund_errors = True, {}

    @rx.event
    def set_refund_open(self, value: bool):
        self.refund_open, self.refund_errors = value is True, {}

    @rx.event
    def refund(self, form: dict):
        """Refund once: a second click finds the dialog closed by the first and does nothing."""
        if refusal := self._refusal(Action.PAYMENTS_WRITE):
            return rx.toast.error(refusal.message)
        if not self.refund_open:
            return None
        data = {"amount": form_text(form, "amount").strip(), "reason": form_text(form, "reason")}
        payment_id = self.shown_id
        made, error = self._run(Action.PAYMENTS_WRITE, lambda db, actor: refund_payment(
            db, actor=actor, payment_id=payment_id, data=typed_numbers(db, data, "amount")))
        if error:
            self.refund_errors = dialog_errors(error, data)
            return None
        self.refund_open = False
        self._reload()
        return rx.toast.success(f"Refunded {format_money(made.amount, made.currency)}.")
