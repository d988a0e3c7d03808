"""N signed-in websocket users re-filtering the invoice list at once, on one worker and on several.

    python bench/websocket_load_bench.py --invoices 100000 --users 50,200,500 --workers 1,4
        [--url postgresql://...] [--rounds 5] [--think 2.0]

A fresh PostgreSQL database is filled by billing_app.demo.generate (seed 42) and vacuumed. The
app is started as README starts it (`reflex run --env prod --single-port`), once per --workers
value: 1 is the setup without Redis for the state (one process keeps it, one worker); a larger
number keeps the state in Redis (REDIS_URL, database 1) with that many workers (GRANIAN_WORKERS).
Each user has a session of its own (opened in the database: timing sign-ins is not the point)
and a websocket of its own (python-socketio's asyncio client, as a browser tab). All users are
connected first; then each does --rounds rounds of: a list event (InvoicesState.set_search or
set_status: a new filter, the first page read with its count and sums), a pause of --think
seconds on average, a trivial event (clear_selection: no database), a pause. Latency is from
emit to the event's last answer (the list's address-bar script; the trivial event's delta).
An error is a refused connection, an error toast, a lost connection or no answer in 30 s.
With --writes W, invoices are changed W times a second meanwhile (each change makes every
cached count and sums of the list stale, so most list events compute them afresh).
Results, with the load average, are merged into bench/results/websocket_load.json, keyed by
the number of invoices (and the changes per second).
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import socketio  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from bench.common import fresh_database, postgres_server, save_result  # noqa: E402
from billing_app.auth.sessions import session_open  # noqa: E402
from billing_app.db import make_engine  # noqa: E402
from billing_app.demo import generate  # noqa: E402
from billing_app.models.users import Role, User  # noqa: E402
from billing_app.settings import get_settings  # noqa: E402
from billing_app.ui.states.invoices import InvoicesState  # noqa: E402
from tests.conftest import migrate  # noqa: E402
from tests.support.live_app import LiveApp  # noqa: E402
from tests.support.servers import RedisServer  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "websocket_load.json"
ANSWER_TIMEOUT = 30.0
SEARCHES = ["", "GmbH", "Maple", "Lakeside", "INV-2026-0", "INV-2025-01", "B.V.", "Print", "42"]
STATUSES = ["", "paid", "sent", "overdue", "partially_paid", "issued"]
STATE = InvoicesState.get_full_name()


class Tab:
    """One signed-in browser tab on the invoice list: one event at a time, as a person clicks."""

    def __init__(self, app_url: str, cookie: str) -> None:
        self.app_url, self.cookie = app_url, cookie
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("event", self._answer, namespace="/_event")
        self.client.on("disconnect", self._lost, namespace="/_event")
        self._done: asyncio.Future | None = None
        self._is_done = None

    async def connect(self) -> None:
        await self.client.connect(
            f"{self.app_url}?token={uuid.uuid4()}", socketio_path="/_event", namespaces=["/_event"],
            transports=["websocket"], headers={"Cookie": self.cookie, "Origin": self.app_url},
            wait_timeout=60)

    def _answer(self, data) -> None:
        message = data if isinstance(data, dict) else json.loads(data)
        if self._done is None or self._done.done():
            return
        if "toast" in json.dumps(message.get("events", [])):  # the list toasts only a refusal
            self._done.set_exception(RuntimeError(f"error answer: {json.dumps(message)[:300]}"))
        elif self._is_done(message):
            self._done.set_result(None)

    def _lost(self, *_) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_exception(ConnectionError("the websocket closed"))

    async def send(self, handler: str, payload: dict, is_done) -> float:
        """Seconds from emit to the answer `is_done` recognises."""
        self._done, self._is_done = asyncio.get_running_loop().create_future(), is_done
        started = time.perf_counter()
        await self.client.emit("event", {"name": f"{STATE}.{handler}", "payload": payload,
                                         "router_data": {"pathname": "/invoices", "query": {}}},
                               namespace="/_event")
        await asyncio.wait_for(self._done, ANSWER_TIMEOUT)
        return time.perf_counter() - started


def list_shown(message: dict) -> bool:
    return any(event.get("name") == "_call_script" for event in message.get("events", []))


def selection_cleared(message: dict) -> bool:
    return "selected_rx_state_" in message.get("delta", {}).get(STATE, {})


async def one_user(tab: Tab, rng: random.Random, rounds: int, think: float, times: dict,
                   errors: list) -> None:
    for _ in range(rounds):
        if rng.random() < 0.5:
            event = ("set_search", {"value": rng.choice(SEARCHES)})
        else:
            event = ("set_status", {"value": rng.choice(STATUSES)})
        for kind, (handler, payload), is_done in (("list_filter", event, list_shown),
                                                  ("trivial", ("clear_selection", {}), selection_cleared)):
            await asyncio.sleep(rng.uniform(0, 2 * think))
            try:
                times[kind].append(await tab.send(handler, payload, is_done))
            except (asyncio.TimeoutError, RuntimeError, ConnectionError, socketio.exceptions.SocketIOError) as error:
                errors.append(f"{kind}: {type(error).__name__} {error}"[:300])


async def invoices_changing(url: str, per_second: float, stop: asyncio.Event) -> int:
    """Touch a random invoice `per_second` times a second until `stop` (as recorded payments
    do): each commit makes every cached count and sums of the list stale. How many it made."""
    engine, rng, made = make_engine(url), random.Random(7), 0
    touch = text("UPDATE invoices SET balance_due = balance_due WHERE id = "
                 "(SELECT max(id) FROM invoices) - :back")

    def one() -> None:
        with engine.begin() as connection:
            connection.execute(touch, {"back": rng.randrange(1000)})

    while not stop.is_set():
        await asyncio.to_thread(one)
        made += 1
        try:
            await asyncio.wait_for(stop.wait(), 1 / per_second)
        except asyncio.TimeoutError:
            pass
    engine.dispose()
    return made


async def load(app_url: str, cookies: list[str], rounds: int, think: float, seed: int,
               db_url: str = "", writes: float = 0.0) -> dict:
    tabs = [Tab(app_url, cookie) for cookie in cookies]
    errors: list[str] = []
    gate = asyncio.Semaphore(20)  # connect as a crowd arriving, not as one burst

    async def connect(tab: Tab) -> Tab | None:
        async with gate:
            try:
                await tab.connect()
                return tab
            except (socketio.exceptions.SocketIOError, OSError, asyncio.TimeoutError) as error:
                errors.append(f"connect: {type(error).__name__} {error}"[:300])
                return None

    started = time.perf_counter()
    connected = [tab for tab in await asyncio.gather(*map(connect, tabs)) if tab is not None]
    connect_seconds = time.perf_counter() - started
    times: dict[str, list[float]] = {"list_filter": [], "trivial": []}
    stop = asyncio.Event()
    writer = asyncio.create_task(invoices_changing(db_url, writes, stop)) if writes else None
    started = time.perf_counter()
    await asyncio.gather(*(one_user(tab, random.Random(seed + n), rounds, think, times, errors)
                           for n, tab in enumerate(connected)))
    seconds = time.perf_counter() - started
    stop.set()
    invoice_changes = await writer if writer else 0
    load_after = os.getloadavg()[0]
    await asyncio.gather(*(tab.client.disconnect() for tab in connected), return_exceptions=True)
    return {
        "users": len(cookies), "connected": len(connected), "connect_seconds": round(connect_seconds, 1),
        "seconds": round(seconds, 1), "events": sum(map(len, times.values())),
        "events_per_second": round(sum(map(len, times.values())) / seconds, 1),
        "errors": len(errors), "first_errors": errors[:5], "load_average_after": load_after,
        "invoice_changes_per_second": round(invoice_changes / seconds, 2),
        **{kind: percentiles(values) for kind, values in times.items()},
    }


def percentiles(seconds: list[float]) -> dict:
    if not seconds:
        return {"count": 0}
    ms = sorted(s * 1000 for s in seconds)
    cuts = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return {"count": len(ms), "p50_ms": round(cuts[49]), "p95_ms": round(cuts[94]),
            "max_ms": round(ms[-1])}


def server_errors(app: LiveApp) -> dict[str, int]:
    """The exceptions the app logged while it served the runs, with how often."""
    log = app.log_path.read_text(errors="replace").splitlines()
    found = [re.search(r"(?:^|\\n|[\s\"])([A-Za-z][\w.]*(?:Error|Exception)): ([^\"\\]{0,120})", line)
             for line in log]  # plain lines, and tracebacks inside JSON log records
    return dict(Counter(" ".join(match.groups()) for match in found if match))


def session_cookies(url: str, count: int) -> list[str]:
    """One session per user, of the viewer and accountant (who read the list) taken in turn."""
    engine = make_engine(url)
    name = get_settings().session_cookie_name
    with Session(engine) as db:
        readers = db.exec(select(User).where(col(User.role).in_([Role.VIEWER, Role.ACCOUNTANT]))).all()
        cookies = [f"{name}={session_open(db, readers[n % len(readers)], ip_address='127.0.0.1')}"
                   for n in range(count)]
        db.commit()
    engine.dispose()
    return cookies


def filled_database(server: str, invoices: int, today: date) -> str:
    """A fresh database with the demo's invoices (seed 42), vacuumed."""
    url = fresh_database(server, f"websocket_load_{invoices}")
    migrate(url)
    engine = make_engine(url)
    generate(engine, invoices=invoices, seed=42, today=today)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE)"))
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--users", default="50,200,500", help="comma-separated numbers of users")
    parser.add_argument("--workers", default="1,4",
                        help="comma-separated: 1 = no Redis for the state; N > 1 = Redis, N workers")
    parser.add_argument("--rounds", type=int, default=5, help="list + trivial events per user")
    parser.add_argument("--think", type=float, default=2.0, help="mean pause before each event (s)")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 5))
    parser.add_argument("--writes", type=float, default=0.0,
                        help="invoices changed per second during each run (0: none); a change "
                             "makes every cached count and sums stale")
    parser.add_argument("--url", help="a PostgreSQL server URL; default: a throw-away one")
    parser.add_argument("--filled", help="the URL of a database an earlier run filled: skips "
                        "filling one (for trying a change; the figures are saved all the same)")
    args = parser.parse_args()
    users = [int(n) for n in args.users.split(",")]
    redis = RedisServer()
    with postgres_server(args.url or args.filled) as server, tempfile.TemporaryDirectory() as workdir:
        url = args.filled or filled_database(server, args.invoices, args.today)
        cookies = session_cookies(url, max(users))
        runs, built = [], None
        for workers in [int(n) for n in args.workers.split(",")]:
            env = {"DATABASE_URL": url, "REDIS_URL": redis.url, "GRANIAN_WORKERS": str(workers),
                   **({"STATE_REDIS_URL": ""} if workers == 1 else {})}
            app = LiveApp(env, Path(workdir) / f"app-{workers}.log", Path(workdir) / f"app-{workers}",
                          built=built)  # the frontend's packages are installed once
            try:
                app.wait_ready(timeout=900)
                built = app
                for count in users:
                    run = {"workers": workers, "state": "redis" if workers > 1 else "one process",
                           "load_average_before": os.getloadavg()[0],
                           **asyncio.run(load(app.url, cookies[:count], args.rounds, args.think,
                                              seed=count, db_url=url, writes=args.writes))}
                    print(json.dumps(run), flush=True)
                    runs.append(run)
                runs[-1]["server_errors"] = server_errors(app)
            finally:
                app.stop()
    redis.stop()
    key = f"{args.invoices} with {args.writes:g} invoice changes/s" if args.writes else str(args.invoices)
    save_result(RESULTS, key, {
        "date": args.today.isoformat(), "invoices": args.invoices, "rounds": args.rounds,
        "invoice_changes_per_second": args.writes,
        "think_seconds": args.think, "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "runs": runs,
    })


if __name__ == "__main__":
    main()
