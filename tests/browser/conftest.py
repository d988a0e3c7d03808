"""The app server on a demo database, and headless Chromium driven by Playwright."""

import pytest
from playwright.sync_api import sync_playwright

from billing_app.db import make_engine
from tests.conftest import migrate
from tests.support.celery_worker import celery_worker
from tests.support.live_app import LiveApp
from tests.support.smtp import smtp_server  # noqa: F401  (the app and workers mail to it)

DEMO_PASSWORD = "demo-password-2026"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


@pytest.fixture(scope="session")
def live_db_url(pg_server):
    from billing_app.demo import generate

    url = pg_server.create_database("billing_live")
    migrate(url)
    engine = make_engine(url)
    generate(engine, invoices=300, seed=7)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def live_engine(live_db_url):
    engine = make_engine(live_db_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def live_app(live_db_url, redis_server, smtp_server, tmp_path_factory):  # noqa: F811
    run_dir = tmp_path_factory.mktemp("live")
    app = LiveApp({"DATABASE_URL": live_db_url, "REDIS_URL": redis_server.url,
                   **smtp_server.env()},
                  run_dir / "reflex.log", run_dir / "project")
    try:
        app.wait_ready()
        yield app
    finally:
        app.stop()


@pytest.fixture(scope="module")
def live_worker(live_app, live_db_url, redis_server, smtp_server):  # noqa: F811
    """A Celery worker on the live app's database, Redis and data directory (its copy's var/),
    mailing to aiosmtpd; for the modules whose pages start background work."""
    with celery_worker(database_url=live_db_url, redis_url=redis_server.url,
                       data_dir=live_app.workdir / "var", extra_env=smtp_server.env()) as client:
        yield client


@pytest.fixture(scope="session")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_app, request, tmp_path_factory):
    context = chromium.new_context(base_url=live_app.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        shot = tmp_path_factory.mktemp("failures") / f"{request.node.name}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def sign_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
