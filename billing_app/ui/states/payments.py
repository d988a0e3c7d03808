"""The payment list: one page of payments, searched and filtered on the server."""

from typing import ClassVar

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.models.payments import PaymentMethod, PaymentStatus
from billing_app.queries.clients import client_detail
from billing_app.queries.payments import PaymentRow, payments_page
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.date_filters import day
from billing_app.ui.states.form_values import positive_int
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href
from billing_app.ui.states.url_filters import UrlFilters, choice

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
    PaymentStatus.RETURNED.value: "Returned",
}
STATUS_OPTIONS = [("", "All"), *PAYMENT_STATUS_LABELS.items()]
METHOD_OPTIONS = [("", "All methods"), *METHOD_LABELS.items()]


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


class PaymentsState(UrlFilters, AuthState):
    """The filters live in the URL (q, from, to, status, method, client): the client page links
    to its payments as /payments?client=<id>."""

    read_action: ClassVar[Action] = Action.PAYMENTS_READ
    write_action: ClassVar[Action] = Action.PAYMENTS_WRITE

    status: str = ""
    method: str = ""
    client_ref: str = ""  # the id of the client whose payments are shown, "" for all clients
    client_name: str = ""

    def _read_page(self, db, actor):
        page = payments_page(
            db, actor=actor, search=self.search, client_id=int(self.client_ref) if self.client_ref else None,
            status=self.status or None, method=self.method or None,
            date_from=day(self.date_from), date_to=day(self.date_to), offset=self.offset, limit=self.page_size,
        )
        return [payment_row_view(row) for row in page.rows], page.total

    def _own_params(self) -> dict[str, str]:
        return {"status": self.status, "method": self.method, "client": self.client_ref}

    def _take_params(self, params) -> None:
        self.status = choice(params.get("status"), PAYMENT_STATUS_LABELS)
        self.method = choice(params.get("method"), METHOD_LABELS)
        self.client_ref = self.client_name = ""
        chosen = positive_int(params.get("client"))
        if chosen is None:
            return
        name, error = self._run(self.read_action,
                                lambda db, actor: client_detail(db, actor=actor, client_id=chosen).client.name)
        # a client that is not there keeps its filter (the list says nothing matches) under its number
        self.client_ref, self.client_name = str(chosen), (f"#{chosen}" if error else name)

    @rx.event
    @in_thread
    def set_status(self, value: str):
        self.status = choice(value, PAYMENT_STATUS_LABELS)
        yield from self._refilter()

    @rx.event
    @in_thread
    def set_method(self, value: str):
        self.method = choice(value, METHOD_LABELS)
        yield from self._refilter()

    @rx.event
    def clear_client(self):
        self.client_ref = self.client_name = ""
        yield from self._refilter()
