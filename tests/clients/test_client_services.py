"""Creating, changing, archiving and restoring clients, on PostgreSQL."""

from decimal import Decimal

import pytest
from sqlmodel import select

from billing_app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from billing_app.models.clients import Address, Contact
from billing_app.models.invoices import InvoiceStatus
from billing_app.services.clients import (
    client_archive,
    client_create,
    client_restore,
    client_update,
)
from tests.clients.conftest import audit_entries, counts

ACME = {"kind": "company", "name": "  Acme Tools GmbH ", "email": "AP@Acme.example",
        "tax_id": "DE123456789", "currency": "eur", "payment_terms_days": "14",
        "credit_limit": "25,000.50", "notes": ""}
CONTACTS = [
    {"name": "Jana Roth", "email": "jana@acme.example", "job_title": "Accounts payable"},
    {"name": "Uwe Berg", "email": "uwe@acme.example", "is_primary": True},
]
ADDRESSES = [
    {"kind": "billing", "line1": "Hafenstraße 1", "postal_code": "20457", "city": "Hamburg",
     "country": "de"},
    {"kind": "shipping", "line1": "Lagerweg 7", "line2": "Tor 3", "city": "Bremen",
     "country": "DE"},
]


def test_create_with_contacts_and_both_addresses(db, accountant):
    client = client_create(db, actor=accountant, data=ACME, contacts=CONTACTS, addresses=ADDRESSES)

    assert (client.name, client.email, client.currency) == ("Acme Tools GmbH", "AP@acme.example", "EUR")
    assert client.payment_terms_days == 14
    assert client.credit_limit == Decimal("25000.50")
    assert client.notes is None and not client.is_archived
    contacts = db.exec(select(Contact).where(Contact.client_id == client.id)).all()
    assert {c.name: c.is_primary for c in contacts} == {"Jana Roth": False, "Uwe Berg": True}
    addresses = {a.kind: a for a in db.exec(select(Address).where(Address.client_id == client.id))}
    assert addresses["billing"].country == "DE" and addresses["shipping"].line2 == "Tor 3"
    (entry,) = audit_entries(db, client.id)
    assert entry.action == "client.create" and entry.actor_user_id == accountant.id
    assert entry.details["credit_limit"] == "25000.50"
    assert entry.details["contacts"] == ["Jana Roth", "Uwe Berg"]
    assert entry.details["addresses"] == ["billing", "shipping"]


def test_the_first_contact_becomes_primary_when_none_is_marked(db, accountant):
    client = client_create(db, actor=accountant, data={"name": "Solo"},
                           contacts=[{"name": "First"}, {"name": "Second"}])

    primary = db.exec(select(Contact.name).where(Contact.client_id == client.id, Contact.is_primary)).all()
    assert primary == ["First"]


def test_a_minimal_client_takes_the_company_defaults(db, accountant, company):
    company.default_currency, company.default_payment_terms_days = "CHF", 10
    client = client_create(db, actor=accountant, data={"name": "Minimal", "currency": ""})

    assert (client.kind, client.currency, client.payment_terms_days, client.credit_limit) == (
        "company", "CHF", 10, None)
    assert client_create(db, actor=accountant, data={"name": "Own", "currency": "USD",
                                                     "payment_terms_days": 0}).currency == "USD"


@pytest.mark.parametrize(("data", "contacts", "addresses", "field"), [
    ({"name": "X", "currency": "EUX"}, [], [], "currency"),
    ({"name": "X", "payment_terms_days": -1}, [], [], "payment_terms_days"),
    ({"name": "X", "payment_terms_days": 366}, [], [], "payment_terms_days"),
    ({"name": "X", "credit_limit": "abc"}, [], [], "credit_limit"),
    ({"name": "X", "credit_limit": "-5"}, [], [], "credit_limit"),
    ({"name": "X", "credit_limit": "1.234", "currency": "EUR"}, [], [], "credit_limit"),
    ({"name": "X", "credit_limit": "10.5", "currency": "JPY"}, [], [], "credit_limit"),
    ({"name": "X", "credit_limit": "NaN"}, [], [], "credit_limit"),
    ({"name": "X", "credit_limit": "inf"}, [], [], "credit_limit"),
    ({"name": "X", "credit_limit": 12.5}, [], [], "credit_limit"),
    ({"name": "   "}, [], [], "name"),
    ({}, [], [], "name"),
    ({"name": "X", "email": "not-an-email"}, [], [], "email"),
    ({"name": "X", "kind": "robot"}, [], [], "kind"),
    ({"name": "X", "colour": "red"}, [], [], "colour"),
    ({"name": "X"}, [{"name": "A", "is_primary": True}, {"name": "B", "is_primary": True}], [], "contacts"),
    ({"name": "X"}, [{"name": "A"}, {"name": "B", "email": "b@"}], [], "contacts.1.email"),
    ({"name": "X"}, [{"name": ""}], [], "contacts.0.name"),
    ({"name": "X"}, [], [{"kind": "billing", "line1": "Street 1", "country": "XX"}], "addresses.0.country"),
    ({"name": "X"}, [], [{"kind": "billing", "line1": "Street 1", "country": "EU"}], "addresses.0.country"),
    ({"name": "X"}, [], [ADDRESSES[0], ADDRESSES[0]], "addresses"),
])
def test_invalid_input_names_the_field_and_writes_nothing(db, accountant, data, contacts, addresses, field):
    before = counts(db)

    with pytest.raises(ValidationFailed) as raised:
        client_create(db, actor=accountant, data=data, contacts=contacts, addresses=addresses)

    assert raised.value.field == field
    assert raised.value.message and "Traceback" not in raised.value.message
    assert counts(db) == before


def test_messages_are_readable(db, accountant):
    with pytest.raises(ValidationFailed, match="EUR amounts have 2 decimals"):
        client_create(db, actor=accountant, data={"name": "X", "credit_limit": "1.234"})
    with pytest.raises(ValidationFailed, match="Contact 2: Email"):
        client_create(db, actor=accountant, data={"name": "X"},
                      contacts=[{"name": "A"}, {"name": "B", "email": "nope"}])


def test_update_changes_only_the_given_fields_and_audits_old_and_new(db, accountant):
    client = client_create(db, actor=accountant, data=ACME)

    client_update(db, actor=accountant, client_id=client.id,
                  data={"name": "Acme Tools AG", "credit_limit": "20000", "phone": "+49 40 1234"})

    assert (client.name, client.credit_limit, client.phone) == ("Acme Tools AG", Decimal("20000"), "+49 40 1234")
    assert client.tax_id == "DE123456789" and client.payment_terms_days == 14
    update = audit_entries(db, client.id)[-1]
    assert update.action == "client.update"
    assert update.details == {
        "name": {"old": "Acme Tools GmbH", "new": "Acme Tools AG"},
        "credit_limit": {"old": "25000.50", "new": "20000.00"},
        "phone": {"old": None, "new": "+49 40 1234"},
    }


def test_update_can_clear_optional_fields(db, accountant, admin):
    client = client_create(db, actor=accountant, data=ACME)

    client_update(db, actor=admin, client_id=client.id, data={"credit_limit": "", "tax_id": None})

    assert client.credit_limit is None and client.tax_id is None


def test_an_update_that_changes_nothing_is_not_audited(db, accountant):
    client = client_create(db, actor=accountant, data=ACME)

    client_update(db, actor=accountant, client_id=client.id, data={"name": "Acme Tools GmbH"})

    assert [e.action for e in audit_entries(db, client.id)] == ["client.create"]


@pytest.mark.parametrize(("data", "field"), [
    ({"name": ""}, "name"), ({"name": None}, "name"), ({"currency": None}, "currency"),
    ({"payment_terms_days": 400}, "payment_terms_days"), ({"id": 5}, "id"),
    ({"currency": "JPY"}, "credit_limit"),  # 25000.50 does not fit a currency without decimals
])
def test_invalid_update_changes_nothing(db, accountant, data, field):
    client = client_create(db, actor=accountant, data=ACME)

    with pytest.raises(ValidationFailed) as raised:
        client_update(db, actor=accountant, client_id=client.id, data=data)

    assert raised.value.field == field
    db.refresh(client)
    assert (client.name, client.currency, client.payment_terms_days) == ("Acme Tools GmbH", "EUR", 14)
    assert len(audit_entries(db, client.id)) == 1


def test_the_currency_is_fixed_once_the_client_has_invoices(db, accountant, add_invoice):
    client = client_create(db, actor=accountant, data={"name": "Fixed"})
    client_update(db, actor=accountant, client_id=client.id, data={"currency": "USD"})
    add_invoice(client, InvoiceStatus.DRAFT, "10.00")

    with pytest.raises(Conflict) as raised:
        client_update(db, actor=accountant, client_id=client.id, data={"currency": "EUR"})

    assert raised.value.field == "currency"
    assert client.currency == "USD"


@pytest.mark.parametrize("new_limit", [None, "5000.00"])
def test_only_an_admin_raises_or_removes_a_credit_limit(db, accountant, admin, new_limit):
    """Removing a limit once let an accountant issue what the admin-only override refused."""
    client = client_create(db, actor=accountant, data={"name": "Limited", "credit_limit": "1000.00"})

    with pytest.raises(PermissionDenied) as raised:
        client_update(db, actor=accountant, client_id=client.id, data={"credit_limit": new_limit})
    assert raised.value.field == "credit_limit" and client.credit_limit == Decimal("1000.00")

    client_update(db, actor=admin, client_id=client.id, data={"credit_limit": new_limit})
    assert client.credit_limit == (None if new_limit is None else Decimal(new_limit))


def test_an_accountant_may_tighten_a_credit_limit(db, accountant):
    client = client_create(db, actor=accountant, data={"name": "Tight", "credit_limit": "1000.00"})
    client_update(db, actor=accountant, client_id=client.id, data={"credit_limit": "400.00"})
    assert client.credit_limit == Decimal("400.00")


def test_archive_and_restore_keep_the_history(db, accountant, add_invoice):
    client = client_create(db, actor=accountant, data={"name": "Old Customer"})
    invoice = add_invoice(client, InvoiceStatus.PAID, "100.00", paid="100.00")

    client_archive(db, actor=accountant, client_id=client.id)
    assert client.is_archived
    with pytest.raises(Conflict):
        client_archive(db, actor=accountant, client_id=client.id)

    client_restore(db, actor=accountant, client_id=client.id)
    assert not client.is_archived
    with pytest.raises(Conflict):
        client_restore(db, actor=accountant, client_id=client.id)
    db.refresh(invoice)
    assert invoice.client_id == client.id
    assert [e.action for e in audit_entries(db, client.id)] == [
        "client.create", "client.archive", "client.restore"]
    assert audit_entries(db, client.id)[1].details == {}


def test_archiving_with_open_invoices_is_allowed_and_noted(db, accountant, add_invoice):
    client = client_create(db, actor=accountant, data={"name": "Still Owes"})
    add_invoice(client, InvoiceStatus.SENT, "120.00")
    add_invoice(client, InvoiceStatus.PARTIALLY_PAID, "80.00", paid="30.00")

    client_archive(db, actor=accountant, client_id=client.id)

    assert audit_entries(db, client.id)[-1].details == {"open_balance": {"EUR": "170.00"}}


def test_unknown_client(db, accountant):
    with pytest.raises(NotFound):
        client_update(db, actor=accountant, client_id=10**9, data={"name": "X"})
    with pytest.raises(NotFound):
        client_archive(db, actor=accountant, client_id=10**9)


@pytest.mark.parametrize("role", ["viewer", "client_user"])
def test_only_staff_with_write_rights_change_clients(db, request, accountant, role):
    actor = request.getfixturevalue(role)
    client = client_create(db, actor=accountant, data={"name": "Guarded"})
    before = counts(db)

    for attempt in (
        lambda: client_create(db, actor=actor, data={"name": "Nope"}),
        lambda: client_update(db, actor=actor, client_id=client.id, data={"name": "Nope"}),
        lambda: client_archive(db, actor=actor, client_id=client.id),
        lambda: client_restore(db, actor=actor, client_id=client.id),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert counts(db) == before and client.name == "Guarded"


def test_signed_out_and_inactive_actors_are_refused(db, accountant):
    with pytest.raises(PermissionDenied):
        client_create(db, actor=None, data={"name": "Nope"})
    accountant.is_active = False
    with pytest.raises(PermissionDenied):
        client_create(db, actor=accountant, data={"name": "Nope"})
