"""An accountant imports a bank statement, checks its columns and settles invoices from the
review queue; the same file again adds nothing; a bad file writes nothing; viewers only read."""

import csv
import io
import json
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.domain.money import format_money
from billing_app.domain.statements import MAX_FILE_BYTES, CsvMapping
from billing_app.models.banking import BankStatement, BankStatementLine, MatchProposal, ProposalStatus
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.queries.company import company_today
from billing_app.services.banking import statement_import
from billing_app.ui.states.bank_review import BankReviewState
from tests.browser.conftest import sign_in
from tests.support.websocket import send_event, session_cookie

SHOTS = Path("/tmp/shots")
CAMT = Path(__file__).parents[1] / "banking" / "fixtures" / "march.camt053.xml"
HEADER = ["Buchungstag", "Valuta", "Betrag", "Waehrung", "Verwendungszweck", "Beguenstigter/Zahlungspflichtiger",
          "IBAN", "Kundenreferenz"]


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"bank-{name}.png"), full_page=True)


def open_invoices(engine, count: int, skip_clients: set[int] = frozenset()) -> list[tuple[Invoice, str]]:
    """Open EUR invoices (and their client's name) of different clients, each the only open
    invoice of its client with that balance; from the end of the demo data, which other tests
    leave alone."""
    with Session(engine) as db:
        rows = db.exec(select(Invoice, Client.name).join(Client, Client.id == Invoice.client_id)
                       .where(Invoice.status.in_(["sent", "overdue"]), Invoice.balance_due > 0,
                              Invoice.currency == "EUR", ~Client.is_archived)
                       .order_by(Invoice.id.desc())).all()
    balances = [(invoice.client_id, invoice.balance_due) for invoice, _ in rows]
    picked: list[tuple[Invoice, str]] = []
    for invoice, name in rows:
        taken = {chosen.client_id for chosen, _ in picked} | set(skip_clients)
        if invoice.client_id not in taken and balances.count((invoice.client_id, invoice.balance_due)) == 1:
            picked.append((invoice, name))
        if len(picked) == count:
            return picked
    raise AssertionError("the demo data has too few open invoices")


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def german(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def statement_csv(paid: list[tuple[Invoice, str]], booked: date) -> str:
    """A German bank's export: two payments naming their invoice, one known only by the
    payer's name and amount, a bank fee and a gift nobody can place."""
    (first, first_name), (second, _), (third, third_name) = paid
    day = booked.strftime("%d.%m.%Y")
    rows = [
        [day, day, german(first.balance_due), "EUR", f"{first.number} Danke", first_name,
         "DE89370400440532013000", "K-1001"],
        [day, day, german(second.balance_due), "EUR", f"Rechnung {second.number} bezahlt",
         "Buchhaltung Service GmbH", "DE02120300000000202051", "K-1002"],
        [day, day, german(third.balance_due), "EUR", "Zahlung Dezember", third_name, "", "K-1003"],
        [day, day, "-4,90", "EUR", "Kontofuehrung", "Testbank AG", "", "K-1004"],
        [day, day, "12,34", "EUR", "Spende", "Erika Mustermann", "DE75512108001245126199", "K-1005"],
    ]
    return csv_text([HEADER, *rows], delimiter=";")


def counts(engine) -> tuple[int, int]:
    with Session(engine) as db:
        return tuple(db.exec(select(func.count()).select_from(model)).one()
                     for model in (BankStatement, BankStatementLine))


def signed_in(page, email: str) -> None:
    sign_in(page, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def upload(page, path: Path) -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Drop the statement file here, or click to choose one").click()
    chooser.value.set_files(str(path))
    expect(page.get_by_text(f"Chosen: {path.name}")).to_be_visible()
    page.get_by_role("button", name="Upload statement").click()


def payment_card(page, text: str):
    return page.get_by_role("article").filter(has_text=text)


@pytest.mark.browser
def test_accountant_imports_a_statement_and_settles_the_invoices_it_pays(page, live_engine, tmp_path):
    paid = open_invoices(live_engine, 3)
    (first, _), (second, _), (third, third_name) = paid
    path = tmp_path / "kontoauszug.csv"
    with Session(live_engine) as db:
        yesterday = company_today(db) - timedelta(days=1)
    path.write_text(statement_csv(paid, yesterday), encoding="utf-8")
    bank = f"Testbank {uuid.uuid4().hex[:6]}"
    before = counts(live_engine)
    signed_in(page, "accountant@example.com")

    page.get_by_role("link", name="Bank", exact=True).click()
    expect(page).to_have_url(re.compile(r"/bank/?$"))
    expect(page.get_by_role("heading", name="Bank", exact=True)).to_be_visible()
    shot(page, "1-list")
    page.get_by_role("link", name="Import statement").click()
    expect(page).to_have_url(re.compile(r"/bank/import/?$"))
    shot(page, "2-upload")
    upload(page, path)

    # the guessed columns are filled in; the bank reference is chosen by hand
    expect(page.get_by_role("heading", name="Columns of kontoauszug.csv")).to_be_visible()
    expect(page.get_by_label("Date", exact=True)).to_have_value("Buchungstag")
    expect(page.get_by_label("Amount", exact=True)).to_have_value("Betrag")
    expect(page.get_by_label("Reference", exact=True)).to_have_value("Verwendungszweck")
    expect(page.get_by_label("Counterparty name")).to_have_value("Beguenstigter/Zahlungspflichtiger")
    expect(page.get_by_label("IBAN", exact=True)).to_have_value("IBAN")
    expect(page.get_by_label("Currency column")).to_have_value("Waehrung")
    expect(page.get_by_label("Bank reference")).to_have_value("")
    expect(page.get_by_label("First rows of the file")).to_contain_text(first.number)
    page.get_by_label("Bank reference").select_option("Kundenreferenz")
    page.get_by_label("Bank", exact=True).fill(bank)
    shot(page, "3-columns")
    page.get_by_role("button", name="Import statement").click()

    expect(page.get_by_role("status")).to_have_text(
        "5 lines read, 5 new, 0 already imported, 3 matches proposed.")
    assert counts(live_engine) == (before[0] + 1, before[1] + 5)
    shot(page, "4-result")

    page.get_by_role("link", name="Review matches").click()
    expect(page).to_have_url(re.compile(r"/bank/review\?statement=\d+$"))
    expect(page.get_by_role("article")).to_have_count(4)
    bulk = page.get_by_role("button", name="Accept all high-confidence matches (2)")
    expect(bulk).to_be_visible()
    name_only = payment_card(page, "Zahlung Dezember")
    expect(name_only.get_by_label("Confidence")).to_have_text(re.compile(r"^\d+% — check$"))
    expect(name_only.get_by_label("Evidence")).to_contain_text(third_name)
    shot(page, "5-review")
    page.get_by_role("combobox", name="Confidence").select_option("Unmatched")
    expect(page).to_have_url(re.compile(r"confidence=unmatched"))
    expect(page.get_by_role("article")).to_have_count(1)
    expect(payment_card(page, "Spende")).to_be_visible()
    page.get_by_role("combobox", name="Confidence").select_option("All")
    expect(page.get_by_role("article")).to_have_count(4)

    bulk.click()
    expect(page.get_by_role("alertdialog")).to_contain_text("A payment is recorded for each of the 2")
    page.get_by_role("button", name="Accept 2 matches").click()
    expect(page.get_by_text("2 accepted, 0 skipped")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(2)

    # the third: the proposal's client and amount are in the dialog; recorded from there
    name_only.get_by_role("button", name="Change…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Client")).to_have_value(f"{third_name} (#{third.client_id})")
    expect(dialog.get_by_label(f"Amount to apply to {third.number}")).to_have_value(f"{third.balance_due:.2f}")
    expect(dialog.get_by_label("Allocation summary")).to_contain_text(
        f"Unallocated {format_money(Decimal(0), 'EUR')}")
    shot(page, "6-change")
    dialog.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text(f"recorded for {third_name}")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(1)

    # the gift is no client's payment
    payment_card(page, "Spende").get_by_role("button", name="Ignore").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Set aside").click()
    expect(page.get_by_text("No payments wait for review here.")).to_be_visible()

    with Session(live_engine) as db:
        settled = [db.get(Invoice, invoice.id) for invoice, _ in paid]
    assert [(invoice.status, invoice.balance_due) for invoice in settled] == [("paid", Decimal(0))] * 3
    page.goto(f"/invoices/{second.id}")
    header = page.get_by_role("heading", name=second.number).locator("xpath=..")
    expect(header.get_by_text("Paid", exact=True)).to_be_visible()

    # the same file again: the bank is recognised by its columns, and nothing is added
    page.goto("/bank/import")
    upload(page, path)
    expect(page.get_by_label("Bank", exact=True)).to_have_value(bank)
    expect(page.get_by_label("Bank reference")).to_have_value("Kundenreferenz")
    page.get_by_role("button", name="Import statement").click()
    expect(page.get_by_role("status")).to_have_text(
        "5 lines read, 0 new, 5 already imported, 0 matches proposed.")
    expect(page.get_by_text("0 new lines, 5 already imported.")).to_be_visible()
    assert counts(live_engine) == (before[0] + 1, before[1] + 5)

    page.goto("/bank")
    row = page.get_by_role("row").filter(has_text="kontoauszug.csv")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell")).to_have_text(
        [re.compile(r"UTC"), "—", "5", "5", "0", "3"])
    shot(page, "7-list-after")


@pytest.mark.browser
def test_a_camt053_file_is_imported_without_asking_for_columns(page, live_engine):
    before = counts(live_engine)
    signed_in(page, "accountant@example.com")
    page.goto("/bank/import")
    upload(page, CAMT)
    expect(page.get_by_role("status")).to_have_text(
        re.compile(r"^4 lines read, 4 new, 0 already imported, \d+ match(es)? proposed\.$"))
    expect(page.get_by_text("1 payment made was set aside.")).to_be_visible()
    assert counts(live_engine) == (before[0] + 1, before[1] + 4)


@pytest.mark.browser
def test_a_file_that_cannot_be_read_is_explained_and_nothing_is_written(page, live_engine, tmp_path):
    before = counts(live_engine)
    signed_in(page, "accountant@example.com")
    page.goto("/bank/import")
    with page.expect_file_chooser() as chooser:
        page.get_by_text("Drop the statement file here, or click to choose one").click()
    chooser.value.set_files({"name": "year.csv", "mimeType": "text/csv", "buffer": b"x" * (MAX_FILE_BYTES + 2**20)})
    expect(page.get_by_role("alert")).to_have_text(
        "This file is 21.0 MB; statements up to 20 MB can be imported. Export a shorter period.")
    expect(page.get_by_role("button", name="Upload statement")).to_be_disabled()

    not_camt = tmp_path / "invoice.xml"
    not_camt.write_text("<?xml version='1.0'?><Invoice/>")
    upload(page, not_camt)
    expect(page.get_by_role("alert")).to_have_text("This file is not a camt.053 bank statement.")

    bad_date = tmp_path / "bad-date.csv"
    bad_date.write_text("Date,Amount,Reference\n2026-01-05,10.00,a\n2026-01-06,11.00,b\n"
                        "2026-13-07,12.00,c\n")
    upload(page, bad_date)
    page.get_by_role("button", name="Import statement").click()
    expect(page.get_by_role("alert")).to_contain_text('Line 4: the date "2026-13-07" is not a date.')
    shot(page, "8-error")
    assert counts(live_engine) == before


@pytest.fixture
def waiting_line(live_engine):
    """A payment with a sure match waiting for review, imported on the server."""
    ((invoice, name),) = open_invoices(live_engine, 1)
    mapping = CsvMapping(date="date", amount="amount", reference="reference", counterparty_name="name")
    with Session(live_engine) as db:
        text = csv_text([["date", "amount", "reference", "name"],
                         [company_today(db).isoformat(), f"{invoice.balance_due:.2f}", invoice.number, name]])
        result = statement_import(db, actor=SYSTEM_ACTOR, file_name=f"viewer-{uuid.uuid4().hex[:6]}.csv",
                                  data=text.encode(), mapping=mapping)
        db.commit()
        proposal = db.exec(select(MatchProposal).join(BankStatementLine)
                           .where(BankStatementLine.statement_id == result.statement_ids[0])).one()
    return result.statement_ids[0], invoice, proposal.id


@pytest.mark.browser
def test_a_viewer_reads_the_bank_pages_but_cannot_import_or_decide(page, live_app, live_engine, waiting_line):
    statement_id, invoice, proposal_id = waiting_line
    signed_in(page, "viewer@example.com")
    page.goto("/")  # the home page says payments wait, and leads to them
    expect(page.get_by_text(re.compile(r"^\d+ payments from bank statements wait"))).to_be_visible()
    page.get_by_role("link", name="Review matches").click()
    expect(page).to_have_url(re.compile(r"/bank/review/?$"))
    page.goto("/bank")
    expect(page.get_by_role("link", name=re.compile("^Review matches"))).to_be_visible()
    expect(page.get_by_role("row").nth(1)).to_be_visible()
    expect(page.get_by_role("link", name="Import statement")).to_have_count(0)

    page.goto(f"/bank/review?statement={statement_id}")
    card = payment_card(page, invoice.number)
    expect(card.get_by_label("Confidence")).to_have_text(re.compile(r"^\d+% — high$"))
    for action in ("Accept all high-confidence matches", "Accept", "Reject", "Change…", "Ignore"):
        expect(page.get_by_role("button", name=action)).to_have_count(0)
    shot(page, "9-viewer-review")

    page.goto("/bank/import")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()

    # the handlers refuse a viewer on the server, whatever the page shows
    cookie = session_cookie(live_app.url, "viewer@example.com")
    for handler, payload in (("accept_confident", {}), ("accept", {"proposal_id": str(proposal_id)})):
        answers = send_event(live_app.url, cookie, handler, payload, state=BankReviewState,
                             pathname="/bank/review")
        assert "not allowed" in json.dumps(answers)
    with Session(live_engine) as db:
        assert db.get(MatchProposal, proposal_id).status == ProposalStatus.PROPOSED
        assert db.get(Invoice, invoice.id).balance_due == invoice.balance_due
