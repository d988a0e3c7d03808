"""Time the payments list on PostgreSQL with demo data (about one payment per invoice).

    python bench/payments_list_bench.py --invoices 100000 [--url postgresql://user@host/postgres]

A fresh database is filled by billing_app.demo.generate and analysed; payments_page (page and
count) is timed warm, the median of 7 runs, for: the first page, page 100, a client-name
search, a reference search, a status filter that matches nothing and one client's payments.
Results are merged into bench/results/payments_list.json, keyed by the number of invoices.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session, select  # noqa: E402

from bench.common import fresh_database, postgres_server, save_result  # noqa: E402
from billing_app.db import make_engine  # noqa: E402
from billing_app.demo import generate  # noqa: E402
from billing_app.models import Payment, User  # noqa: E402
from billing_app.models.users import Role  # noqa: E402
from billing_app.queries.payments import payments_page  # noqa: E402
from tests.conftest import migrate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "payments_list.json"
RUNS = 7


def _median_ms(run) -> tuple[float, int]:
    times, total = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        total = run().total
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 1), total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--url", help="a PostgreSQL server URL; default: a throw-away one")
    args = parser.parse_args()
    with postgres_server(args.url) as server:
        url = fresh_database(server, f"payments_list_{args.invoices}")
        migrate(url)
        engine = make_engine(url)
        started = time.perf_counter()
        generate(engine, invoices=args.invoices, seed=42)
        fill = time.perf_counter() - started
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
        with Session(engine) as session:
            actor = session.exec(select(User).where(User.role == Role.ACCOUNTANT)).first()
            reference = session.exec(select(Payment.reference).order_by(Payment.id.desc())).first()
            client_id = session.exec(select(Payment.client_id).order_by(Payment.id)).first()
            cases = {
                "first page": {}, "page 100": {"offset": 99 * 25}, "client name search": {"search": "Oak"},
                "reference search": {"search": reference.split()[-1]}, "status void": {"status": "void"},
                "one client": {"client_id": client_id},
            }
            figures = {}
            for name, filters in cases.items():
                ms, total = _median_ms(lambda f=filters: payments_page(session, actor=actor, limit=25, **f))
                figures[name] = {"median_ms": ms, "matches": total}
        engine.dispose()
    save_result(RESULTS, str(args.invoices), {
        "date": date.today().isoformat(), "invoices": args.invoices, "fill_seconds": round(fill, 1),
        "runs": RUNS, "load_average": os.getloadavg()[0],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "median_ms": figures,
    })


if __name__ == "__main__":
    main()
