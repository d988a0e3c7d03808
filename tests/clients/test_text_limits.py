"""Item 5: every text a person types has a maximum, in the form's shape and in the database."""

import pytest
from sqlalchemy import String, Text
from sqlmodel import SQLModel, select

import billing_app.models  # noqa: F401  (registers the tables)
from billing_app.errors import ValidationFailed
from billing_app.models.clients import Client
from billing_app.services.clients import client_create

# written by the app (errors, mail as sent, bank statement text) or long by nature (email templates)
MACHINE_TEXT = {("email_outbox", "body_text"), ("email_outbox", "body_html"), ("email_outbox", "last_error"),
                ("email_templates", "body_text"), ("email_templates", "body_html"),
                ("bank_statement_lines", "reference"), ("bulk_jobs", "error"), ("bulk_job_items", "error"),
                ("bank_reversal_proposals", "explanation"), ("credit_note_lines", "description")}


def test_item_5_every_typed_text_column_has_a_maximum_length():
    unbounded = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables for column in table.columns
        if isinstance(column.type, Text) or (isinstance(column.type, String) and column.type.length is None)
    }
    assert unbounded <= MACHINE_TEXT, sorted(unbounded - MACHINE_TEXT)


def test_item_5_a_10000_character_client_name_is_refused_and_nothing_is_written(db, accountant):
    before = db.exec(select(Client.id)).all()
    with pytest.raises(ValidationFailed) as error:
        client_create(db, actor=accountant, data={"name": "N" * 10_000, "currency": "EUR"})
    assert error.value.field == "name"
    assert "at most 200 characters" in error.value.message
    assert db.exec(select(Client.id)).all() == before


def test_item_5_a_name_of_exactly_200_characters_is_kept_whole(db, accountant):
    client = client_create(db, actor=accountant, data={"name": "N" * 200, "currency": "EUR"})
    assert db.get(Client, client.id).name == "N" * 200
