"""Time matching bank statement lines to open invoices (proposals_build) on PostgreSQL.

    python bench/matching_bench.py [--invoices 100000] [--clients 10000] [--lines 10000]
                                   [--url postgresql://user@host:port/postgres]

A fresh database `matching_bench` gets the demo company and users, then, by COPY, the
clients, their open invoices, a quarter of the clients' bank accounts as learned, and one
statement of mixed lines: invoice numbers in the reference (exact, partial, several
invoices, two lines for one invoice), an invoice's RF creditor reference, a known account
without reference, the client's name only, a misspelt client's name (fuzzy matching), and
nothing at all. proposals_build then proposes matches for all the lines, in a
transaction rolled back after each of RUNS runs; the median wall time, its split (SQL
load, pandas matching with the evidence sentences, writing the proposals), the Python CPU
time and how many proposals name the client who really paid are merged into
bench/results/matching.json, keyed by "<invoices>x<lines>".
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.common import fresh_database, postgres_server, save_result  # noqa: E402
from billing_app.db import make_engine  # noqa: E402
from billing_app.demo import generate  # noqa: E402
from billing_app.demo.bulk import TableWriter  # noqa: E402
from billing_app.domain.creditor_reference import creditor_reference, grouped  # noqa: E402
from billing_app.services.banking import proposals_build  # noqa: E402
from tests.conftest import migrate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "matching.json"
RUNS = 3
TODAY = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, tzinfo=timezone.utc)
FIRST_CLIENT = 1000  # past the demo clients
WORDS = ("Alpine", "Baltic", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris",
         "Juniper", "Kestrel", "Lumen", "Meridian", "Nordic", "Orbit", "Pioneer")
TRADES = ("Logistics", "Systems", "Foods", "Textiles", "Consulting", "Metals", "Media",
          "Energy", "Timber", "Pharma")
FORMS = ("GmbH", "Ltd", "B.V.", "S.A.", "Inc.", "AG")
KINDS = {  # share of the lines
    "number_exact": 0.25, "number_partial": 0.08, "numbers_several": 0.04, "number_split": 0.03,
    "rf_reference": 0.04, "known_account": 0.20, "name_only": 0.12, "name_misspelt": 0.03,
    "nothing": 0.21,
}


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)).scaleb(-2)


def _iban(n: int) -> str:
    return f"DE{10 + n % 89:02d}{n:018d}"


def fill(engine, *, invoices: int, clients: int, lines: int,
         seed: int) -> tuple[dict[str, int], dict[int, int | None]]:
    """The data described above; returns the rows written per table and, per line id, the
    client who really paid (None for the lines nothing points to)."""
    generate(engine, invoices=0, today=TODAY)  # the company, its users and a few clients
    rng = random.Random(seed)
    client_ids = range(FIRST_CLIENT, FIRST_CLIENT + clients)
    names = {cid: f"{rng.choice(WORDS)} {rng.choice(TRADES)} {cid} {rng.choice(FORMS)}"
             for cid in client_ids}
    open_invoices = []  # (id, number, client_id, balance, due_date)
    for n in range(1, invoices + 1):
        due = TODAY + timedelta(days=rng.randint(-120, 45))
        open_invoices.append((n, f"INV-2026-{n:06d}", rng.choice(client_ids),
                              _money(rng, 50, 5000), due))
    by_client: dict[int, list[tuple]] = {}
    for invoice in open_invoices:
        by_client.setdefault(invoice[2], []).append(invoice)
    known = {cid for cid in client_ids if rng.random() < 0.25}
    statement_lines = [line for kind in rng.choices(list(KINDS), list(KINDS.values()), k=lines)
                       for line in _lines(rng, kind, open_invoices, by_client, names, known)]
    statement_lines = statement_lines[:lines]
    with engine.begin() as connection:
        writer = TableWriter(connection)
        writer.write("clients", ("id", "kind", "name", "email", "currency", "payment_terms_days",
                                 "is_archived", "created_at", "updated_at"),
                     [(cid, "company", name, f"ap{cid}@example.com", "EUR", 30, False, NOW, NOW)
                      for cid, name in names.items()])
        writer.write("invoices", (
            "id", "company_id", "number", "client_id", "status", "issue_date", "due_date",
            "currency", "prices_include_tax", "tax_rounding", "subtotal", "discount_total",
            "tax_total", "total", "amount_paid", "amount_credited", "balance_due", "created_at",
            "updated_at"),
            [(n, 1, number, cid, "overdue" if due < TODAY else "sent", due - timedelta(days=30),
              due, "EUR", False, "document", balance, Decimal(0), Decimal(0), balance, Decimal(0),
              Decimal(0), balance, NOW, NOW)
             for n, number, cid, balance, due in open_invoices])
        writer.write("client_bank_accounts", ("id", "client_id", "iban", "holder_name",
                                              "learned_at"),
                     [(cid, cid, _iban(cid), names[cid], NOW) for cid in sorted(known)])
        writer.write("bank_statements", ("id", "source", "file_name", "file_sha256",
                                         "line_count", "new_line_count", "imported_at"),
                     [(1, "camt053", "bench.xml", "0" * 64, lines, lines, NOW)])
        writer.write("bank_statement_lines", (
            "id", "statement_id", "fingerprint", "booking_date", "amount", "currency",
            "reference", "counterparty_name", "counterparty_iban", "bank_reference", "status"),
            [(n, 1, f"{n:064x}", booked, amount, "EUR", reference, payer, iban, f"B{n}", "open")
             for n, (booked, amount, reference, payer, iban, _) in enumerate(statement_lines, 1)])
        writer.reset_sequences()
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return dict(writer.rows), {n: line[-1] for n, line in enumerate(statement_lines, 1)}


def _lines(rng, kind, open_invoices, by_client, names, known) -> list[tuple]:
    """(booking date, amount, reference, payer's name, payer's IBAN, the client who really
    paid or None) of the lines of one payment of `kind`: one, or two for an invoice paid in
    two halves."""
    booked = TODAY - timedelta(days=rng.randint(0, 30))
    _, number, cid, balance, _ = rng.choice(open_invoices)
    iban = _iban(cid) if cid in known and rng.random() < 0.5 else f"FR{rng.randint(10**20, 10**21)}"
    payer = names[cid].upper() if rng.random() < 0.5 else "SOME PAYER"
    if kind == "number_exact":
        return [(booked, balance, f"Invoice {number}", payer, iban, cid)]
    if kind == "rf_reference":
        return [(booked, balance, grouped(creditor_reference(number)), payer, iban, cid)]
    if kind == "number_partial":
        return [(booked, (balance / 3).quantize(Decimal("0.01")), f"{number} part", payer, iban,
                 cid)]
    if kind == "numbers_several":
        several = by_client[cid][:3]
        return [(booked, sum(invoice[3] for invoice in several),
                 " ".join(invoice[1] for invoice in several), payer, iban, cid)]
    if kind == "number_split":
        half = (balance / 2).quantize(Decimal("0.01"))
        return [(booked, half, f"{number} first half", payer, iban, cid),
                (booked + timedelta(days=1), balance - half, f"{number} rest", payer, iban, cid)]
    if kind == "nothing":
        return [(booked, _money(rng, 10, 3000), "Transfer", "Unknown Sender", "", None)]
    owner = rng.choice(sorted(known)) if kind == "known_account" else cid
    owed = [invoice[3] for invoice in by_client.get(owner, [])]
    amount = owed[0] if owed and rng.random() < 0.5 else _money(rng, 10, 3000)
    if kind == "known_account":
        return [(booked, amount, "Payment", "", _iban(owner), owner)]
    if kind == "name_misspelt":  # a letter of the trade left out: "Cedar Logistcs 1042 AG"
        words = names[owner].split()
        cut = rng.randrange(1, len(words[1]))
        words[1] = words[1][:cut] + words[1][cut + 1:]
        return [(booked, amount, "Thank you", " ".join(words), "", owner)]
    return [(booked, amount, "Thank you", names[owner].upper(), "", owner)]


def measure(engine, payers: dict[int, int | None]) -> dict:
    walls, cpus, splits, made, confidences, proposed = [], [], [], 0, Counter(), {}
    for _ in range(RUNS):
        with Session(engine) as session:
            timings: dict[str, float] = {}
            started, cpu = time.perf_counter(), time.process_time()
            made = proposals_build(session, list(payers), timings=timings)
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
            splits.append(timings)
            confidences = Counter(dict(session.execute(text(
                "SELECT confidence / 10 * 10, count(*) FROM bank_match_proposals GROUP BY 1"
            )).all()))
            proposed = dict(session.execute(text(
                "SELECT line_id, client_id FROM bank_match_proposals")).all())
            session.rollback()
    paid_by_someone = [line for line, client in payers.items() if client is not None]
    return {
        "runs": RUNS,
        "median_seconds": round(statistics.median(walls), 3),
        "all_seconds": [round(wall, 3) for wall in walls],
        # this process's CPU time (the database server's is not in it): what the machine's
        # other load cannot inflate, unlike the wall time
        "median_python_cpu_seconds": round(statistics.median(cpus), 3),
        "median_split_seconds": {step: round(statistics.median(s[step] for s in splits), 3)
                                 for step in splits[0]},
        "proposals": made,
        "proposals_by_confidence_from": {str(k): v for k, v in sorted(confidences.items())},
        "lines_with_a_payer": len(paid_by_someone),
        "proposed_the_right_client": sum(proposed.get(line) == payers[line]
                                         for line in paid_by_someone),
        "proposed_another_client": sum(line in proposed and proposed[line] != payers[line]
                                       for line in paid_by_someone),
        "proposed_for_lines_without_a_payer": sum(payers[line] is None for line in proposed),
    }


def run(server_url: str, invoices: int, clients: int, lines: int, seed: int) -> dict:
    url = fresh_database(server_url, "matching_bench")
    migrate(url)
    engine = make_engine(url)
    started = time.perf_counter()
    rows, payers = fill(engine, invoices=invoices, clients=clients, lines=lines, seed=seed)
    fill_seconds = time.perf_counter() - started
    load_before = os.getloadavg()[0]
    result = measure(engine, payers)
    with engine.connect() as connection:
        version = connection.execute(text("SELECT current_setting('server_version')")).scalar_one()
    engine.dispose()
    return {
        "invoices": invoices, "clients": clients, "lines": lines, "seed": seed,
        "line_kinds": KINDS, "rows_written_by_table": rows,
        "fill_seconds": round(fill_seconds, 1), **result,
        "load_average_before": load_before, "load_average_after": os.getloadavg()[0],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "postgresql": version},
        "date": date.today().isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--url", help="a PostgreSQL server URL (maintenance database)")
    args = parser.parse_args()
    with postgres_server(args.url) as server_url:
        result = run(server_url, args.invoices, args.clients, args.lines, args.seed)
    save_result(RESULTS, f"{args.invoices}x{args.lines}", result)


if __name__ == "__main__":
    main()
