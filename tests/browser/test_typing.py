"""People type into the client pickers at their own speed, and get what they typed.

The pickers once dropped characters typed faster than a round trip to the server ("Cedar
Print" at 150 ms per key left "t"), and an invoice went to the wrong client.
"""

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.clients import Client
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
