"""A second client of the same name (whatever the case and spaces) or tax id: a warning first."""

import uuid

import pytest
from sqlalchemy import func
from sqlmodel import select

from billing_app.models.clients import Client
from billing_app.services.clients import PossibleDuplicate, client_create


def count(db) -> int:
    return db.exec(select(func.count()).select_from(Client)).one()


@pytest.fixture
def cedar(db, accountant) -> Client:
    tag = uuid.uuid4().hex[:6]
    return client_create(db, actor=accountant, data={"name": f"Cedar Print {tag}", "tax_id": f"DE{tag}77"})


@pytest.mark.parametrize("same", [
    lambda c: {"name": c.name.upper()},
    lambda c: {"name": "  " + c.name.replace(" ", "  ").lower() + " "},
    lambda c: {"name": c.name.replace(" ", "")},
    lambda c: {"name": "Someone Else", "tax_id": c.tax_id.lower()},
])
def test_the_same_name_or_tax_id_is_refused_naming_the_existing_client(db, accountant, cedar, same):
    before = count(db)
    data = same(cedar)
    with pytest.raises(PossibleDuplicate) as refused:
        client_create(db, actor=accountant, data=data)
    assert refused.value.existing.id == cedar.id
    assert refused.value.field == ("tax_id" if "tax_id" in data else "name")
    assert f"client #{cedar.id}" in refused.value.message and cedar.name in refused.value.message
    assert count(db) == before


def test_allowed_it_is_made_and_another_name_needs_no_permission(db, accountant, cedar):
    twin = client_create(db, actor=accountant, data={"name": cedar.name}, allow_duplicate=True)
    assert twin.id != cedar.id and twin.name == cedar.name
    other = client_create(db, actor=accountant, data={"name": cedar.name + " Berlin"})
    assert other.id not in {cedar.id, twin.id}
