"""Every message shown for bad input is written for a person: no parser jargon, the field named
in words ("Street and number is required."), the same words from the services and the API."""

import pytest
from pydantic import BaseModel, Field, ValidationError

from billing_app.errors import ValidationFailed
from billing_app.models.inputs import readable_error
from billing_app.models.users import Role
from billing_app.services.clients import address_set, client_create, contact_add
from billing_app.services.invoices import invoice_create_draft
from billing_app.services.payments import payment_record
from billing_app.services.products import product_create
from billing_app.services.tax_rates import tax_rate_create
from billing_app.services.users import user_create

JARGON = ["Input should", "String should", "Value should", "Value error", "valid integer",
          "unable to parse", "Field required", "Extra inputs", "greater than or equal",
          "less than or equal", "Line1", "this is required", "after validation", "valid decimal",
          "valid date", "valid string", "valid list", "ISO 4217 code such as EUR or USD"]


def assert_plain(message: str) -> None:
    assert not [phrase for phrase in JARGON if phrase.lower() in message.lower()], message
    assert message[0].isupper() and message.endswith("."), message


class _Form(BaseModel):
    password: str = Field(min_length=12)
    count: int = 0
    line1: str = ""


@pytest.mark.parametrize(("data", "expected"), [
    ({"password": "x" * 12, "count": "many"}, "Count: Enter a whole number."),
    ({"password": "short"}, "Password: Use at least 12 characters."),
    ({}, "Password is required."),
])
def test_pydantic_errors_read_as_words(data, expected):
    with pytest.raises(ValidationError) as failed:
        _Form.model_validate(data)
    message, _field, _words = readable_error(failed.value.errors()[0])
    assert message == expected


def test_the_street_of_an_address_is_named_as_on_the_form(db, accountant):
    with pytest.raises(ValidationFailed) as failed:
        client_create(db, actor=accountant, data={"name": "Street Check"},
                      addresses=[{"kind": "billing", "line1": " ", "country": "DE"}])
    assert failed.value.message == "Billing address: Street and number is required."
    assert failed.value.field == "addresses.0.line1"
    assert failed.value.detail == "This is required."


@pytest.fixture
def client_id(db, accountant) -> int:
    return client_create(db, actor=accountant, data={"name": "Plain Words GmbH"}).id


BAD_INPUT = {
    "client: long name": lambda db, a, c: client_create(db, actor=a, data={"name": "N" * 201}),
    "client: no name": lambda db, a, c: client_create(db, actor=a, data={"name": ""}),
    "client: terms": lambda db, a, c: client_create(db, actor=a, data={"name": "T", "payment_terms_days": "ten"}),
    "client: currency": lambda db, a, c: client_create(db, actor=a, data={"name": "T", "currency": "EURO"}),
    "client: email": lambda db, a, c: client_create(db, actor=a, data={"name": "T", "email": "not-an-email"}),
    "client: unknown field": lambda db, a, c: client_create(db, actor=a, data={"name": "T", "colour": "red"}),
    "contact: no name": lambda db, a, c: contact_add(db, actor=a, client_id=c, data={"email": "a@b.example"}),
    "address: country": lambda db, a, c: address_set(db, actor=a, client_id=c, kind="billing",
                                                     data={"line1": "Weg 1", "country": "XX"}),
    "address: no street": lambda db, a, c: address_set(db, actor=a, client_id=c, kind="billing",
                                                       data={"country": "DE"}),
    "payment: amount": lambda db, a, c: payment_record(db, actor=a, data={
        "client_id": c, "payment_date": "2026-01-31", "amount": "abc"}),
    "payment: date": lambda db, a, c: payment_record(db, actor=a, data={
        "client_id": c, "payment_date": "31.01.", "amount": "10"}),
    "payment: allocation": lambda db, a, c: payment_record(db, actor=a, data={
        "client_id": c, "payment_date": "2026-01-31", "amount": "10",
        "allocations": [{"invoice_id": "first", "amount": "5"}]}),
    "invoice: quantity": lambda db, a, c: invoice_create_draft(db, actor=a, data={
        "client_id": c, "issue_date": "2026-01-31",
        "lines": [{"description": "Work", "quantity": "some", "unit_price": "10"}]}),
    "invoice: no description": lambda db, a, c: invoice_create_draft(db, actor=a, data={
        "client_id": c, "issue_date": "2026-01-31", "lines": [{"quantity": "1", "unit_price": "10"}]}),
    "product: price": lambda db, a, c: product_create(db, actor=a, data={"name": "P", "unit_price": "-1"}),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_no_message_for_bad_input_speaks_parser(db, accountant, client_id, case):
    with pytest.raises(ValidationFailed) as failed:
        BAD_INPUT[case](db, accountant, client_id)
    assert_plain(failed.value.message)
    assert failed.value.field  # said next to its field


@pytest.mark.parametrize("data", [
    {"name": "R", "rate": "seven"}, {"name": "R", "rate": "-1"}, {"name": "", "rate": "7"}])
def test_tax_rate_messages_are_plain(db, admin, data):
    with pytest.raises(ValidationFailed) as failed:
        tax_rate_create(db, actor=admin, data=data)
    assert_plain(failed.value.message)


@pytest.mark.parametrize(("data", "words"), [
    ({"password": "short"}, "Password: Use at least 12 characters."),
    ({"email": "nobody"}, "Email: Enter an email address like name@example.com."),
])
def test_user_messages_are_plain(db, admin, data, words):
    fields = {"email": "plain.words@example.com", "name": "Plain", "role": Role.VIEWER,
              "password": "long enough password", **data}
    with pytest.raises(ValidationFailed) as failed:
        user_create(db, actor=admin, **fields)
    assert failed.value.message == words
