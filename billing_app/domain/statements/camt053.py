"""camt.053 bank statements (ISO 20022 BkToCstmrStmt) of any version, read from untrusted uploads.

Elements are found by local name, so camt.053.001.02, .04, .08 and later read alike.
"""

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from lxml import etree

from billing_app.domain.statements.records import (
    ParsedStatement,
    StatementFormatError,
    StatementLine,
    collapse_whitespace,
    normalise_iban,
    refuse_oversized,
)

NOT_CAMT053 = "This file is not a camt.053 bank statement."
IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
SIGNS = {"CRDT": 1, "DBIT": -1}
NOT_BOOKED = {"PDNG", "INFO"}
"""Entry statuses of money not (yet) booked: pending or for information only."""


def parse_camt053(data: bytes) -> list[ParsedStatement]:
    """Every statement (<Stmt>) in the file, in file order."""
    root = _parse_xml(data)
    report = root.find(_path("BkToCstmrStmt"))
    if etree.QName(root).localname != "Document" or report is None:
        raise StatementFormatError(NOT_CAMT053)
    statements = report.findall(_path("Stmt"))
    if not statements:
        raise StatementFormatError("This camt.053 file contains no statement.")
    return [_statement(element, number) for number, element in enumerate(statements, 1)]


def _parse_xml(data: bytes) -> etree._Element:
    """Parse without fetching anything or expanding entities; a file with a DTD is refused."""
    refuse_oversized(data)
    if not data.strip():
        raise StatementFormatError("The file is empty.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data.lstrip(), parser)
    except etree.XMLSyntaxError as error:
        raise StatementFormatError(
            f"{NOT_CAMT053} It is not well-formed XML (the problem is on line {error.lineno})."
        ) from None
    if root.getroottree().docinfo.doctype:
        raise StatementFormatError(f"{NOT_CAMT053} It declares a document type, which bank statements never do.")
    return root


@cache
def _path(path: str) -> str:
    """Acct/Id/IBAN -> {*}Acct/{*}Id/{*}IBAN: any namespace (so any version) matches."""
    return "/".join("{*}" + step for step in path.split("/"))


def _texts(element: etree._Element, path: str) -> list[str]:
    found = (collapse_whitespace("".join(child.itertext())) for child in element.findall(_path(path)))
    return [text for text in found if text]


def _text(element: etree._Element | None, path: str) -> str:
    texts = [] if element is None else _texts(element, path)
    return texts[0] if texts else ""


def _statement(element: etree._Element, number: int) -> ParsedStatement:
    statement_id = _text(element, "Id")
    where = f"Statement {statement_id or number}"
    opening = closing = None
    for balance in element.findall(_path("Bal")):
        code = _text(balance, "Tp/CdOrPrtry/Cd").upper()
        if code == "OPBD" or (code == "PRCD" and opening is None):
            opening = _signed_amount(balance, f"{where}, balance {code}")[0]
        elif code == "CLBD":
            closing = _signed_amount(balance, f"{where}, balance {code}")[0]
    lines = tuple(
        line
        for index, entry in enumerate(element.findall(_path("Ntry")), 1)
        if _text(entry, "Sts").upper() not in NOT_BOOKED  # <Sts>BOOK</Sts> or <Sts><Cd>BOOK</Cd>
        for line in _entry_lines(entry, f"{where}, entry {index}")
    )
    return ParsedStatement(
        account_iban=_account_iban(element.find(_path("Acct"))),
        statement_id=statement_id,
        currency=_text(element, "Acct/Ccy").upper() or None,
        opening_balance=opening,
        closing_balance=closing,
        lines=lines,
    )


def _entry_lines(entry: etree._Element, where: str) -> Iterator[StatementLine]:
    """One line per entry; a batch entry whose transactions each state an amount gives one per transaction."""
    amount, currency = _signed_amount(entry, where)
    booking_date = _date(entry, "BookgDt", where) or _date(entry, "ValDt", where)
    if booking_date is None:
        raise StatementFormatError(f"{where} has no booking date.")
    value_date = _date(entry, "ValDt", where)
    entry_reference = _text(entry, "AcctSvcrRef")
    entry_info = _text(entry, "AddtlNtryInf")
    transactions = entry.findall(_path("NtryDtls/TxDtls"))
    holders = [_transaction_amount_holder(transaction) for transaction in transactions]

    if len(transactions) > 1 and all(holder is not None for holder in holders):
        for index, (transaction, holder) in enumerate(zip(transactions, holders, strict=True), 1):
            tx_where = f"{where}, transaction {index}"
            sign = _sign(transaction, tx_where, default=1 if amount >= 0 else -1)
            tx_amount, tx_currency = _signed_amount(holder, tx_where, sign=sign)
            name, iban = _counterparty([transaction], credit=tx_amount >= 0)
            yield StatementLine(
                booking_date=booking_date,
                value_date=value_date,
                amount=tx_amount,
                currency=tx_currency,
                reference=_remittance([transaction]) or _text(transaction, "AddtlTxInf") or entry_info,
                counterparty_name=name,
                counterparty_iban=iban,
                # each transaction's own id first, so the lines of a batch stay apart
                bank_reference=_text(transaction, "Refs/AcctSvcrRef")
                or _end_to_end_id(transaction)
                or entry_reference,
            )
        return

    name, iban = _counterparty(transactions, credit=amount >= 0)
    yield StatementLine(
        booking_date=booking_date,
        value_date=value_date,
        amount=amount,
        currency=currency,
        reference=_remittance(transactions) or entry_info,
        counterparty_name=name,
        counterparty_iban=iban,
        bank_reference=entry_reference
        or next(
            (ref for tx in transactions if (ref := _text(tx, "Refs/AcctSvcrRef") or _end_to_end_id(tx))),
            "",
        ),
    )


def _transaction_amount_holder(transaction: etree._Element) -> etree._Element | None:
    """The element whose <Amt> is this transaction's amount (v4+ TxDtls/Amt, else AmtDtls/TxAmt)."""
    if transaction.find(_path("Amt")) is not None:
        return transaction
    return transaction.find(_path("AmtDtls/TxAmt"))


def _sign(element: etree._Element, where: str, default: int | None = None) -> int:
    indicator = _text(element, "CdtDbtInd").upper()
    if indicator in SIGNS:
        return SIGNS[indicator]
    if default is not None and not indicator:
        return default
    raise StatementFormatError(f"{where} does not say whether it is money in (CRDT) or money out (DBIT).")


def _signed_amount(element: etree._Element, where: str, sign: int | None = None) -> tuple[Decimal, str]:
    """The <Amt> child with its currency, signed by the element's CdtDbtInd unless a sign is given."""
    found = element.find(_path("Amt"))
    if found is None:
        raise StatementFormatError(f"{where} has no amount.")
    text = (found.text or "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount < 0:
        raise StatementFormatError(f'{where}: the amount "{text}" is not a number.')
    currency = (found.get("Ccy") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise StatementFormatError(f"{where}: the amount has no currency code.")
    if sign is None:
        sign = _sign(element, where)
    return (-amount if sign < 0 and amount else amount), currency


def _date(entry: etree._Element, name: str, where: str) -> date | None:
    """<BookgDt>/<ValDt>: its <Dt>, or the date part of its <DtTm> as the bank wrote it."""
    text = _text(entry, f"{name}/Dt") or _text(entry, f"{name}/DtTm")
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise StatementFormatError(f'{where}: "{text}" is not a date.') from None


def _account_iban(account: etree._Element | None) -> str:
    """The account's IBAN; some banks put it in Id/Othr/Id, which counts if it has an IBAN's shape."""
    iban = normalise_iban(_text(account, "Id/IBAN"))
    if iban:
        return iban
    other = normalise_iban(_text(account, "Id/Othr/Id"))
    return other if IBAN_SHAPE.fullmatch(other) else ""


def _counterparty(transactions: list[etree._Element], *, credit: bool) -> tuple[str, str]:
    """The payer of money in (Dbtr), the payee of money out (Cdtr): the first transaction naming one."""
    side = "Dbtr" if credit else "Cdtr"
    for transaction in transactions:
        parties = transaction.find(_path("RltdPties"))
        if parties is None:
            continue
        name = _text(parties, f"{side}/Nm") or _text(parties, f"{side}/Pty/Nm")
        iban = _account_iban(parties.find(_path(f"{side}Acct")))
        if name or iban:
            return name, iban
    return "", ""


def _remittance(transactions: list[etree._Element]) -> str:
    """All unstructured remittance texts; else the structured creditor references."""
    texts = [text for tx in transactions for text in _texts(tx, "RmtInf/Ustrd")]
    if not texts:
        texts = [text for tx in transactions for text in _texts(tx, "RmtInf/Strd/CdtrRefInf/Ref")]
    return " ".join(texts)


def _end_to_end_id(transaction: etree._Element) -> str:
    reference = _text(transaction, "Refs/EndToEndId")
    return "" if reference.upper() == "NOTPROVIDED" else reference
