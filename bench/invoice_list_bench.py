"""Time the invoice list against hand-written SQL on PostgreSQL with demo data.

    python bench/invoice_list_bench.py --invoices 100000 [--url postgresql://user@host:port/postgres]

A database `invoice_list_<N>` is filled by billing_app.demo.generate (kept and reused when it
already holds N invoices, with --url). With status "paid", sorted newest first, and a search
(part of a client's name, the start of a number, digits of a number, none) it times, warm,
the median of 15 interleaved runs of: invoices_page with its count and sums (computed afresh,
and as kept by queries/invoices/totals_cache.py while no invoice changes) and without, and
the same page (SELECT ... ORDER BY issue_date DESC, id DESC LIMIT 25) and the same count and
sums as hand-written SQL, in two forms (the clients' ids as a subquery, or as an array a
BitmapOr can use). Results, with the hand-written plans, are merged into
bench/results/invoice_list.json, keyed by the number of invoices.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import TextClause, text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from billing_app.db import make_engine  # noqa: E402
from billing_app.demo import generate  # noqa: E402
from billing_app.models import Client, Invoice, User  # noqa: E402
from billing_app.queries.invoices import invoices_page  # noqa: E402
from billing_app.queries.invoices.totals_cache import forget_all  # noqa: E402
from tests.conftest import migrate  # noqa: E402
from tests.support.servers import PostgresServer  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "invoice_list.json"
RUNS = 15
STATUS = "paid"
# Two hand-written forms of "the client's name matches"; the faster one counts.
CLIENTS_MATCHING = "SELECT c2.id FROM clients c2 WHERE c2.name ILIKE :contains"
HAND_WRITTEN = {
    "in_subquery": f"i.client_id IN ({CLIENTS_MATCHING})",
    "any_array": f"i.client_id = ANY(ARRAY({CLIENTS_MATCHING}))",  # lets a BitmapOr use both
}


def hand_written(search: str, client_match: str) -> tuple[TextClause, TextClause]:
    """The page and the count and sums, as one would write them by hand."""
    number = "lower(i.number) LIKE :starts"  # digits may also stand anywhere in the number
    if search.isdigit():
        number = f"({number} OR i.number LIKE :contains)"
    where = f"WHERE i.status = :status AND ({number} OR {client_match})" if search else (
        "WHERE i.status = :status")
    return text(f"""
        SELECT i.id, i.number, c.name, i.issue_date, i.due_date, i.status, i.currency, i.total,
               i.balance_due
        FROM invoices i JOIN clients c ON c.id = i.client_id {where}
        ORDER BY i.issue_date DESC, i.id DESC
        LIMIT 25"""), text(f"""
        SELECT i.currency, count(*), sum(i.total), sum(i.balance_due)
        FROM invoices i {where}
        GROUP BY i.currency""")


def database(server_url: str, invoices: int) -> str:
    """The URL of a database with `invoices` demo invoices, generated unless it is there."""
    name = f"invoice_list_{invoices}"
    admin = make_engine(server_url).execution_options(isolation_level="AUTOCOMMIT")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": name}).first()
        if exists and _invoice_count(url) == invoices:
            admin.dispose()
            return url
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    migrate(url)
    engine = make_engine(url)
    started = time.perf_counter()
    generate(engine, invoices=invoices)
    print(f"generated {invoices} invoices in {time.perf_counter() - started:.0f} s")
    engine.dispose()
    return url


def _invoice_count(url: str) -> int | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM invoices")).scalar_one()
    except Exception:  # not migrated, or half made by an interrupted run
        return None
    finally:
        engine.dispose()


def medians_ms(actions: dict[str, Callable[[], object]]) -> dict[str, float]:
    """Median milliseconds of each action, warm; the actions take turns, so a change in the
    machine's load (other work on it) falls on all of them alike."""
    for action in actions.values():
        action()  # plans cached, pages in memory
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(RUNS):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            timings[name].append((time.perf_counter() - started) * 1000)
    return {name: round(statistics.median(values), 2) for name, values in timings.items()}


def searches(session: Session) -> dict[str, str]:
    """Two words of a company's name, the start of a recent number, its last digits, and
    none (the status filter alone: the count and sums then read most of the table)."""
    name = session.exec(select(Client.name).where(Client.kind == "company")
                        .order_by(Client.id).offset(3)).first()
    number = session.exec(select(Invoice.number).where(Invoice.number.is_not(None))
                          .order_by(Invoice.id.desc()).offset(100)).first()
    return {"client_name_fragment": " ".join(name.split()[:2]).lower(),
            "number_start": number[:-3], "number_digits": number[-4:], "no_search": ""}


def explain(session: Session, statement, params: dict) -> list[str]:
    rows = session.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {statement.text}"),
                           params).scalars().all()
    return [row.strip() for row in rows if not row.strip().startswith(("Planning", "Execution"))]


def measure(session: Session, actor: User, search: str) -> dict:
    params = {"status": STATUS, "starts": f"{search.lower()}%", "contains": f"%{search}%"}

    def listed(totals: bool = True):
        return invoices_page(session, actor=actor, search=search, status=STATUS,
                             sort="-issue_date", totals=totals)

    def listed_afresh():
        forget_all()
        return listed()

    actions = {"invoices_page": listed_afresh, "invoices_page_sums_cached": listed,
               "invoices_page_without_totals": lambda: listed(False)}
    plans, page = {}, listed()
    for form, client_match in HAND_WRITTEN.items():
        page_sql, sums_sql = hand_written(search, client_match)
        hand = session.execute(page_sql, params).all()
        assert [row.id for row in page.rows] == [row[0] for row in hand], f"{form}: not the same page"
        for part, statement in (("page", page_sql), ("sums", sums_sql)):
            actions[f"hand_{form}_{part}"] = lambda statement=statement: session.execute(
                statement, params).all()
            plans[f"hand_{form}_{part}"] = explain(session, statement, params)
    medians = medians_ms(actions)
    best = min(HAND_WRITTEN, key=lambda form: medians[f"hand_{form}_page"])
    page_ms, sums_ms = medians[f"hand_{best}_page"], medians[f"hand_{best}_sums"]
    return {
        "search": search,
        "matching_invoices": page.total_count,
        "median_ms": medians,
        "best_hand_written": best,
        # the page alone against the page alone; with the count and sums against both
        "ratio_page": round(medians["invoices_page_without_totals"] / page_ms, 2),
        "ratio_page_with_totals": round(medians["invoices_page"] / (page_ms + sums_ms), 2),
        "ratio_page_with_totals_to_hand_written_page": round(medians["invoices_page"] / page_ms, 2),
        "plans": plans,
    }


def run(server_url: str, invoices: int) -> dict:
    engine = make_engine(database(server_url, invoices))
    with Session(engine) as session:
        # the hand-written SQL at its best: planned for its values even once psycopg has
        # prepared it (invoices_page writes its values into the SQL for the same effect)
        session.execute(text("SET plan_cache_mode = force_custom_plan"))
        actor = session.exec(select(User).where(User.email == "viewer@example.com")).one()
        version = session.execute(text("SELECT current_setting('server_version')")).scalar_one()
        results = {kind: measure(session, actor, search)
                   for kind, search in searches(session).items()}
    engine.dispose()
    return {
        "invoices": invoices,
        "status": STATUS,
        "sort": "-issue_date",
        "runs": RUNS,
        "plan_cache_mode": "force_custom_plan",
        "searches": results,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "postgresql": version},
        "load_average_1min": os.getloadavg()[0],
        "date": date.today().isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--url", help="a PostgreSQL server URL (maintenance database)")
    args = parser.parse_args()
    server = None if args.url else PostgresServer()
    try:
        result = run(args.url or server.url(), args.invoices)
    finally:
        if server is not None:
            server.stop()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[str(args.invoices)] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
