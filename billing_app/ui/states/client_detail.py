"""One client's page: header, figures, details, contacts, addresses, invoice history and account."""

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money, quantize_money
from billing_app.errors import NotFound
from billing_app.models.clients import Address, Contact
from billing_app.models.inputs import country_names
from billing_app.queries.clients import ClientDetail, ClientFigures, client_detail, client_invoices_page
from billing_app.services.clients import client_archive, client_restore, client_update
from billing_app.services.clients.privacy import client_anonymise
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState, path_id
from billing_app.ui.states.client_account import ClientAccount
from billing_app.ui.states.client_new import ADDRESS_FIELDS, CLIENT_FIELDS, CONTACT_FIELDS
from billing_app.ui.states.client_people import ClientPeople
from billing_app.ui.states.clients import KIND_LABELS
from billing_app.ui.states.form_values import (
    dialog_errors,
    field_errors,
    form_fields,
    outcome_toast,
    typed_numbers,
)
from billing_app.ui.states.formatting import invoice_view
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href
from billing_app.ui.states.paging import Paging

COUNTRY_NAMES = dict(country_names())


def _text(value) -> str:
    return "" if value is None else str(value)


def client_view(detail: ClientDetail) -> dict[str, str]:
    """The client's fields as the edit form shows them, and as labels for reading."""
    client = detail.client
    values = {name: _text(getattr(client, name)) for name in CLIENT_FIELDS}
    limit = client.credit_limit
    return {
        **values,
        "kind_label": KIND_LABELS.get(str(client.kind), str(client.kind)),
        "terms_label": f"{client.payment_terms_days} days",
        "credit_limit": "" if limit is None else format(quantize_money(limit, client.currency), "f"),
        "credit_limit_label": "No limit" if limit is None else format_money(limit, client.currency),
        "new_invoice_href": f"{routes.INVOICE_NEW.route}?client_id={client.id}",
    }


def figures_view(figures: ClientFigures) -> dict[str, str]:
    def money(amount):
        return format_money(amount, figures.currency)

    days = figures.average_days_to_pay
    return {
        "total_invoiced": money(figures.total_invoiced),
        "paid": money(figures.paid),
        "outstanding": money(figures.outstanding),
        "overdue": money(figures.overdue),
        "credit_limit_left": "No limit" if figures.credit_available is None else money(figures.credit_available),
        "average_days": "—" if days is None else f"{days} days",
        "average_days_detail": "No paid invoices yet" if days is None else "From issue to payment",
    }


def contact_view(contact: Contact) -> dict[str, str]:
    return {"id": str(contact.id), "primary": "yes" if contact.is_primary else "",
            **{name: _text(getattr(contact, name)) for name in CONTACT_FIELDS}}


def address_view(address: Address) -> dict[str, str]:
    values = {name: _text(getattr(address, name)) for name in ADDRESS_FIELDS}
    town = " ".join(part for part in (values["postal_code"], values["city"]) if part)
    country = COUNTRY_NAMES.get(values["country"], values["country"])
    lines = (values["line1"], values["line2"], town, values["region"], country)
    return {**values, "lines": "\n".join(line for line in lines if line)}


class ClientDetailState(ClientAccount, ClientPeople, Paging, AuthState):
    loading: bool = True
    not_found: bool = False
    can_write: bool = False
    can_invoice: bool = False
    can_privacy: bool = False
    anonymise_open: bool = False
    anonymise_errors: dict[str, str] = {}  # confirm_name, form
    client: dict[str, str] = {}
    archived: bool = False
    figures: dict[str, str] = {}
    contacts: list[dict[str, str]] = []
    billing: dict[str, str] = {}
    shipping: dict[str, str] = {}
    invoices: list[dict[str, str]] = []

    editing: bool = False
    details_error: str = ""
    details_field_errors: dict[str, str] = {}
    _client_id: int = 0

    def _refresh(self):
        """Read the client again; a missing client turns the page into "Client not found"."""
        detail, error = self._run(Action.CLIENTS_READ, lambda db, actor: client_detail(
            db, actor=actor, client_id=self._client_id))
        self.not_found = isinstance(error, NotFound)
        if error:
            return None if self.not_found else rx.toast.error(error.message)
        addresses = {str(a.kind): address_view(a) for a in detail.addresses}
        self.client = client_view(detail)
        self.archived = detail.client.is_archived
        self.figures = figures_view(detail.figures)
        self.contacts = [contact_view(c) for c in detail.contacts]
        self.billing, self.shipping = addresses.get("billing", {}), addresses.get("shipping", {})
        return None

    def _reload(self):
        """The invoice history page (what Paging turns)."""
        def read(db, actor):
            page = client_invoices_page(db, actor=actor, client_id=self._client_id,
                                        offset=self.offset, limit=self.page_size)
            rows = [{**invoice_view(row), "href": href(routes.INVOICE, invoice_id=row.id)} for row in page.rows]
            return rows, page.total_count

        result, error = self._run(Action.CLIENTS_READ, read)
        if error:
            return rx.toast.error(error.message)
        self.invoices, self.total = result
        return None

    @rx.event
    @in_thread
    def load(self):
        self._client_id = path_id(self.router.url.path, routes.CLIENTS.route) or 0
        self.can_write = can(self.user_role, Action.CLIENTS_WRITE)
        self.can_invoice = can(self.user_role, Action.INVOICES_WRITE)
        self.can_privacy = can(self.user_role, Action.CLIENT_PRIVACY)
        self.anonymise_open, self.anonymise_errors = False, {}
        self.loading, self.editing, self.offset, self.invoices = True, False, 0, []
        self._start_account()
        yield
        if not self._client_id:
            self.not_found, self.loading = True, False
            return
        yield self._refresh()
        if not self.not_found:
            yield self._reload()
            yield self._load_account()
        self.loading = False

    # --- details ------------------------------------------------------------------------------
    @rx.event
    def set_editing(self, value: bool):
        self.editing = value is True
        self.details_error = ""
        self.details_field_errors = {}

    @rx.event
    def save_details(self, form: dict):
        data = form_fields(form, "client-", CLIENT_FIELDS)
        error = self._write(lambda db, actor, client_id: client_update(
            db, actor=actor, client_id=client_id, data=typed_numbers(db, data, "credit_limit")))
        if error:
            self.details_error = error.message
            self.details_field_errors = field_errors(error)
            return None
        self.editing = False
        return rx.toast.success("Details saved.")

    # --- archive ------------------------------------------------------------------------------
    @rx.event
    def archive_client(self):
        error = self._write(lambda db, actor, client_id: client_archive(db, actor=actor, client_id=client_id))
        return outcome_toast(error, "Client archived. Its invoices stay.")

    @rx.event
    def restore_client(self):
        error = self._write(lambda db, actor, client_id: client_restore(db, actor=actor, client_id=client_id))
        return outcome_toast(error, "Client restored.")

    # --- GDPR ---------------------------------------------------------------------------------
    @rx.var
    def personal_data_href(self) -> str:
        return f"/downloads/clients/{self._client_id}/personal-data.zip"

    @rx.event
    def set_anonymise_open(self, value: bool):
        self.anonymise_open = value is True
        self.anonymise_errors = {}

    @rx.event
    def anonymise_client(self, form: dict):
        typed = str(form.get("confirm-name", ""))
        client_id = self._client_id
        _, error = self._run(Action.CLIENT_PRIVACY, lambda db, actor: client_anonymise(
            db, actor=actor, client_id=client_id, confirm_name=typed))
        if error:
            self.anonymise_errors = dialog_errors(error, ["confirm_name"])
            return None
        self.anonymise_open = False
        self._refresh()
        return rx.toast.success("Client anonymised. Its invoices and payments stay.")
