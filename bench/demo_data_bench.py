"""Time demo-data generation into a fresh PostgreSQL database.

    python bench/demo_data_bench.py --invoices 100000 [--url postgresql://user@host:port/postgres]

Without --url a throw-away server is started (tests.support.servers.PostgresServer). Results
are merged into bench/results/demo_data.json, keyed by the number of invoices.
"""

import argparse
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.common import fresh_database, postgres_server, save_result  # noqa: E402
from billing_app.db import make_engine  # noqa: E402
from billing_app.demo import generate  # noqa: E402
from tests.conftest import migrate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "demo_data.json"


def run(server_url: str, invoices: int, seed: int) -> dict:
    url = fresh_database(server_url, f"demo_bench_{invoices}")
    migrate(url)
    engine = make_engine(url)
    timings: dict[str, float] = {}
    load_before, cpu_before = os.getloadavg()[0], time.process_time()
    counts = generate(engine, invoices=invoices, seed=seed, timings=timings)
    python_cpu = time.process_time() - cpu_before
    with engine.connect() as connection:
        size, version = connection.execute(
            text("SELECT pg_database_size(current_database()), current_setting('server_version')")
        ).one()
    engine.dispose()
    total = timings.pop("total")
    analyze, rebuild = timings.pop("analyze", 0), timings.pop("rebuild_constraints", 0)
    rows = sum(counts.values())
    return {
        "invoices": invoices,
        "seed": seed,
        "seconds": round(total, 1),
        "invoices_per_second": round(invoices / total),
        "rows": rows,
        "rows_per_second": round(rows / total),
        "python_cpu_seconds": round(python_cpu, 1),
        "copy_seconds_in_writer_thread": round(sum(timings.values()), 1),
        "rebuild_constraints_seconds": round(rebuild, 1),
        "analyze_seconds": round(analyze, 1),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg()[0],
        "database_mb": round(size / 2**20),
        "tables": {
            table: {
                "rows": count,
                "copy_seconds": round(timings.get(table, 0), 2),
                "rows_per_second_overall": round(count / total),
            }
            for table, count in counts.items()
        },
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "postgresql": version},
        "date": date.today().isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--url", help="a PostgreSQL server URL (maintenance database)")
    args = parser.parse_args()
    started = time.perf_counter()
    with postgres_server(args.url) as server_url:
        result = run(server_url, args.invoices, args.seed)
    result["wall_seconds_with_migration"] = round(time.perf_counter() - started, 1)
    save_result(RESULTS, str(args.invoices), result)

if __name__ == "__main__":
    main()
