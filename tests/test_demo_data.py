"""Demo data on PostgreSQL (COPY) and SQLite (executemany): complete, consistent, deterministic."""

import re
from collections import Counter, defaultdict
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from billing_app.db import make_engine
from billing_app.demo import generate
from billing_app.demo.catalog import COMPANY, PASSWORD
from billing_app.domain.invoice_status import check_transition, status_for_balance
from billing_app.domain.totals import LineInput, compute_totals
from billing_app.errors import Conflict
from billing_app.models import (
    Client,
    Company,
    Contact,
    CreditNote,
    Invoice,
    InvoiceLine,
    InvoiceLineTax,
    InvoiceStatus,
    InvoiceStatusHistory,
    NumberSequence,
    Payment,
    PaymentAllocation,
)
from billing_app.models.users import Role
from billing_app.services.users import user_authenticate
from tests.conftest import migrate
from tests.support.sample_statement import pay_with_sample_statement

TODAY = date(2026, 11, 20)
INVOICES = 600
SEED = 7


def _generated(url: str) -> tuple:
    migrate(url)
    engine = make_engine(url)
    return engine, generate(engine, invoices=INVOICES, seed=SEED, today=TODAY)


@pytest.fixture(scope="module")
def postgresql_demo(pg_server):
    engine, counts = _generated(pg_server.create_database("demo_data"))
    yield engine, counts
    engine.dispose()


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory):
    engine, counts = _generated(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    yield engine, counts
    engine.dispose()


@pytest.fixture(params=["postgresql", "sqlite"])
def demo(request):
    return request.getfixturevalue(f"{request.param}_demo")


@pytest.fixture
def engine(demo):
    return demo[0]


def fetch(engine, statement) -> list:
    with Session(engine) as session:
        return list(session.execute(statement).all())


def test_counts_are_the_rows_in_the_database(demo):
    engine, counts = demo
    assert counts["invoices"] == INVOICES
    assert counts["clients"] == 40  # invoices / 15
    assert counts["users"] == 4
    for table, count in counts.items():
        rows = fetch(engine, select(func.count()).select_from(SQLModel.metadata.tables[table]))
        assert rows[0][0] == count, table


def test_every_status_is_present(engine):
    statuses = Counter(status for (status,) in fetch(engine, select(Invoice.status)))
    assert set(statuses) == {status.value for status in InvoiceStatus}


def _check_gapless(numbers: list[tuple[str | None, date]], pattern: str, sequences: dict) -> None:
    """Numbers follow the pattern, run 1..n in date order per year, and the sequence is at n + 1."""
    prefix = pattern.split("-")[0]
    by_year = defaultdict(list)
    for number, issue_date in numbers:
        match = re.fullmatch(rf"{prefix}-(\d{{4}})-(\d{{5}})", number)
        assert match and int(match[1]) == issue_date.year, number
        by_year[issue_date.year].append((issue_date, int(match[2])))
    assert by_year
    for year, issued in by_year.items():
        sequence = [n for _, n in issued]
        assert sorted(sequence) == list(range(1, len(issued) + 1)), year
        assert [n for _, n in sorted(issued)] == sorted(sequence), "numbers follow the dates"
        assert sequences[str(year)] == len(issued) + 1


def test_invoice_numbers_are_unique_and_gapless_per_year(engine):
    rows = fetch(engine, select(Invoice.number, Invoice.issue_date, Invoice.status).order_by(Invoice.id))
    assert all((number is None) == (status == InvoiceStatus.DRAFT) for number, _, status in rows)
    sequences = dict(fetch(engine, select(NumberSequence.period_key, NumberSequence.next_value)
                           .where(NumberSequence.kind == "invoice")))
    _check_gapless([(n, d) for n, d, s in rows if n], COMPANY["invoice_number_pattern"], sequences)


def test_credit_note_numbers_are_unique_and_gapless_per_year(engine):
    rows = fetch(engine, select(CreditNote.number, CreditNote.issue_date).order_by(CreditNote.id))
    sequences = dict(fetch(engine, select(NumberSequence.period_key, NumberSequence.next_value)
                           .where(NumberSequence.kind == "credit_note")))
    _check_gapless(rows, COMPANY["credit_note_number_pattern"], sequences)


def test_allocations_add_up_to_amount_paid_and_to_their_payments(engine):
    allocated = dict(fetch(engine, select(PaymentAllocation.invoice_id, func.sum(PaymentAllocation.amount))
                           .group_by(PaymentAllocation.invoice_id)))
    for invoice_id, paid in fetch(engine, select(Invoice.id, Invoice.amount_paid)):
        assert paid == allocated.get(invoice_id, 0), invoice_id
    payments = fetch(engine, select(Payment.amount, func.sum(PaymentAllocation.amount))
                     .join(PaymentAllocation).group_by(Payment.id, Payment.amount))
    assert payments and all(amount == total for amount, total in payments)
    assert any(count > 1 for (count,) in fetch(
        engine, select(func.count()).select_from(PaymentAllocation).group_by(PaymentAllocation.payment_id)))


def test_balance_is_total_minus_paid_minus_credited(engine):
    credited = dict(fetch(engine, select(CreditNote.invoice_id, func.sum(CreditNote.total))
                          .group_by(CreditNote.invoice_id)))
    rows = fetch(engine, select(Invoice.id, Invoice.total, Invoice.amount_paid,
                                Invoice.amount_credited, Invoice.balance_due))
    for invoice_id, total, paid, amount_credited, balance in rows:
        assert amount_credited == credited.get(invoice_id, 0)
        assert balance == total - paid - amount_credited
        assert balance >= 0


def test_statuses_follow_the_status_rule_of_the_app(engine):
    rows = fetch(engine, select(Invoice.status, Invoice.due_date, Invoice.total, Invoice.amount_paid,
                                Invoice.amount_credited, Invoice.paid_at, Invoice.sent_at))
    for status, due, total, paid, credited, paid_at, sent_at in rows:
        if status in (InvoiceStatus.DRAFT, InvoiceStatus.ISSUED):
            assert sent_at is None
        elif status == InvoiceStatus.SENT:
            assert sent_at is not None
        assert (paid_at is not None) == (status == InvoiceStatus.PAID)
        if status == InvoiceStatus.CANCELLED:
            assert paid == 0 and credited == total
        elif status != InvoiceStatus.DRAFT:
            assert status == status_for_balance(total, paid, credited, due, TODAY,
                                                delivered=sent_at is not None)


def test_history_runs_from_draft_to_the_current_status_by_allowed_steps(engine):
    history = defaultdict(list)
    for invoice_id, from_status, to_status in fetch(engine, select(
            InvoiceStatusHistory.invoice_id, InvoiceStatusHistory.from_status,
            InvoiceStatusHistory.to_status).order_by(InvoiceStatusHistory.changed_at,
                                                     InvoiceStatusHistory.id)):
        history[invoice_id].append((from_status, to_status))
    for invoice_id, status in fetch(engine, select(Invoice.id, Invoice.status)):
        steps = history[invoice_id]
        assert steps[0] == (None, InvoiceStatus.DRAFT)
        assert all(a[1] == b[0] for a, b in zip(steps, steps[1:])), steps
        for from_status, to_status in steps[1:]:
            check_transition(from_status, to_status)
        assert steps[-1][1] == status


def test_stored_totals_are_what_the_domain_computes(engine):
    rounding = fetch(engine, select(Company.tax_rounding))[0][0]
    rates = defaultdict(list)
    for line_id, rate in fetch(engine, select(InvoiceLineTax.line_id, InvoiceLineTax.rate)):
        rates[line_id].append(rate)
    lines = defaultdict(list)
    for line in fetch(engine, select(InvoiceLine).order_by(InvoiceLine.invoice_id, InvoiceLine.position)):
        lines[line[0].invoice_id].append(line[0])
    for (invoice,) in fetch(engine, select(Invoice)):
        stored = lines[invoice.id]
        totals = compute_totals(
            [LineInput(x.quantity, x.unit_price, x.discount_type, x.discount_value,
                       tuple(rates[x.id])) for x in stored],
            currency=invoice.currency, discount_type=invoice.discount_type,
            discount_value=invoice.discount_value, tax_rounding=rounding,
            prices_include_tax=invoice.prices_include_tax,
        )
        assert (invoice.subtotal, invoice.discount_total, invoice.tax_total, invoice.total) == (
            totals.subtotal, totals.discount_total, totals.tax_total, totals.total), invoice.id
        assert [x.line_net for x in stored] == [t.net for t in totals.lines]


def test_every_client_has_exactly_one_primary_contact_and_both_kinds_exist(engine):
    primaries = Counter(client_id for (client_id,) in fetch(
        engine, select(Contact.client_id).where(Contact.is_primary)))
    clients = fetch(engine, select(Client.id, Client.kind))
    assert all(primaries[client_id] == 1 for client_id, _ in clients)
    assert {kind for _, kind in clients} == {"company", "individual"}


def test_demo_users_sign_in_with_the_demo_password(engine):
    with Session(engine) as session:
        for role in Role:
            user = user_authenticate(session, email=f"{role.value}@example.com", password=PASSWORD)
            assert user.role == role
            assert user.client_id == (1 if role == Role.CLIENT else None)


def test_a_second_run_is_refused_and_changes_nothing(demo):
    engine, counts = demo
    with pytest.raises(Conflict, match="already has 600 rows in invoices"):
        generate(engine, invoices=10, seed=SEED, today=TODAY)
    assert fetch(engine, select(func.count()).select_from(Invoice))[0][0] == counts["invoices"]


def _invoice_totals(engine) -> list:
    return fetch(engine, select(Invoice.number, Invoice.status, Invoice.total, Invoice.amount_paid)
                 .order_by(Invoice.id))


def test_the_same_seed_gives_the_same_data_on_both_databases(postgresql_demo, sqlite_demo):
    assert _invoice_totals(postgresql_demo[0]) == _invoice_totals(sqlite_demo[0])


def test_another_seed_gives_other_data(sqlite_demo, tmp_path):
    url = f"sqlite:///{tmp_path / 'other.db'}"
    migrate(url)
    other = make_engine(url)
    generate(other, invoices=INVOICES, seed=SEED + 1, today=TODAY)
    assert _invoice_totals(other) != _invoice_totals(sqlite_demo[0])
    other.dispose()


def test_new_rows_after_the_demo_get_fresh_ids(engine):
    with Session(engine) as session:
        client = Client(name="After the demo")
        session.add(client)
        session.flush()
        assert client.id == 41
        session.rollback()


def test_the_sample_statement_pays_demo_invoices_through_matching(engine):
    """What `cli sample-statement` writes imports, and its confident matches pay the invoices
    named in their references (rolled back: the demo data stays as it was)."""
    with Session(engine) as session:
        _, accepted, statuses = pay_with_sample_statement(session, TODAY)
        assert accepted >= 4 and statuses == {"paid"}
        session.rollback()
