"""Time the aging report against one hand-written SQL statement, and the dashboard in Chromium.

    python bench/reports_bench.py --invoices 100000 [--url postgresql://...] [--no-browser]

A fresh PostgreSQL database is filled by billing_app.demo.generate (seed 42, --today) and
vacuumed. For
as-of today and a year back, reports.aging.aging_report (SQL aggregate + pandas, as the page,
the exports and the API call it) and one hand-written statement computing the same buckets
are run alternately, warm, RUNS times each; the medians and the fastest runs, their ratios
(the issue allows at most 1.3; on a shared, busy machine the fastest runs are the steadier) and a check that both gave identical cents are stored. Then, unless --no-browser, the app
is built and started on that database and headless Chromium signs in as the viewer and times
navigation to the home page until its cards and charts are drawn (the issue allows 1.5 s).
The cash forecast's back-test (mean absolute error in days, against the due date) is stored too.
Results are merged into bench/results/reports.json, keyed by the number of invoices.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.common import fresh_database, postgres_server, save_result  # noqa: E402
from billing_app.db import make_engine  # noqa: E402
from billing_app.demo import generate  # noqa: E402
from billing_app.demo.catalog import PASSWORD  # noqa: E402
from billing_app.models.users import Role, User  # noqa: E402
from billing_app.reports.aging import AgingOptions, aging_report, day_end  # noqa: E402
from billing_app.reports.forecast import cash_forecast  # noqa: E402
from tests.conftest import migrate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "reports.json"
RUNS = 21
LABELS = ("Current", "1-30", "31-60", "61-90", "91-120", "Over 120")

HAND_WRITTEN = """
WITH paid AS (
    SELECT a.invoice_id, sum(a.amount) AS amount
    FROM payment_allocations a JOIN payments p ON p.id = a.payment_id
    WHERE p.payment_date <= :as_of AND (p.status = 'completed' OR p.reversed_at >= :day_end)
    GROUP BY a.invoice_id),
credited AS (
    SELECT invoice_id, sum(total) AS amount FROM credit_notes
    WHERE status = 'issued' AND issue_date <= :as_of GROUP BY invoice_id),
fees AS (
    SELECT invoice_id, sum(amount) AS amount FROM invoice_fees
    WHERE charged_on <= :as_of GROUP BY invoice_id),
open AS (
    SELECT i.client_id, i.currency, CAST(:as_of AS date) - i.due_date AS days,
           i.total + coalesce(f.amount, 0) - coalesce(p.amount, 0) - coalesce(c.amount, 0) AS amount
    FROM invoices i
    LEFT JOIN paid p ON p.invoice_id = i.id
    LEFT JOIN credited c ON c.invoice_id = i.id
    LEFT JOIN fees f ON f.invoice_id = i.id
    WHERE i.number IS NOT NULL AND i.status <> 'draft' AND i.issue_date <= :as_of
      AND (i.status <> 'cancelled' OR i.cancelled_at >= :day_end))
SELECT o.client_id, cl.name, o.currency,
       CASE WHEN days <= 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2
            WHEN days <= 90 THEN 3 WHEN days <= 120 THEN 4 ELSE 5 END AS bucket,
       sum(o.amount), count(*)
FROM open o JOIN clients cl ON cl.id = o.client_id
WHERE o.amount > 0
GROUP BY o.client_id, cl.name, o.currency, bucket
"""


def hand_written(session: Session, as_of: date, end_of_day) -> list:
    """The statement's rows, as a report page would need them: fetched, nothing more."""
    return session.connection().execute(text(HAND_WRITTEN), {"as_of": as_of, "day_end": end_of_day}).all()


def hand_cells(rows: list) -> dict:
    return {(client_id, currency, LABELS[bucket]): amount
            for client_id, _, currency, bucket, amount, _ in rows}


def report_cells(report) -> dict:
    return {(row.client_id, row.currency, label): amount
            for row in report.rows for label, amount in zip(report.labels, row.buckets) if amount}


def compare(session: Session, actor: User, as_of: date) -> dict:
    """aging_report (all of it: the company's day end, SQL, pandas, Decimal rows and totals)
    against the hand-written statement, alternately, warm."""
    options = AgingOptions(as_of=as_of)
    end_of_day = day_end(session, as_of)
    runs = {"hand_written_sql": lambda: hand_written(session, as_of, end_of_day),
            "aging_report": lambda: aging_report(session, actor=actor, options=options)}
    results = {name: run() for name, run in runs.items()}  # warm, and kept for the comparison
    times = defaultdict(list)
    for _ in range(RUNS):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    medians = {name: round(statistics.median(values) * 1000, 1) for name, values in times.items()}
    fastest = {name: round(min(values) * 1000, 1) for name, values in times.items()}
    hand, ours = hand_cells(results["hand_written_sql"]), report_cells(results["aging_report"])
    return {
        "as_of": as_of.isoformat(), "median_ms": medians, "min_ms": fastest,
        "ratio": round(medians["aging_report"] / medians["hand_written_sql"], 3),
        "ratio_of_fastest": round(fastest["aging_report"] / fastest["hand_written_sql"], 3),
        "identical_cents": hand == ours, "cells": len(ours),
        "outstanding": str(sum(ours.values(), Decimal(0))),
    }


def dashboard_seconds(url: str, today: date) -> dict:
    """Start the app on the database; the median of 5 navigations to / until drawn."""
    from playwright.sync_api import sync_playwright

    from tests.support.live_app import LiveApp
    from tests.support.servers import RedisServer

    redis = RedisServer()
    with tempfile.TemporaryDirectory() as workdir:
        app = LiveApp({"DATABASE_URL": url, "REDIS_URL": redis.url}, Path(workdir) / "app.log",
                      Path(workdir) / "app")
        try:
            app.wait_ready(timeout=900)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"])
                page = browser.new_page()
                page.goto(f"{app.url}/login")
                page.get_by_label("Email").fill("viewer@example.com")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{app.url}/")
                times = []
                for _ in range(6):
                    page.goto(f"{app.url}/reports")
                    page.wait_for_load_state("networkidle")
                    started = time.perf_counter()
                    page.goto(f"{app.url}/")
                    page.locator(".kpi-cards").first.wait_for()
                    page.locator(".recharts-surface").nth(2).wait_for()
                    page.get_by_role("heading", name="Largest overdue").wait_for()
                    page.locator("table").nth(1).wait_for()
                    times.append(time.perf_counter() - started)
                browser.close()
            return {"median_seconds": round(statistics.median(times[1:]), 3),
                    "runs_seconds": [round(t, 3) for t in times]}
        finally:
            app.stop()
            redis.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 5))
    parser.add_argument("--url", help="a PostgreSQL server URL; default: a throw-away one")
    parser.add_argument("--no-browser", action="store_true", help="skip the dashboard timing")
    args = parser.parse_args()
    with postgres_server(args.url) as server:
        url = fresh_database(server, f"reports_{args.invoices}")
        migrate(url)
        engine = make_engine(url)
        started = time.perf_counter()
        generate(engine, invoices=args.invoices, seed=42, today=args.today)
        fill = time.perf_counter() - started
        # what autovacuum leaves a table in production: the visibility map that lets the home
        # page's covering indexes answer without reading the rows
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM (ANALYZE)"))
        with Session(engine) as session:
            actor = session.exec(select(User).where(User.role == Role.VIEWER)).first()
            aging = [compare(session, actor, day)
                     for day in (args.today, args.today - timedelta(days=365))]
            started = time.perf_counter()
            test = cash_forecast(session, actor=actor, today=args.today).backtest
            forecast = {"seconds": round(time.perf_counter() - started, 2),
                        "backtest_invoices": test.invoices,
                        "mean_absolute_error_days": str(test.model_error_days),
                        "naive_due_date_error_days": str(test.naive_error_days)}
        engine.dispose()
        dashboard = None if args.no_browser else dashboard_seconds(url, args.today)
    save_result(RESULTS, str(args.invoices), {
        "date": args.today.isoformat(), "invoices": args.invoices, "fill_seconds": round(fill, 1),
        "runs": RUNS, "load_average": os.getloadavg()[0],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "aging": aging, "dashboard": dashboard, "forecast": forecast,
    })


if __name__ == "__main__":
    main()
