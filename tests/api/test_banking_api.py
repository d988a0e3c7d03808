"""/bank over HTTP: statement preview and import (CSV and camt.053), the review queue, accepting
one by one and in bulk, rejecting, matching by hand, ignoring, bad files, roles."""

import csv
import io
import json
import random
import uuid
from datetime import date
from xml.sax.saxutils import escape

import pytest
from sqlmodel import func, select

from billing_app.db import session_scope
from billing_app.domain.statements import MAX_FILE_BYTES
from billing_app.models.banking import (
    BankCsvProfile,
    BankStatement,
    BankStatementLine,
    MatchProposal,
)
from billing_app.models.payments import Payment, PaymentAllocation
from billing_app.models.users import Role
from tests.api.conftest import assert_error
from tests.api.test_clients_api import create_client
from tests.api.test_payments_api import issued, record, standing

BANK = "/api/v1/bank"
STATEMENTS = f"{BANK}/statements"
PREVIEW = f"{STATEMENTS}/preview"
REVIEW = f"{BANK}/review"
BOOKED = date(2031, 3, 6)  # after the invoices' issue date, before their due date
ACCOUNT = "DE44500105175407324931"
HEADERS = ("Booking date", "Amount", "Currency", "Description", "Payer", "IBAN")
SUGGESTED = {"date": "Booking date", "amount": "Amount", "credit": None, "debit": None,
             "direction": None, "reference": "Description", "counterparty_name": "Payer",
             "counterparty_iban": "IBAN", "bank_reference": None, "currency": "Currency",
             "date_format": "auto", "decimal_separator": "auto"}
AMOUNT_AS_TEXT = "Send amounts as strings"


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def new_iban() -> str:
    """A payer's account of its own: accepting a match teaches the account's client."""
    return "DE" + "".join(random.choices("0123456789", k=20))


def payment_line(amount: str, reference: str, name: str = "", iban: str = "",
                 booked: date = BOOKED) -> dict:
    return {"amount": amount, "reference": reference, "name": name, "iban": iban,
            "booked": booked}


def csv_file(*lines: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for line in lines:
        writer.writerow([line["booked"].isoformat(), line["amount"], "EUR", line["reference"],
                         line["name"], line["iban"]])
    return out.getvalue().encode()


def _entry(line: dict) -> str:
    amount = line["amount"].lstrip("-")
    sign = "DBIT" if line["amount"].startswith("-") else "CRDT"
    return f"""
      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{sign}</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>{line["booked"].isoformat()}</Dt></BookgDt>
        <NtryDtls><TxDtls>
          <RltdPties>
            <Dbtr><Nm>{escape(line["name"])}</Nm></Dbtr>
            <DbtrAcct><Id><IBAN>{line["iban"]}</IBAN></Id></DbtrAcct>
          </RltdPties>
          <RmtInf><Ustrd>{escape(line["reference"])}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"""


def camt_file(*lines: dict) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>{uuid.uuid4().hex}</MsgId><CreDtTm>2031-03-31T18:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-{uuid.uuid4().hex[:8]}</Id>
      <Acct><Id><IBAN>{ACCOUNT}</IBAN></Id><Ccy>EUR</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">1000.5</Amt>
        <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2031-03-01</Dt></Dt></Bal>
      {"".join(_entry(line) for line in lines)}
    </Stmt>
  </BkToCstmrStmt>
</Document>""".encode()


def upload(api, headers, content: bytes, file_name: str = "statement.csv", url=STATEMENTS,
           **fields):
    return api.post(url, headers=headers, files={"file": (file_name, content, "text/plain")},
                    data=fields)


def imported(api, headers, content: bytes, expected_status: int = 201, **fields) -> dict:
    response = upload(api, headers, content, **fields)
    assert response.status_code == expected_status, response.text
    return response.json()


def review(api, headers, statement_id: int, **params) -> list[dict]:
    response = api.get(REVIEW, headers=headers, params={"statement_id": statement_id, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def by_reference(items: list[dict]) -> dict[str, dict]:
    return {item["reference"]: item for item in items}


def post(api, headers, path: str, expected_status: int = 200, **kwargs) -> dict:
    response = api.post(f"{BANK}{path}", headers=headers, **kwargs)
    assert response.status_code == expected_status, response.text
    return response.json()


def rows_written() -> tuple[int, ...]:
    """Statements, lines, proposals, saved banks, payments and allocations in the server's
    database, and the lines and proposals still open."""
    with session_scope() as session:
        def count(model, *where) -> int:
            return session.exec(select(func.count()).select_from(model).where(*where)).one()

        return (*(count(model) for model in (BankStatement, BankStatementLine, MatchProposal,
                                             BankCsvProfile, Payment, PaymentAllocation)),
                count(BankStatementLine, BankStatementLine.status == "open"),
                count(MatchProposal, MatchProposal.status == "proposed"))


@pytest.fixture
def accountant(headers):
    return headers[Role.ACCOUNTANT]


@pytest.fixture
def client(api, accountant) -> dict:
    return create_client(api, accountant)


def test_statements_are_previewed_imported_reviewed_and_accepted(api, accountant, client):
    first, second, third = (issued(api, accountant, client["id"], price)
                            for price in ("100.00", "50.00", "80.00"))
    stranger, fees = unique("Gift from"), unique("Account fees")
    statement_csv = csv_file(
        payment_line("100.00", f"Invoice {first['number']}", client["name"], new_iban()),
        payment_line("50.00", f"{second['number']} thanks", unique("Someone")),
        payment_line("12.34", stranger, unique("Nobody")),
        payment_line("-9.90", fees))
    statement_camt = camt_file(payment_line("80.00", f"Rechnung {third['number']}",
                                            unique("Payer"), new_iban()))
    bank = unique("Testbank")
    before = rows_written()

    preview = post(api, accountant, "/statements/preview",
                   files={"file": ("march.csv", statement_csv, "text/csv")})
    assert preview == {"format": "csv", "headers": list(HEADERS), "delimiter": ",",
                       "encoding": "utf-8", "suggested_mapping": SUGGESTED,
                       "rows": preview["rows"]}
    assert preview["rows"][0] == ["2031-03-06", "100.00", "EUR", f"Invoice {first['number']}",
                                  client["name"], preview["rows"][0][5]]
    assert len(preview["rows"]) == 4
    camt_preview = post(api, accountant, "/statements/preview",
                        files={"file": ("march.xml", statement_camt, "text/xml")})
    assert camt_preview == {"format": "camt053", "statements": [{
        "account_iban": ACCOUNT, "statement_ref": camt_preview["statements"][0]["statement_ref"],
        "currency": "EUR", "line_count": 1, "opening_balance": "1000.50",
        "closing_balance": None}]}
    assert rows_written() == before  # a preview saves nothing

    result = imported(api, accountant, statement_csv, bank=bank,
                      mapping=json.dumps(preview["suggested_mapping"]))
    assert (result["lines_in_file"], result["new_lines"], result["already_imported"],
            result["new_credits"], result["debits_ignored"], result["proposals"]) == (
        4, 4, 0, 3, 1, 2)
    assert result["statement_ids"] == [result["statement_id"]]
    assert result["message"].startswith("4 new lines, 0 already imported.")
    statement_id = result["statement_id"]

    queue = by_reference(review(api, accountant, statement_id))
    assert set(queue) == {f"Invoice {first['number']}", f"{second['number']} thanks", stranger}
    full = queue[f"Invoice {first['number']}"]
    assert (full["amount"], full["currency"], full["booking_date"]) == ("100.00", "EUR",
                                                                        "2031-03-06")
    proposal = full["proposal"]
    assert (proposal["client_id"], proposal["client_name"], proposal["status"],
            proposal["credit"]) == (client["id"], client["name"], "proposed", "0.00")
    assert proposal["confidence"] >= 80
    assert any(first["number"] in sentence for sentence in proposal["evidence"])
    assert proposal["invoices"] == [{"invoice_id": first["id"], "number": first["number"],
                                     "balance_due": "100.00", "amount": "100.00"}]
    assert queue[stranger]["proposal"] is None
    assert [item["reference"] for item in review(api, accountant, statement_id,
                                                 max_confidence=0)] == [stranger]
    assert len(review(api, accountant, statement_id, min_confidence=1)) == 2

    payment = post(api, accountant, f"/proposals/{proposal['id']}/accept", 201)
    assert (payment["client_id"], payment["amount"], payment["method"], payment["reference"],
            payment["payment_date"]) == (client["id"], "100.00", "bank_transfer",
                                         f"Invoice {first['number']}", "2031-03-06")
    assert [(a["invoice_id"], a["amount"]) for a in payment["allocations"]] == [
        (first["id"], "100.00")]
    assert standing(api, accountant, first["id"]) == ("paid", "100.00", "0.00")
    assert_error(api.post(f"{BANK}/proposals/{proposal['id']}/accept", headers=accountant),
                 409, "conflict")
    line = api.get(f"{BANK}/lines/{full['id']}", headers=accountant).json()
    assert (line["status"], line["payment_id"], line["proposals"][0]["status"]) == (
        "matched", payment["id"], "accepted")
    assert (line["entry_status"], line["reversal"], line["returned"], line["bank_charge"],
            line["set_aside_reason"]) == ("BOOK", False, False, False, "")

    camt_result = imported(api, accountant, statement_camt, file_name="march.xml")
    assert (camt_result["new_lines"], camt_result["proposals"]) == (1, 1)
    for statement, proposed in ((statement_id, queue[f"{second['number']} thanks"]),
                                (camt_result["statement_id"], None)):
        bulk = post(api, accountant, "/proposals/accept-confident",
                    json={"statement_id": statement})
        assert bulk["skipped"] == [] and len(bulk["accepted"]) == 1
        if proposed:
            assert bulk["accepted"] == [proposed["proposal"]["id"]]
    assert [standing(api, accountant, bill["id"])[0] for bill in (second, third)] == [
        "paid", "paid"]
    assert [item["reference"] for item in review(api, accountant, statement_id)] == [stranger]

    after_import = rows_written()
    again = imported(api, accountant, statement_csv, 200, bank=bank)  # the saved columns
    assert (again["statement_id"], again["statement_ids"], again["new_lines"],
            again["already_imported"]) == (None, [], 0, 4)
    assert "nothing was added" in again["message"]
    assert imported(api, accountant, statement_camt, 200)["already_imported"] == 1
    assert rows_written() == after_import

    profiles = api.get(f"{BANK}/csv-profiles", headers=accountant).json()
    saved = next(profile for profile in profiles if profile["name"] == bank)
    assert (saved["mapping"], saved["default_currency"]) == (SUGGESTED, "EUR")
    listed = api.get(STATEMENTS, headers=accountant, params={"limit": 200}).json()
    mine = next(item for item in listed["items"] if item["id"] == statement_id)
    assert (mine["file_name"], mine["source"], mine["line_count"], mine["open_count"],
            mine["matched_count"], mine["ignored_count"]) == ("statement.csv", "csv", 4, 1, 2, 1)
    assert listed["total"] >= 2


@pytest.fixture
def unmatched(api, accountant) -> dict[str, dict]:
    """Two payments received that nothing points to a client, by reference."""
    references = [unique("Transfer"), unique("Transfer")]
    result = imported(api, accountant, csv_file(
        *(payment_line("120.00", reference, unique("Payer")) for reference in references)),
        mapping=json.dumps(SUGGESTED))
    queue = by_reference(review(api, accountant, result["statement_id"]))
    assert [queue[reference]["proposal"] for reference in references] == [None, None]
    return {name: queue[reference] for name, reference in zip(("paid", "other"), references,
                                                               strict=True)}


def test_a_line_is_matched_by_hand_and_another_ignored(api, accountant, client, unmatched):
    bill = issued(api, accountant, client["id"])
    url = f"/lines/{unmatched['paid']['id']}/match"
    body = {"client_id": client["id"],
            "allocations": [{"invoice_id": bill["id"], "amount": "100.00"}]}

    payment = post(api, accountant, url, 201, json=body)
    assert (payment["amount"], payment["amount_allocated"], payment["unallocated"]) == (
        "120.00", "100.00", "20.00")
    assert standing(api, accountant, bill["id"]) == ("paid", "100.00", "0.00")
    assert_error(api.post(f"{BANK}{url}", headers=accountant, json=body), 409, "conflict")

    ignored = post(api, accountant, f"/lines/{unmatched['other']['id']}/ignore")
    assert (ignored["id"], ignored["status"], ignored["amount"], ignored["payment_id"]) == (
        unmatched["other"]["id"], "ignored", "120.00", None)
    assert review(api, accountant, unmatched["paid"]["statement_id"]) == []


@pytest.mark.parametrize("body,field,message", [
    ({"allocations": [{"amount": 100}]}, "allocations.0.amount", AMOUNT_AS_TEXT),
    ({"allocations": [{"amount": 100.0}]}, "allocations.0.amount", AMOUNT_AS_TEXT),
    ({"allocations": [{"amount": "100.005"}]}, "allocations.0.amount", "decimals"),
    ({"allocations": [{"amount": "110.00"}]}, "allocations.0.amount", "left to pay"),
    ({"client_id": None}, "client_id", None),
    ({"client_id": 999999}, "client_id", "does not exist"),
    ({"colour": "red"}, "colour", None),
], ids=["integer", "float", "decimals", "more-than-owed", "no-client", "unknown-client",
        "unknown-field"])
def test_a_bad_manual_match_is_a_422_and_writes_nothing(api, accountant, client, unmatched,
                                                         body, field, message):
    bill = issued(api, accountant, client["id"])
    allocation = {"invoice_id": bill["id"], "amount": "100.00"}
    good = {"client_id": client["id"], "allocations": [allocation]}
    if "allocations" in body:
        body = {"allocations": [{**allocation, **body["allocations"][0]}]}
    before = rows_written()
    error = assert_error(api.post(f"{BANK}/lines/{unmatched['paid']['id']}/match",
                                  headers=accountant, json={**good, **body}),
                         422, "validation_error", field)
    if message:
        assert message in error["message"]
    assert rows_written() == before
    assert standing(api, accountant, bill["id"]) == ("issued", "0.00", "100.00")


@pytest.fixture
def proposed(api, accountant, client) -> tuple[dict, dict]:
    """An invoice and the review item of a payment of it, with its proposal."""
    bill = issued(api, accountant, client["id"])
    result = imported(api, accountant, csv_file(payment_line(
        "100.00", f"{bill['number']} {uuid.uuid4().hex[:6]}", unique("Payer"))),
        mapping=json.dumps(SUGGESTED))
    [item] = review(api, accountant, result["statement_id"])
    assert item["proposal"]["invoices"][0]["invoice_id"] == bill["id"]
    return bill, item


def test_a_rejected_proposal_leaves_the_line_open(api, accountant, proposed):
    _, item = proposed
    proposal_id = item["proposal"]["id"]
    line = post(api, accountant, f"/proposals/{proposal_id}/reject")
    assert (line["id"], line["status"]) == (item["id"], "open")
    assert [(p["id"], p["status"]) for p in line["proposals"]] == [(proposal_id, "rejected")]
    assert line["proposals"][0]["decided_by"]
    assert review(api, accountant, item["statement_id"])[0]["proposal"] is None
    for action in ("reject", "accept"):
        error = assert_error(api.post(f"{BANK}/proposals/{proposal_id}/{action}",
                                      headers=accountant), 409, "conflict")
        assert "already rejected" in error["message"]


def test_an_invoice_paid_meanwhile_is_a_conflict_and_skipped_in_bulk(api, accountant, client,
                                                                      proposed):
    bill, item = proposed
    record(api, accountant, client["id"], "100.00", (bill, "100.00"))
    before = rows_written()

    error = assert_error(api.post(f"{BANK}/proposals/{item['proposal']['id']}/accept",
                                  headers=accountant), 409, "conflict")
    assert bill["number"] in error["message"]
    bulk = post(api, accountant, "/proposals/accept-confident",
                json={"statement_id": item["statement_id"], "min_confidence": 0})
    assert bulk["accepted"] == []
    assert [(s["proposal_id"], s["line_id"]) for s in bulk["skipped"]] == [
        (item["proposal"]["id"], item["id"])]
    assert bill["number"] in bulk["skipped"][0]["reason"]
    assert rows_written() == before


def _bad_upload(case: str) -> tuple[bytes, dict]:
    """A statement upload that is wrong in one way: (file, form fields)."""
    statement = csv_file(payment_line("10.00", unique("Bad")))
    mapping = json.dumps(SUGGESTED)
    cases = {
        "not-a-statement": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {"mapping": mapping}),
        "xml-but-not-camt": (b"<html><body>Hello</body></html>", {}),
        "empty-file": (b"", {"mapping": mapping}),
        "csv-without-mapping": (statement, {}),
        "unknown-bank": (statement, {"bank": unique("No such bank")}),
        "missing-column": (statement, {"mapping": json.dumps(
            {**SUGGESTED, "reference": "Verwendungszweck"})}),
        "mapping-not-json": (statement, {"mapping": "{date: Booking date"}),
        "mapping-unknown-key": (statement, {"mapping": json.dumps({**SUGGESTED, "colour": "x"})}),
        "mapping-without-date": (statement, {"mapping": json.dumps({"amount": "Amount"})}),
        "amount-and-credit": (statement, {"mapping": json.dumps({**SUGGESTED,
                                                                 "credit": "Amount"})}),
        "unknown-currency": (statement, {"mapping": json.dumps({**SUGGESTED, "currency": None}),
                                         "default_currency": "XYZ"}),
        "bank-name-too-long": (statement, {"mapping": mapping, "bank": "B" * 101}),
        "unknown-form-field": (statement, {"mapping": mapping, "profile": "x"}),
    }
    return cases[case]


BAD_UPLOADS = {
    "not-a-statement": (None, "not a CSV text file"),
    "xml-but-not-camt": (None, "not a camt.053 bank statement"),
    "empty-file": (None, "empty"),
    "csv-without-mapping": ("mapping", "Choose which columns"),
    "unknown-bank": ("mapping", "No columns are saved for"),
    "missing-column": ("mapping.reference", 'no column "Verwendungszweck"'),
    "mapping-not-json": ("mapping", "JSON"),
    "mapping-unknown-key": ("mapping.colour", None),
    "mapping-without-date": ("mapping.date", None),
    "amount-and-credit": ("mapping.amount", "not both"),
    "unknown-currency": ("default_currency", "XYZ"),
    "bank-name-too-long": ("bank", "100 characters"),
    "unknown-form-field": ("profile", "Unknown field"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_a_bad_upload_is_a_readable_422_and_writes_nothing(api, accountant, case):
    content, fields = _bad_upload(case)
    before = rows_written()
    error = assert_error(upload(api, accountant, content, **fields), 422, "validation_error",
                         BAD_UPLOADS[case][0])
    if BAD_UPLOADS[case][1]:
        assert BAD_UPLOADS[case][1] in error["message"]
    assert rows_written() == before


@pytest.mark.parametrize("case", ["not-a-statement", "xml-but-not-camt", "empty-file"])
def test_a_bad_file_cannot_be_previewed(api, accountant, case):
    content, _ = _bad_upload(case)
    error = assert_error(upload(api, accountant, content, url=PREVIEW), 422, "validation_error")
    assert BAD_UPLOADS[case][1] in error["message"]


@pytest.mark.parametrize("kwargs", [
    {"data": {"file": "not a file"}},
    {"json": {"file": "aGVsbG8="}},
    {"files": {"statement": ("s.csv", b"a,b", "text/csv")}},
], ids=["text-field", "json", "other-field"])
def test_an_upload_without_the_file_field_is_a_422(api, accountant, kwargs):
    before = rows_written()
    assert_error(api.post(STATEMENTS, headers=accountant, **kwargs), 422, "validation_error",
                 "file")
    assert rows_written() == before


def test_a_second_file_is_a_400(api, accountant):
    before = rows_written()
    files = {"file": ("s.csv", b"a,b", "text/csv"), "mapping": ("m.json", b"{}", "text/json")}
    error = assert_error(api.post(STATEMENTS, headers=accountant, files=files), 400,
                         "bad_request")
    assert "Too many files" in error["message"]
    assert rows_written() == before


@pytest.mark.parametrize("url", [STATEMENTS, PREVIEW])
def test_a_file_over_the_limit_is_refused_with_413(api, accountant, url):
    before = rows_written()
    big = b"x" * (MAX_FILE_BYTES + 1024 * 1024)
    error = assert_error(upload(api, accountant, big, url=url), 413, "too_large")
    assert "20 MB" in error["message"]

    def chunks():  # the same, sent chunked with no Content-Length
        for _ in range(len(big) // (1024 * 1024)):
            yield b"0" * (1024 * 1024)

    assert_error(api.post(url, headers={**accountant,
                                        "Content-Type": "multipart/form-data; boundary=x"},
                          content=chunks()), 413, "too_large")
    assert rows_written() == before


@pytest.mark.parametrize("method,path,kwargs,status,field", [
    ("POST", "/proposals/999999/accept", {}, 404, None),
    ("POST", "/proposals/999999/reject", {}, 404, None),
    ("POST", "/lines/999999/match", {"json": {"client_id": 1}}, 404, None),
    ("POST", "/lines/999999/ignore", {}, 404, None),
    ("GET", "/lines/999999", {}, 404, None),
    ("GET", "/review?statement_id=999999", {}, 404, None),
    ("POST", "/proposals/accept-confident", {"json": {"statement_id": 999999}}, 404, None),
    ("POST", "/proposals/accept-confident", {"json": {"min_confidence": 101}}, 422,
     "min_confidence"),
    ("POST", "/proposals/accept-confident", {"json": {"min_confidence": "high"}}, 422,
     "min_confidence"),
    ("GET", "/review?min_confidence=-1", {}, 422, "min_confidence"),
    ("GET", "/review?limit=201", {}, 422, "limit"),
    ("GET", "/statements?offset=-1", {}, 422, "offset"),
    ("POST", f"/proposals/{2**31}/accept", {}, 422, "proposal_id"),
])
def test_bad_bank_requests_get_the_error_format(api, accountant, method, path, kwargs, status,
                                                field):
    code = {404: "not_found", 422: "validation_error"}[status]
    assert_error(api.request(method, f"{BANK}{path}", headers=accountant, **kwargs), status,
                 code, field)


def test_accepting_confident_proposals_without_a_body_takes_the_defaults(api, accountant,
                                                                          proposed):
    bill, item = proposed
    bulk = post(api, accountant, "/proposals/accept-confident")
    assert item["proposal"]["id"] in bulk["accepted"]
    assert standing(api, accountant, bill["id"])[0] == "paid"


def test_the_api_docs_ask_for_amounts_as_strings_and_a_file(api):
    spec = api.get("/api/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert schemas["ManualMatchBody"]["properties"]["allocations"]["items"] == {
        "$ref": "#/components/schemas/AllocationBody"}
    form = spec["paths"][STATEMENTS]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert set(form["schema"]["properties"]) == {"file", "bank", "mapping", "default_currency"}


_UPLOAD = {"files": {"file": ("s.csv", b"a,b\n1,2", "text/csv")}}
BANK_WRITES = [
    ("POST", "/statements/preview", _UPLOAD),
    ("POST", "/statements", _UPLOAD),
    ("POST", "/proposals/1/accept", {}),
    ("POST", "/proposals/1/reject", {}),
    ("POST", "/proposals/accept-confident", {"json": {}}),
    ("POST", "/lines/1/match", {"json": {"client_id": 1}}),
    ("POST", "/lines/1/ignore", {}),
]
BANK_READS = [
    ("GET", "/statements", {}),
    ("GET", "/csv-profiles", {}),
    ("GET", "/review", {}),
    ("GET", "/lines/{line}", {}),
]


@pytest.fixture
def line_ids(api, accountant, unmatched) -> dict[str, int]:
    return {"line": unmatched["paid"]["id"]}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLIENT])
@pytest.mark.parametrize("method,path,kwargs", BANK_WRITES)
def test_viewers_and_client_accounts_change_nothing(api, headers, role, method, path, kwargs):
    before = rows_written()
    assert_error(api.request(method, f"{BANK}{path}", headers=headers[role], **kwargs), 403,
                 "forbidden")
    assert rows_written() == before


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN, Role.ACCOUNTANT])
@pytest.mark.parametrize("method,path,kwargs", BANK_READS)
def test_staff_read_statements(api, headers, line_ids, role, method, path, kwargs):
    response = api.request(method, f"{BANK}{path.format(**line_ids)}", headers=headers[role],
                           **kwargs)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("method,path,kwargs", BANK_READS)
def test_client_accounts_read_no_statements(api, headers, line_ids, method, path, kwargs):
    assert_error(api.request(method, f"{BANK}{path.format(**line_ids)}",
                             headers=headers[Role.CLIENT], **kwargs), 403, "forbidden")


@pytest.mark.parametrize("method,path,kwargs", BANK_WRITES + [
    (method, path.format(line=1), kwargs) for method, path, kwargs in BANK_READS])
def test_bank_routes_need_a_token(api, method, path, kwargs):
    assert_error(api.request(method, f"{BANK}{path}", **kwargs), 401, "not_authenticated")


def test_admins_import_and_decide_too(api, headers, client):
    admin = headers[Role.ADMIN]
    bill = issued(api, admin, client["id"])
    result = imported(api, admin, csv_file(payment_line("100.00", f"Paying {bill['number']}",
                                                        unique("Payer"))),
                      mapping=json.dumps(SUGGESTED))
    [item] = review(api, admin, result["statement_id"])
    post(api, admin, f"/proposals/{item['proposal']['id']}/accept", 201)
    assert standing(api, admin, bill["id"])[0] == "paid"
