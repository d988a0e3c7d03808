"""Time invoice PDFs: billing_app.documents.invoice_pdf against a bare WeasyPrint render.

    python bench/documents_bench.py [--runs 15]

On a throw-away SQLite database (the render dominates; the two reads are a few ms): a
10-line invoice as invoice_pdf makes it (read, template, payment QR code, WeasyPrint with
the shared fonts and parsed stylesheet) and, alternating with it in the same run, a bare
WeasyPrint render of the very same HTML (HTML(string).write_pdf with the stylesheet parsed
anew, WeasyPrint's defaults). The goal: ours costs at most 1.2x the bare render. Then a
200-line invoice. Medians of warm runs; results are merged into bench/results/documents.json.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from importlib.resources import files
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader  # noqa: E402
from sqlmodel import Session  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from bench.common import save_result  # noqa: E402
from billing_app.auth.permissions import SYSTEM_ACTOR  # noqa: E402
from billing_app.db import make_engine  # noqa: E402
from billing_app.documents import invoice_pdf, rendering  # noqa: E402
from billing_app.documents.invoice import invoice_html  # noqa: E402
from billing_app.models.clients import Address, AddressKind, Client  # noqa: E402
from billing_app.models.company import TaxRate  # noqa: E402
from billing_app.queries.company import company_ensure  # noqa: E402
from billing_app.services.invoices import invoice_create_draft, invoice_issue  # noqa: E402
from tests.conftest import migrate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "documents.json"
DAY = date(2026, 12, 1)


def _invoice(session: Session, client: Client, rate: TaxRate, lines: int) -> int:
    draft = invoice_create_draft(session, actor=SYSTEM_ACTOR, data={
        "client_id": client.id, "issue_date": DAY, "notes": "Thank you for your business.",
        "lines": [{"description": f"Consulting, work package {n}", "quantity": "3",
                   "unit_price": f"{100 + n}.50", "tax_rate_ids": [rate.id]}
                  for n in range(1, lines + 1)]})
    return invoice_issue(session, actor=SYSTEM_ACTOR, invoice_id=draft.id, today=DAY).id


def _setup(session: Session) -> tuple[int, int]:
    company = company_ensure(session)
    company.name, company.city, company.country = "Nordlicht Software GmbH", "Hamburg", "DE"
    company.iban, company.bic = "DE89370400440532013000", "COBADEFFXXX"
    rate = TaxRate(name="VAT 19%", rate=Decimal("19"))
    client = Client(name="Harbor Logistics GmbH", email="ap@example.com")
    session.add_all([company, rate, client])
    session.flush()
    session.add(Address(client_id=client.id, kind=AddressKind.BILLING, line1="Main Street 1",
                        postal_code="10115", city="Berlin", country="DE"))
    ids = _invoice(session, client, rate, 10), _invoice(session, client, rate, 200)
    session.commit()
    return ids


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def _timed(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        migrate(url)
        engine = make_engine(url)
        with Session(engine) as session:
            small, large = _setup(session)
            _, html = invoice_html(session, actor=SYSTEM_ACTOR, invoice_id=small)
            css = files("billing_app.documents").joinpath("templates", rendering.STYLESHEET
                                                          ).read_text("utf-8")

            def ours():
                return invoice_pdf(session, actor=SYSTEM_ACTOR, invoice_id=small)

            def bare():
                return HTML(string=html, base_url=rendering.BASE_URL).write_pdf(
                    stylesheets=[CSS(string=css)])

            first = _timed(ours)  # fonts and stylesheet are loaded once per process
            ours(), bare()
            ours_times, bare_times = [], []
            for _ in range(args.runs):  # alternating, so both see the same machine load
                ours_times.append(_timed(ours))
                bare_times.append(_timed(bare))
            large_times = [_timed(lambda: invoice_pdf(session, actor=SYSTEM_ACTOR,
                                                      invoice_id=large))
                           for _ in range(max(3, args.runs // 3))]
            large_pdf = invoice_pdf(session, actor=SYSTEM_ACTOR, invoice_id=large).content
        engine.dispose()
    result = {
        "measured_on": date.today().isoformat(), "runs": args.runs, "load_average": os.getloadavg()[0],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "first_render_ms": round(first * 1000, 1),
        "invoice_10_lines_ms": _ms(ours_times),
        "bare_weasyprint_same_html_ms": _ms(bare_times),
        "ratio": round(statistics.median(ours_times) / statistics.median(bare_times), 3),
        "invoice_200_lines_ms": _ms(large_times),
        "invoice_200_lines_pages": len(PdfReader(BytesIO(large_pdf)).pages),
    }
    save_result(RESULTS, "invoice_pdf", result)


if __name__ == "__main__":
    main()
