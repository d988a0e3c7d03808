"""Exports and the reports API over real HTTP: the same figures as the report functions,
number and date cells in XLSX, formula injection neutralised, streaming, permissions."""

import csv
import io
import itertools
import tracemalloc
from datetime import date, datetime
from decimal import Decimal

import httpx
import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import text

from billing_app.exports.tables import CHUNK_ROWS, Column, Kind, Table, csv_chunks, xlsx_chunks
from billing_app.models.users import Role
from billing_app.reports.aging import AgingOptions, aging_report
from tests.reports.conftest import signed_in

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def viewer_auth(reports_api):
    return signed_in(Role.VIEWER)


@pytest.fixture
def http(reports_api):
    with httpx.Client(base_url=reports_api, timeout=60) as client:
        yield client


def cents(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_api_aging_is_the_report(http, viewer_auth, rdb, report_viewer):
    headers, _ = viewer_auth
    answer = http.get("/api/v1/reports/aging", params={"as_of": AS_OF}, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    report = aging_report(rdb, actor=report_viewer, options=AgingOptions(as_of=date(2026, 6, 30)))
    assert body["labels"] == list(report.labels)
    assert [(t["currency"], Decimal(t["total"])) for t in body["totals"]] == \
        [(t.currency, t.total) for t in report.totals]
    assert len(body["rows"]) == len(report.rows)
    first = body["rows"][0]
    assert [Decimal(b) for b in first["buckets"]] == list(report.rows[0].buckets)
    drill = http.get(f"/api/v1/reports/aging/{first['client_id']}/invoices",
                     params={"as_of": AS_OF, "currency": first["currency"]}, headers=headers)
    assert sum(Decimal(i["open_amount"]) for i in drill.json()) == Decimal(first["total"])


def test_xlsx_export_has_typed_cells_and_the_same_totals(http, viewer_auth, rdb, report_viewer):
    _, cookies = viewer_auth
    answer = http.get("/exports/aging.xlsx", params={"as_of": AS_OF, "buckets": "30,60,90"},
                      cookies=cookies)
    assert answer.status_code == 200, answer.text
    assert "attachment" in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Client", "Currency", "Current", "1-30", "31-60", "61-90", "Over 90",
                       "Total", "Invoices")
    report = aging_report(rdb, actor=report_viewer,
                          options=AgingOptions(as_of=date(2026, 6, 30), boundaries=(30, 60, 90)))
    totals = {row[1]: row for row in rows if str(row[0]).startswith("Total ")}
    for total in report.totals:
        row = totals[total.currency]
        assert [cents(v) for v in row[2:8]] == [*total.buckets, total.total]
        assert all(isinstance(v, (int, float)) for v in row[2:9])


def test_csv_export_over_the_api_matches_to_the_cent(http, viewer_auth, rdb, report_viewer):
    headers, _ = viewer_auth
    answer = http.get("/api/v1/exports/aging.csv", params={"as_of": AS_OF, "currency": "USD"},
                      headers=headers)
    assert answer.status_code == 200, answer.text
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    report = aging_report(rdb, actor=report_viewer,
                          options=AgingOptions(as_of=date(2026, 6, 30), currency="USD"))
    assert rows[-1][0] == "Total USD"
    assert [Decimal(v) for v in rows[-1][2:9]] == [*report.totals[0].buckets, report.totals[0].total]
    assert len(rows) == 1 + len(report.rows) + 1


def test_invoice_list_export_follows_the_filters_and_has_dates(http, viewer_auth, rdb):
    _, cookies = viewer_auth
    answer = http.get("/exports/invoices.xlsx", params={"status": "paid", "from": "2026-01-01"},
                      cookies=cookies)
    assert answer.status_code == 200, answer.text
    rows = list(openpyxl.load_workbook(io.BytesIO(answer.content), read_only=True).active
                .iter_rows(values_only=True))
    expected = rdb.execute(text("SELECT count(*) FROM invoices WHERE status = 'paid' "
                                "AND issue_date >= '2026-01-01'")).scalar_one()
    assert len(rows) - 1 == expected > 0
    assert isinstance(rows[1][2], datetime) and isinstance(rows[1][6], (int, float))
    payments = http.get("/exports/payments.csv", params={"status": "void"}, cookies=cookies)
    listed = list(csv.reader(io.StringIO(payments.content.decode("utf-8-sig"))))
    assert len(listed) - 1 == rdb.execute(
        text("SELECT count(*) FROM payments WHERE status = 'void'")).scalar_one()


@pytest.mark.parametrize("name", ["revenue", "tax", "dso", "forecast"])
def test_every_report_exports(http, viewer_auth, name):
    headers, cookies = viewer_auth
    for answer in (http.get(f"/exports/{name}.xlsx", params={"months": "2"}, cookies=cookies),
                   http.get(f"/api/v1/exports/{name}.csv", params={"months": "2"}, headers=headers)):
        assert answer.status_code == 200, answer.text
    assert http.get(f"/api/v1/reports/{name}", params={"months": "2"}, headers=headers).status_code == 200


def test_statement_and_audit_exports(http, viewer_auth, reports_api):
    _, cookies = viewer_auth
    answer = http.get("/exports/statement.csv", params={"client": "1", "from": "2026-01-01"},
                      cookies=cookies)
    assert answer.status_code == 200, answer.text
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[1][1] == "opening balance"
    assert Decimal(rows[-1][5]) == Decimal(rows[1][5]) + sum(
        Decimal(r[3] or 0) - Decimal(r[4] or 0) for r in rows[2:])
    assert http.get("/exports/audit.csv", cookies=cookies).status_code == 403  # admins only
    _, admin_cookies = signed_in(Role.ADMIN)
    assert http.get("/exports/audit.xlsx", cookies=admin_cookies).status_code == 200


def test_client_users_and_strangers_get_nothing(http):
    headers, cookies = signed_in(Role.CLIENT)
    assert http.get("/api/v1/reports/aging", headers=headers).status_code == 403
    assert http.get("/api/v1/exports/aging.csv", headers=headers).status_code == 403
    assert http.get("/exports/aging.xlsx", cookies=cookies).status_code == 403
    assert http.get("/exports/aging.xlsx").status_code == 401
    assert http.get("/api/v1/reports/forecast").status_code == 401
    _, viewer_cookies = signed_in(Role.VIEWER)
    assert http.get("/exports/nothing.csv", cookies=viewer_cookies).status_code == 404
    assert http.get("/exports/aging.pdfx", cookies=viewer_cookies).status_code == 404


def _table(rows) -> Table:
    return Table("t", (Column("Name"), Column("Amount", Kind.MONEY), Column("Day", Kind.DATE)),
                 lambda: rows)


def test_formula_injection_is_neutralised():
    rows = [("=HYPERLINK(\"http://x\")", Decimal("-5.00"), date(2026, 1, 2)), ("+1", Decimal(1), None),
            ("-2", Decimal(2), None), ("@SUM(A1)", Decimal(3), None), ("plain", Decimal(4), None)]
    parsed = list(csv.reader(io.StringIO(b"".join(csv_chunks(_table(rows))).decode("utf-8-sig"))))
    assert [r[0] for r in parsed[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "plain"]
    assert parsed[1][1] == "-5.00"  # a number stays a number
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx_chunks(_table(rows))))).active
    assert sheet["A2"].value == "'=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].is_date


def test_csv_streams_without_reading_all_rows():
    consumed = itertools.count()
    endless = ((f"row {next(consumed)}", Decimal(1), None) for _ in itertools.count())
    first = next(csv_chunks(_table(endless)))
    assert first.count(b"\n") == CHUNK_ROWS + 1
    assert next(consumed) == CHUNK_ROWS


def test_xlsx_memory_stays_flat():
    def rows(n):
        return ((f"client {i}", Decimal(i) / 100, date(2026, 1, 1)) for i in range(n))

    peaks = []
    for n in (5_000, 20_000):
        tracemalloc.start()
        size = sum(len(chunk) for chunk in xlsx_chunks(_table(rows(n))))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert size > n * 10
    assert peaks[1] < peaks[0] * 1.5  # four times the rows, about the same memory


def test_aging_pdf(http, viewer_auth):
    _, cookies = viewer_auth
    answer = http.get("/exports/aging.pdf", params={"as_of": AS_OF, "currency": "GBP"}, cookies=cookies)
    assert answer.status_code == 200, answer.text
    assert answer.content.startswith(b"%PDF")
    words = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "as of 2026-06-30" in words and "Total GBP" in words
