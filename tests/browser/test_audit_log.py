"""An admin reads the audit log: changes in words, records linked, filters that narrow it."""

import os
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.users import User
from billing_app.services.clients import client_update
from tests.support.factories import make_client


def _changed_client(engine) -> tuple[int, str]:
    """A client renamed by the demo accountant, committed as the UI would."""
    old, new = f"Audit {uuid.uuid4().hex[:6]}", f"Audit renamed {uuid.uuid4().hex[:6]}"
    with Session(engine) as db:
        accountant = db.exec(select(User).where(User.email == "accountant@example.com")).one()
        client = make_client(db, name=old)
        client_update(db, actor=accountant, client_id=client.id, data={"name": new})
        db.commit()
        return client.id, f"Name: {old} → {new}"


@pytest.mark.browser
def test_admin_finds_a_clients_change_by_filters_and_opens_the_client(page, live_engine, tmp_path):
    from tests.browser.conftest import sign_in

    client_id, change = _changed_client(live_engine)
    sign_in(page, "admin@example.com")
    page.get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("columnheader", name="Changes and details")).to_be_visible()

    page.get_by_label("Action").select_option(label="Client changed")
    page.get_by_label("Record type").select_option(label="Client")
    page.get_by_label("Record", exact=True).press_sequentially(str(client_id), delay=80)
    row = page.get_by_role("row").filter(has_text=change)
    expect(row).to_have_count(1)
    expect(row.get_by_role("rowheader")).to_have_text("Client changed")
    expect(page.get_by_text('"name"')).to_have_count(0)  # words, not JSON
    expect(page).to_have_url(re.compile(rf"type=client.*q={client_id}|q={client_id}.*type=client"))
    filtered = page.url
    page.screenshot(path=os.environ.get("AUDIT_SCREENSHOT", str(tmp_path / "audit-log.png")), full_page=True)

    page.get_by_label("Who").select_option(label="System")
    expect(page.get_by_text("No entries match these filters.")).to_be_visible()
    page.goto(filtered)  # the filters live in the address: a bookmark shows the same entries
    expect(page.get_by_role("row").filter(has_text=change)).to_have_count(1)

    page.get_by_role("row").filter(has_text=change).get_by_role("link").click()
    expect(page).to_have_url(filtered.split("/admin")[0] + f"/clients/{client_id}")
