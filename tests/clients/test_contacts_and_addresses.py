"""A client's contacts (one primary) and its billing and shipping addresses, on PostgreSQL."""

import pytest
from sqlmodel import select

from billing_app.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from billing_app.models.clients import Address, Contact
from billing_app.services.clients import (
    address_remove,
    address_set,
    client_create,
    contact_add,
    contact_make_primary,
    contact_remove,
    contact_update,
)
from tests.clients.conftest import audit_entries, counts

BILLING = {"line1": "Hafenstraße 1", "postal_code": "20457", "city": "Hamburg", "country": "DE"}


@pytest.fixture
def client(db, accountant):
    return client_create(db, actor=accountant, data={"name": "Contacts & Co"})


def contacts_of(db, client) -> dict[str, bool]:
    rows = db.exec(select(Contact).where(Contact.client_id == client.id)).all()
    return {contact.name: contact.is_primary for contact in rows}


def last_audit(db, client):
    return audit_entries(db, client.id)[-1]


def test_the_first_contact_is_primary_and_a_new_primary_takes_over(db, accountant, client):
    first = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ann"})
    contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ben"})
    assert contacts_of(db, client) == {"Ann": True, "Ben": False}

    carl = contact_add(db, actor=accountant, client_id=client.id,
                       data={"name": "Carl", "email": "carl@example.com", "is_primary": True})

    assert contacts_of(db, client) == {"Ann": False, "Ben": False, "Carl": True}
    assert last_audit(db, client).action == "client.contact_add"
    assert last_audit(db, client).details["contact_id"] == carl.id
    assert first.id != carl.id


def test_make_primary_moves_the_mark(db, accountant, client):
    ann = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ann"})
    ben = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ben"})

    contact_make_primary(db, actor=accountant, client_id=client.id, contact_id=ben.id)

    assert contacts_of(db, client) == {"Ann": False, "Ben": True}
    assert last_audit(db, client).details == {"contact_id": ben.id, "previous_primary_id": ann.id}


def test_update_changes_fields_and_can_make_primary(db, accountant, client):
    contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ann"})
    ben = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ben"})

    contact_update(db, actor=accountant, client_id=client.id, contact_id=ben.id,
                   data={"job_title": "CFO", "is_primary": True})

    assert ben.job_title == "CFO"
    assert contacts_of(db, client) == {"Ann": False, "Ben": True}
    assert last_audit(db, client).details == {
        "contact_id": ben.id, "job_title": {"old": None, "new": "CFO"},
        "is_primary": {"old": False, "new": True}}


def test_the_primary_cannot_be_unmarked_directly(db, accountant, client):
    ann = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ann"})
    contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ben"})

    with pytest.raises(Conflict):
        contact_update(db, actor=accountant, client_id=client.id, contact_id=ann.id,
                       data={"is_primary": False})
    assert contacts_of(db, client) == {"Ann": True, "Ben": False}


def test_invalid_contact_update_changes_nothing(db, accountant, client):
    ann = contact_add(db, actor=accountant, client_id=client.id,
                      data={"name": "Ann", "email": "ann@example.com"})
    before = counts(db)

    with pytest.raises(ValidationFailed) as raised:
        contact_update(db, actor=accountant, client_id=client.id, contact_id=ann.id,
                       data={"name": "Anne", "email": "broken"})

    assert raised.value.field == "email"
    db.refresh(ann)
    assert (ann.name, ann.email) == ("Ann", "ann@example.com")
    assert counts(db) == before


def test_the_primary_goes_only_with_a_successor_unless_it_is_the_last(db, accountant, client):
    ann = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ann"})
    ben = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ben"})

    with pytest.raises(Conflict):
        contact_remove(db, actor=accountant, client_id=client.id, contact_id=ann.id)
    assert contacts_of(db, client) == {"Ann": True, "Ben": False}

    contact_remove(db, actor=accountant, client_id=client.id, contact_id=ann.id,
                   new_primary_id=ben.id)
    assert contacts_of(db, client) == {"Ben": True}
    assert last_audit(db, client).details["new_primary_id"] == ben.id

    contact_remove(db, actor=accountant, client_id=client.id, contact_id=ben.id)
    assert contacts_of(db, client) == {}
    assert last_audit(db, client).details["name"] == "Ben"


def test_a_non_primary_contact_can_be_removed(db, accountant, client):
    contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ann"})
    ben = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ben"})

    contact_remove(db, actor=accountant, client_id=client.id, contact_id=ben.id)

    assert contacts_of(db, client) == {"Ann": True}


def test_a_contact_of_another_client_is_not_found(db, accountant, client):
    other = client_create(db, actor=accountant, data={"name": "Other"},
                          contacts=[{"name": "Olga"}])
    olga = db.exec(select(Contact).where(Contact.client_id == other.id)).one()

    for attempt in (
        lambda: contact_update(db, actor=accountant, client_id=client.id, contact_id=olga.id,
                               data={"name": "Hijacked"}),
        lambda: contact_make_primary(db, actor=accountant, client_id=client.id, contact_id=olga.id),
        lambda: contact_remove(db, actor=accountant, client_id=client.id, contact_id=olga.id),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert olga.name == "Olga"


def test_address_set_creates_then_updates_with_old_and_new(db, accountant, client):
    address_set(db, actor=accountant, client_id=client.id, kind="billing", data=BILLING)
    address_set(db, actor=accountant, client_id=client.id, kind="billing",
                data={**BILLING, "city": "Hamburg-Altona", "line2": "3. OG"})

    (address,) = db.exec(select(Address).where(Address.client_id == client.id)).all()
    assert (address.kind, address.city, address.line2) == ("billing", "Hamburg-Altona", "3. OG")
    first, second = audit_entries(db, client.id)[-2:]
    assert first.details["created"]["country"] == "DE"
    assert second.details == {"kind": "billing", "city": {"old": "Hamburg", "new": "Hamburg-Altona"},
                              "line2": {"old": None, "new": "3. OG"}}


def test_billing_and_shipping_are_separate(db, accountant, client):
    address_set(db, actor=accountant, client_id=client.id, kind="billing", data=BILLING)
    address_set(db, actor=accountant, client_id=client.id, kind="shipping",
                data={"line1": "Lagerweg 7", "country": "at"})

    address_remove(db, actor=accountant, client_id=client.id, kind="billing")

    (left,) = db.exec(select(Address).where(Address.client_id == client.id)).all()
    assert (left.kind, left.country) == ("shipping", "AT")
    assert last_audit(db, client).action == "client.address_remove"
    with pytest.raises(NotFound):
        address_remove(db, actor=accountant, client_id=client.id, kind="billing")


@pytest.mark.parametrize(("kind", "data", "field"), [
    ("billing", {**BILLING, "country": "Germany"}, "country"),
    ("billing", {**BILLING, "country": ""}, "country"),
    ("billing", {**BILLING, "line1": " "}, "line1"),
    ("home", BILLING, "kind"),
])
def test_invalid_address_writes_nothing(db, accountant, client, kind, data, field):
    before = counts(db)

    with pytest.raises(ValidationFailed) as raised:
        address_set(db, actor=accountant, client_id=client.id, kind=kind, data=data)

    assert raised.value.field == field
    assert counts(db) == before


@pytest.mark.parametrize("role", ["viewer", "client_user"])
def test_contacts_and_addresses_need_write_rights(db, request, accountant, client, role):
    actor = request.getfixturevalue(role)
    ann = contact_add(db, actor=accountant, client_id=client.id, data={"name": "Ann"})
    address_set(db, actor=accountant, client_id=client.id, kind="billing", data=BILLING)
    before = counts(db)

    for attempt in (
        lambda: contact_add(db, actor=actor, client_id=client.id, data={"name": "X"}),
        lambda: contact_update(db, actor=actor, client_id=client.id, contact_id=ann.id, data={"name": "X"}),
        lambda: contact_make_primary(db, actor=actor, client_id=client.id, contact_id=ann.id),
        lambda: contact_remove(db, actor=actor, client_id=client.id, contact_id=ann.id),
        lambda: address_set(db, actor=actor, client_id=client.id, kind="billing", data=BILLING),
        lambda: address_remove(db, actor=actor, client_id=client.id, kind="billing"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert counts(db) == before
