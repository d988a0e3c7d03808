"""The client page's contacts and addresses: dialogs and row actions (mixed into ClientDetailState).

Every handler asks the service, which checks CLIENTS_WRITE, whatever the page shows.
"""

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.errors import BillingError
from billing_app.models.clients import AddressKind
from billing_app.services.clients import (
    address_remove,
    address_set,
    contact_add,
    contact_make_primary,
    contact_remove,
    contact_update,
)
from billing_app.ui.states.client_new import ADDRESS_FIELDS, CONTACT_FIELDS
from billing_app.ui.states.form_values import field_errors, form_fields, outcome_toast, positive_int

ADDRESS_KINDS = {kind.value for kind in AddressKind}


class ClientPeople(rx.State, mixin=True):
    contact_open: bool = False
    contact_editing: bool = False
    contact_values: dict[str, str] = {}
    contact_error: str = ""
    contact_field_errors: dict[str, str] = {}
    _contact_id: int = 0

    address_kind: str = ""  # the address being edited; "" while the dialog is closed
    address_values: dict[str, str] = {}
    address_error: str = ""
    address_field_errors: dict[str, str] = {}

    def _write(self, work) -> BillingError | None:
        """Run `work(db, actor, client_id)` as the signed-in user; refresh the page if it worked."""
        client_id = self._client_id
        _, error = self._run(Action.CLIENTS_WRITE, lambda db, actor: work(db, actor, client_id))
        if error is None:
            self._refresh()
        return error

    # --- contacts -----------------------------------------------------------------------------
    def _open_contact(self, contact_id: int, values: dict[str, str]):
        self._contact_id = contact_id
        self.contact_editing = contact_id != 0
        self.contact_values = values
        self.contact_error = ""
        self.contact_field_errors = {}
        self.contact_open = True

    @rx.event
    def open_new_contact(self):
        self._open_contact(0, {})

    @rx.event
    def open_edit_contact(self, contact_id: str):
        contact = next((c for c in self.contacts if c["id"] == str(contact_id)), None)
        if contact is not None:
            self._open_contact(int(contact["id"]), contact)

    @rx.event
    def set_contact_open(self, value: bool):
        self.contact_open = value is True

    @rx.event
    def save_contact(self, form: dict):
        if refusal := self._refusal(Action.CLIENTS_WRITE):
            return rx.toast.error(refusal.message)
        if not self.contact_open:  # a second click's submit, after the first saved and closed the dialog
            return None
        data = form_fields(form, "contact-", CONTACT_FIELDS)
        contact_id = self._contact_id
        if contact_id:
            error = self._write(lambda db, actor, client_id: contact_update(
                db, actor=actor, client_id=client_id, contact_id=contact_id, data=data))
        else:
            error = self._write(lambda db, actor, client_id: contact_add(
                db, actor=actor, client_id=client_id, data=data))
        if error:
            self.contact_error = error.message
            self.contact_field_errors = field_errors(error)
            return None
        self.contact_open = False
        return rx.toast.success("Contact saved." if contact_id else "Contact added.")

    def _contact_action(self, contact_id: str, work, success: str):
        cid = positive_int(contact_id)
        error = self._write(lambda db, actor, client_id: work(db, actor=actor, client_id=client_id,
                                                               contact_id=cid))
        return outcome_toast(error, success)

    @rx.event
    def make_primary(self, contact_id: str):
        return self._contact_action(contact_id, contact_make_primary, "Primary contact changed.")

    @rx.event
    def remove_contact(self, contact_id: str):
        return self._contact_action(contact_id, contact_remove, "Contact removed.")

    # --- addresses ----------------------------------------------------------------------------
    @rx.event
    def open_address(self, kind: str):
        if kind not in ADDRESS_KINDS:
            return
        current = self.billing if kind == "billing" else self.shipping
        self.address_values = current or {"country": self.billing.get("country", "")}
        self.address_error = ""
        self.address_field_errors = {}
        self.address_kind = kind

    @rx.event
    def set_address_open(self, value: bool):
        if value is not True:
            self.address_kind = ""

    @rx.event
    def save_address(self, form: dict):
        kind, data = self.address_kind, form_fields(form, "address-", ADDRESS_FIELDS)
        error = self._write(lambda db, actor, client_id: address_set(
            db, actor=actor, client_id=client_id, kind=kind, data=data))
        if error:
            self.address_error = error.message
            self.address_field_errors = field_errors(error)
            return None
        self.address_kind = ""
        return rx.toast.success(f"{kind.capitalize()} address saved.")

    @rx.event
    def remove_address(self, kind: str):
        error = self._write(lambda db, actor, client_id: address_remove(
            db, actor=actor, client_id=client_id, kind=str(kind)))
        return outcome_toast(error, "Address removed.")
