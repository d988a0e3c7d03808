"""People type into the client pickers at their own speed, and get what they typed.

The pickers once dropped characters typed faster than a round trip to the server ("Cedar
Print" at 150 ms per key left "t"), and an invoice went to the wrong client.
"""

import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.domain.statements import CsvMapping
from billing_app.models.clients import Client
from billing_app.queries.company import company_today
from billing_app.services.banking import statement_import
from tests.browser.conftest import sign_in

KEY_DELAY_MS = 60  # a quick typist


def _client_name(live_engine) -> str:
    with Session(live_engine) as db:
        return db.exec(select(Client.name).where(~Client.is_archived, Client.name.like("% %"))
                       .order_by(Client.id)).first()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/invoices/new", "/payments/new"])
def test_a_quick_typist_gets_every_character_in_the_client_picker(page, live_engine, path):
    name = _client_name(live_engine)
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(path)
    picker = page.get_by_label("Client", exact=True)
    expect(picker).to_be_editable()
    picker.press_sequentially(name, delay=KEY_DELAY_MS)
    page.wait_for_timeout(1500)  # every answer of the server has arrived
    expect(picker).to_have_value(name)
    picker.press_sequentially(" (#", delay=KEY_DELAY_MS)
    expect(picker).to_have_value(f"{name} (#")


def _type_and_check(page, picker, name: str) -> None:
    expect(picker).to_be_editable()
    picker.press_sequentially(name, delay=KEY_DELAY_MS)
    page.wait_for_timeout(1500)  # every answer of the server has arrived
    expect(picker).to_have_value(name)
    picker.press_sequentially(" (#", delay=KEY_DELAY_MS)
    expect(picker).to_have_value(f"{name} (#")


@pytest.fixture
def line_to_match(live_engine) -> tuple[int, str]:
    """A payment on a new statement that matches no invoice: it waits for review."""
    reference = f"Typing {uuid.uuid4().hex[:8]}"
    mapping = CsvMapping(date="date", amount="amount", reference="reference")
    with Session(live_engine) as db:
        text = f"date,amount,reference\n{company_today(db).isoformat()},12.34,{reference}\n"
        result = statement_import(db, actor=SYSTEM_ACTOR, file_name=f"{reference}.csv",
                                  data=text.encode(), mapping=mapping)
        db.commit()
    return result.statement_ids[0], reference


@pytest.mark.browser
def test_a_quick_typist_gets_every_character_in_the_bank_match_picker(page, live_engine, line_to_match):
    statement_id, reference = line_to_match
    name = _client_name(live_engine)
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto(f"/bank/review?statement={statement_id}")
    page.get_by_role("article").filter(has_text=reference).get_by_role("button", name="Match…").click()
    _type_and_check(page, page.get_by_role("dialog").get_by_label("Client", exact=True), name)


@pytest.mark.browser
def test_a_quick_typist_gets_every_character_in_the_aging_client_filter(page, live_engine):
    name = _client_name(live_engine)
    sign_in(page, "accountant@example.com")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.goto("/reports/aging")
    _type_and_check(page, page.get_by_label("Client", exact=True), name)
