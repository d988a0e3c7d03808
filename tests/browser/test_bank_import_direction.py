"""An accountant imports a Dutch bank's CSV whose amounts have no sign: the "Af Bij" column
says money in or out, is recognised as the Direction and saved with the bank's columns."""

import re
import uuid
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from billing_app.models.banking import BankCsvProfile, BankStatementLine
from tests.browser.test_bank_reconciliation import counts, csv_text, shot, signed_in, upload

HEADER = ["Datum", "Naam / Omschrijving", "Tegenrekening", "Af Bij", "Bedrag (EUR)", "Mededelingen"]


@pytest.mark.browser
def test_a_direction_column_signs_the_amounts(page, live_engine, tmp_path):
    tag = uuid.uuid4().hex[:8]
    rows = [["20310603", "Nordwind Handel GmbH", "DE89370400440532013000", "Bij", "119,00", f"Factuur {tag}"],
            ["20310604", "Energie BV", "NL91ABNA0417164300", "Af", "89,50", f"Stroom {tag}"]]
    wrong = tmp_path / "ing-wrong.csv"
    wrong.write_text(csv_text([HEADER, *rows, ["20310605", "X BV", "", "Terug", "1,00", tag]]), encoding="utf-8")
    right = tmp_path / "ing.csv"
    right.write_text(csv_text([HEADER, *rows]), encoding="utf-8")
    bank = f"ING {tag}"
    before = counts(live_engine)
    signed_in(page, "accountant@example.com")
    page.goto("/bank/import")

    # an unknown direction is named next to the field, with its line; nothing is written
    upload(page, wrong)
    expect(page.get_by_role("heading", name="Columns of ing-wrong.csv")).to_be_visible()
    expect(page.get_by_label("Amount", exact=True)).to_have_value("Bedrag (EUR)")
    expect(page.get_by_label("Direction")).to_have_value("Af Bij")
    page.get_by_label("Bank", exact=True).press_sequentially(bank, delay=80)
    page.get_by_role("button", name="Import statement").click()
    expect(page.get_by_text(re.compile(r'Line 4: the direction column says "Terug"'))).to_be_visible()
    shot(page, "direction-error")
    assert counts(live_engine) == before

    page.get_by_role("button", name="Choose another file").click()
    upload(page, right)
    expect(page.get_by_label("Direction")).to_have_value("Af Bij")
    page.get_by_label("Bank", exact=True).press_sequentially(bank, delay=80)
    page.get_by_role("button", name="Import statement").click()
    expect(page.get_by_role("status")).to_contain_text("2 lines read, 2 new")

    with Session(live_engine) as db:
        amounts = db.exec(select(BankStatementLine.amount)
                          .where(BankStatementLine.reference.contains(tag))
                          .order_by(BankStatementLine.booking_date)).all()
        saved = db.exec(select(BankCsvProfile.mapping).where(BankCsvProfile.name == bank)).one()
    assert amounts == [Decimal("119.00"), Decimal("-89.50")]
    assert saved["direction"] == "Af Bij"
