"""Time the bulk PDF zip export and show its memory stays flat as the export grows.

    python bench/bulk_bench.py [--sizes 100,1000] [--url postgresql://user@host/postgres]

A fresh database gets demo data with as many invoices as the largest size. For each size a
new Python process runs the zip job exactly as the worker does (run_bulk_job, in process: one
transaction per invoice, each PDF staged on disk, then streamed into the zip), so each size
starts from the same clean memory. Each process reports PDFs per second, its own CPU time per
PDF (steady when other work loads the machine), the zip's size, and its memory: how much the
resident set and its peak (ru_maxrss) grew over what the process had after rendering one
warm-up PDF (fonts, stylesheet and the database pool loaded). Flat memory means that growth
barely differs between 100 and 1,000 invoices; holding every PDF would add 1,000 times one
PDF's size. (tracemalloc is not used: it slows WeasyPrint's many small allocations about
fivefold.) Results are merged into bench/results/bulk.json, keyed by the sizes.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fresh_database, postgres_server, save_result  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "bulk.json"

BENCH_DAY = date(2026, 12, 5)  # the data and the job are pinned to one day: same work on any day


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _current_rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def export(url: str, size: int, data_dir: str) -> dict:
    """One zip job of `size` invoices in this process (run as a child by `main`)."""
    os.environ["DATABASE_URL"], os.environ["DATA_DIR"] = url, data_dir
    from sqlmodel import select

    from billing_app.db import session_scope
    from billing_app.documents import invoice_pdf
    from billing_app.models import Invoice, User
    from billing_app.services.bulk import bulk_job_create
    from billing_app.settings import get_settings
    from billing_app.tasks.bulk import run_bulk_job

    with session_scope() as session:
        actor = session.exec(select(User).where(User.email == "viewer@example.com")).one()
        ids = session.exec(select(Invoice.id).order_by(Invoice.id).limit(size)).all()
        one_pdf = len(invoice_pdf(session, actor=actor, invoice_id=ids[0]).content)  # warm-up
        job, _ = bulk_job_create(session, actor=actor, kind="pdf_zip", request_key=f"bench-{size}",
                                 today=BENCH_DAY, invoice_ids=ids)
    peak_before, current_before = _peak_rss_mb(), _current_rss_mb()
    cpu_before, started = _cpu_seconds(), time.perf_counter()
    outcome = run_bulk_job(job.id)  # the task's body, called directly
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
    with session_scope() as session:
        done = session.get(type(job), job.id)
        zip_path = get_settings().data_dir / done.result_path
    return {
        "invoices": size, "outcome": outcome, "done": done.done, "failed": done.failed,
        "seconds": round(seconds, 1), "pdfs_per_second": round(done.done / seconds, 1),
        # this process's own CPU time: what the load of other work on the machine leaves alone
        "cpu_ms_per_pdf": round(1000 * cpu / done.done),
        "zip_mb": round(zip_path.stat().st_size / 2**20, 1),
        "one_pdf_kb": round(one_pdf / 1024, 1),
        "rss_after_warm_up_mb": round(current_before, 1),
        "rss_growth_mb": round(_current_rss_mb() - current_before, 1),
        "peak_rss_after_warm_up_mb": round(peak_before, 1),
        "peak_rss_growth_mb": round(_peak_rss_mb() - peak_before, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="invoices per export, comma separated")
    parser.add_argument("--url", help="a PostgreSQL server URL (maintenance database)")
    parser.add_argument("--child", nargs=3, metavar=("URL", "SIZE", "DATA_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        url, size, data_dir = args.child
        print(json.dumps(export(url, int(size), data_dir)))
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    from billing_app.db import make_engine
    from billing_app.demo import generate
    from tests.conftest import migrate

    with postgres_server(args.url) as server_url, tempfile.TemporaryDirectory() as data_dir:
        url = fresh_database(server_url, "bulk_bench")
        migrate(url)
        engine = make_engine(url)
        generate(engine, invoices=max(sizes), seed=42, today=BENCH_DAY)
        engine.dispose()
        runs = []
        for size in sizes:
            done = subprocess.run([sys.executable, __file__, "--child", url, str(size), data_dir],
                                  capture_output=True, text=True, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    save_result(RESULTS, ",".join(map(str, sizes)), {
        "runs": runs,
        "note": "zip export run as the worker runs it; memory figures are per fresh process",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_average_1min": os.getloadavg()[0],
        "measured_on": date.today().isoformat(),  # when, not what: the data is pinned
    })


if __name__ == "__main__":
    main()
