"""The new-client form: the client, any number of contacts and its addresses, saved in one call."""

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.models.clients import AddressIn, ClientCreate, ContactIn
from billing_app.queries.company import company_ensure
from billing_app.services.clients import PossibleDuplicate, client_create
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.form_values import field_errors, form_fields, typed_numbers
from billing_app.ui.states.links import href

CLIENT_FIELDS = tuple(ClientCreate.model_fields)
CONTACT_FIELDS = tuple(name for name in ContactIn.model_fields if name != "is_primary")
ADDRESS_FIELDS = tuple(name for name in AddressIn.model_fields if name != "kind")
MAX_CONTACTS = 20


def contact_prefix(key: str) -> str:
    """Input name prefix of one contact row of the form (the page builds the same)."""
    return f"contact-{key}-"


class ClientNewState(AuthState):
    loaded: bool = False
    defaults: dict[str, str] = {}
    contact_keys: list[str] = []
    primary_key: str = ""
    with_shipping: bool = False
    form_error: str = ""
    field_errors: dict[str, str] = {}
    duplicate: dict[str, str] = {}  # message, name, href of a client with the same name or tax id
    _allow_duplicate: bool = False  # "Create anyway" was pressed: this submit may make a second
    _last_key: int = 0
    _created: int = 0  # the client this form made, so a second click creates nothing

    def _clear_errors(self):
        self.form_error = ""
        self.field_errors = {}
        self.duplicate = {}

    @rx.event
    def load(self):
        self.loaded, self._created = False, 0
        if not can(self.user_role, Action.CLIENTS_WRITE):
            return  # guard_page is already sending this user to "not allowed"
        yield

        def read(db, _actor):
            company = company_ensure(db)
            return {"kind": "company", "currency": company.default_currency,
                    "payment_terms_days": str(company.default_payment_terms_days),
                    "country": company.country or ""}

        defaults, error = self._run(Action.CLIENTS_WRITE, read)
        if error:
            yield rx.toast.error(error.message)
            return
        self.defaults = defaults
        self.contact_keys, self.primary_key, self.with_shipping = [], "", False
        self._clear_errors()
        self.loaded = True

    @rx.event
    def add_contact(self):
        if len(self.contact_keys) >= MAX_CONTACTS:
            return rx.toast.error(f"A client can be created with at most {MAX_CONTACTS} contacts.")
        self._last_key += 1
        key = str(self._last_key)
        self.contact_keys = [*self.contact_keys, key]
        self.primary_key = self.primary_key or key
        self._clear_errors()  # errors name contacts by position, which just changed
        return None

    @rx.event
    def remove_contact(self, key: str):
        self.contact_keys = [k for k in self.contact_keys if k != key]
        if self.primary_key not in self.contact_keys:
            self.primary_key = self.contact_keys[0] if self.contact_keys else ""
        self._clear_errors()

    @rx.event
    def set_primary(self, key: str):
        if key in self.contact_keys:
            self.primary_key = key

    @rx.event
    def set_with_shipping(self, value: bool):
        self.with_shipping = value is True

    @rx.event
    def create_anyway(self):
        """Pressed with the submit of "Create anyway" (its click comes first): the client is
        made although one with the same name or tax id exists."""
        if refusal := self._refusal(Action.CLIENTS_WRITE):
            return rx.toast.error(refusal.message)
        if self.duplicate:
            self._allow_duplicate = True

    @rx.event
    def create_client(self, form: dict):
        if self._created:
            return rx.redirect(href(routes.CLIENT, client_id=self._created))
        allow_duplicate, self._allow_duplicate = self._allow_duplicate, False
        data = form_fields(form, "client-", CLIENT_FIELDS)
        contacts = [
            {**form_fields(form, contact_prefix(key), CONTACT_FIELDS), "is_primary": key == self.primary_key}
            for key in self.contact_keys
        ]
        kinds = ["billing", "shipping"] if self.with_shipping else ["billing"]
        addresses = [{**form_fields(form, f"{kind}-", ADDRESS_FIELDS), "kind": kind} for kind in kinds]
        created, error = self._run(
            Action.CLIENTS_WRITE,
            lambda db, actor: client_create(db, actor=actor, data=typed_numbers(db, data, "credit_limit"),
                                            contacts=contacts,
                                            addresses=addresses, allow_duplicate=allow_duplicate).id,
        )
        self._clear_errors()
        if isinstance(error, PossibleDuplicate):
            existing = error.existing
            self.duplicate = {"message": error.message, "name": existing.name,
                              "href": href(routes.CLIENT, client_id=existing.id)}
            return None
        if error:
            self.form_error = error.message
            self.field_errors = field_errors(error)
            return None
        self._created = created
        return [rx.redirect(href(routes.CLIENT, client_id=created)),
                rx.toast.success(f"Client {data['name'].strip()} created.")]
