"""The payment list: one page of payments, searched and filtered on the server."""

from typing import ClassVar

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.models.payments import PaymentMethod, PaymentStatus
from billing_app.queries.payments import PaymentRow, payments_page
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.date_filters import checked_date, day
from billing_app.ui.states.links import href
from billing_app.ui.states.listing import SearchList

METHOD_LABELS = {
    PaymentMethod.BANK_TRANSFER.value: "Bank transfer",
    PaymentMethod.CARD.value: "Card",
    PaymentMethod.CASH.value: "Cash",
    PaymentMethod.CHEQUE.value: "Cheque",
    PaymentMethod.DIRECT_DEBIT.value: "Direct debit",
    PaymentMethod.ONLINE_GATEWAY.value: "Online gateway",
}
PAYMENT_STATUS_LABELS = {
    PaymentStatus.COMPLETED.value: "Completed",
    PaymentStatus.REFUNDED.value: "Refunded",
    PaymentStatus.VOID.value: "Void",
}
STATUS_OPTIONS = [("", "All"), *PAYMENT_STATUS_LABELS.items()]
METHOD_OPTIONS = [("", "All methods"), *METHOD_LABELS.items()]
DATE_FILTERS = ("date_from", "date_to")


def payment_label(payment) -> str:
    """How a payment is named in lists and headings: its reference, else its number."""
    return payment.reference or f"Payment {payment.id}"


def payment_row_view(row: PaymentRow) -> dict[str, str]:
    payment = row.payment
    status = str(payment.status)
    completed = status == PaymentStatus.COMPLETED
    return {
        "id": str(payment.id),
        "href": href(routes.PAYMENT, payment_id=payment.id),
        "date": payment.payment_date.isoformat(),
        "client": row.client_name,
        "label": payment_label(payment),
        "method": METHOD_LABELS.get(str(payment.method), str(payment.method)),
        "amount": format_money(payment.amount, payment.currency),
        # a voided or refunded payment is nobody's credit any more
        "unallocated": format_money(payment.unallocated, payment.currency) if completed else "—",
        "status": status,
        "status_label": PAYMENT_STATUS_LABELS.get(status, status),
    }


class PaymentsState(SearchList, AuthState):
    read_action: ClassVar[Action] = Action.PAYMENTS_READ
    write_action: ClassVar[Action] = Action.PAYMENTS_WRITE

    status: str = ""
    method: str = ""
    date_from: str = ""
    date_to: str = ""
    date_errors: dict[str, str] = {}

    def _read_page(self, db, actor):
        page = payments_page(
            db, actor=actor, search=self.search, status=self.status or None,
            method=self.method or None, date_from=day(self.date_from), date_to=day(self.date_to),
            offset=self.offset, limit=self.page_size,
        )
        return [payment_row_view(row) for row in page.rows], page.total

    @rx.event
    def set_status(self, value: str):
        self.status = value if value in PAYMENT_STATUS_LABELS else ""
        return self._first_page()

    @rx.event
    def set_method(self, value: str):
        self.method = value if value in METHOD_LABELS else ""
        return self._first_page()

    @rx.event
    def set_date(self, name: str, value: str):
        if name not in DATE_FILTERS:
            return None
        text, self.date_errors = checked_date(value, name, self.date_errors)
        if text is None:
            return None
        setattr(self, name, text)
        return self._first_page()
