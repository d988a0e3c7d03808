"""camt.053 bank statements (ISO 20022 BkToCstmrStmt) of any version, read from untrusted uploads.

Elements are found by local name, so camt.053.001.02, .04, .08 and later read alike.

Every entry gives lines, whatever its status (BOOK, PDNG, FUTR, INFO: `entry_status`); which
of them are money received is decided by records.set_aside_reason.

A batch entry booked net of charges (signed, its amount smaller than the sum of its
transactions, all in the entry's currency: less money in, or more money out) gets one more
line, `bank_charge`, for the difference, so its lines add up to the entry. An entry larger than
its transactions is left as they say.
"""

import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from lxml import etree

from billing_app.domain.statements.records import (
    BOOKED,
    ParsedStatement,
    StatementFormatError,
    StatementLine,
    collapse_whitespace,
    normalise_iban,
    refuse_excess_decimals,
    refuse_oversized,
)

NOT_CAMT053 = "This file is not a camt.053 bank statement."
IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
SIGNS = {"CRDT": 1, "DBIT": -1}
RETURN_CODE = "RRTN"
DATE_WITH_ZONE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})")
"""2024-01-02Z, 2024-01-02+01:00: an xs:date with its zone (times with zones read as ISO 8601)."""
XML_BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}
XML_STARTS = ("<".encode("utf-16-le"), "<".encode("utf-16-be"))


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


def looks_like_xml(data: bytes) -> bool:
    """An XML document in any encoding: UTF-8 or 16 with or without a byte order mark, or
    an ASCII-compatible encoding declared in it (latin-1). Anything else is read as CSV."""
    for bom, encoding in XML_BOMS.items():
        if data.startswith(bom):
            return data[len(bom):len(bom) + 200].decode(encoding, errors="ignore").lstrip().startswith("<")
    return data.lstrip(b" \t\r\n").startswith(b"<") or data.startswith(XML_STARTS)


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
    """One line per entry; a batch entry whose transactions each state an amount gives one per
    transaction, and a bank charge line when it was booked net of charges."""
    amount, currency = _signed_amount(entry, where)
    booking_date = _date(entry, "BookgDt", where) or _date(entry, "ValDt", where)
    if booking_date is None:
        raise StatementFormatError(f"{where} has no booking date.")
    common = {
        "booking_date": booking_date,
        "value_date": _date(entry, "ValDt", where),
        # <Sts>BOOK</Sts> or <Sts><Cd>BOOK</Cd></Sts>
        "entry_status": _text(entry, "Sts").upper()[:10] or BOOKED,
        "reversal": _text(entry, "RvslInd").lower() in ("true", "1"),
    }
    entry_reference = _text(entry, "AcctSvcrRef")
    entry_info = _text(entry, "AddtlNtryInf")
    transactions = entry.findall(_path("NtryDtls/TxDtls"))
    holders = [_transaction_amount_holder(transaction) for transaction in transactions]

    if len(transactions) > 1 and all(holder is not None for holder in holders):
        total, currencies = Decimal(0), {currency}
        for index, (transaction, holder) in enumerate(zip(transactions, holders, strict=True), 1):
            tx_where = f"{where}, transaction {index}"
            sign = _sign(transaction, tx_where, default=1 if amount >= 0 else -1)
            tx_amount, tx_currency = _signed_amount(holder, tx_where, sign=sign)
            total, currencies = total + tx_amount, currencies | {tx_currency}
            yield StatementLine(
                **common,
                **_details(entry, [transaction], credit=tx_amount >= 0, reversal=common["reversal"]),
                amount=tx_amount,
                currency=tx_currency,
                reference=_remittance([transaction]) or _text(transaction, "AddtlTxInf") or entry_info,
                # each transaction's own id first, so the lines of a batch stay apart
                bank_reference=_text(transaction, "Refs/AcctSvcrRef")
                or _end_to_end_id(transaction)
                or entry_reference,
            )
        if len(currencies) == 1 and amount < total:
            yield StatementLine(
                **common,
                amount=amount - total,
                currency=currency,
                reference="Bank charges deducted from this batch",
                counterparty_name="",
                counterparty_iban="",
                bank_reference=entry_reference,
                bank_charge=True,
            )
        return

    yield StatementLine(
        **common,
        **_details(entry, transactions, credit=amount >= 0, reversal=common["reversal"]),
        amount=amount,
        currency=currency,
        reference=_remittance(transactions) or entry_info,
        bank_reference=entry_reference
        or next(
            (ref for tx in transactions if (ref := _text(tx, "Refs/AcctSvcrRef") or _end_to_end_id(tx))),
            "",
        ),
    )


def _details(entry: etree._Element, transactions: list[etree._Element], *, credit: bool,
             reversal: bool) -> dict:
    """The counterparty, return, codes and creditor reference of the transactions of one line."""
    code = next((found for tx in transactions if (found := _transaction_code(tx))), "") or _transaction_code(entry)
    return_info = next((info for tx in transactions if (info := tx.find(_path("RtrInf"))) is not None), None)
    returned = return_info is not None or RETURN_CODE in code.upper()
    # the parties keep the roles of the original transaction: a reversed or returned credit
    # was a payment we made, a reversed or returned debit a payment we received
    name, iban = _counterparty(transactions, payer_side=credit != (reversal or returned))
    return {
        "counterparty_name": name,
        "counterparty_iban": iban,
        "returned": returned,
        "return_reason": (_text(return_info, "Rsn/Cd") or _text(return_info, "Rsn/Prtry"))[:200],
        "creditor_reference": next(
            (ref for tx in transactions for ref in _texts(tx, "RmtInf/Strd/CdtrRefInf/Ref")), ""
        )[:35],
        "end_to_end_id": next((ref for tx in transactions if (ref := _end_to_end_id(tx))), "")[:35],
        "transaction_code": code[:50],
    }


def _transaction_code(element: etree._Element) -> str:
    """BkTxCd as "PMNT/RCDT/ESCT" (domain/family/sub-family), else its proprietary code."""
    domain = element.find(_path("BkTxCd/Domn"))
    if domain is not None:
        parts = [_text(domain, "Cd"), _text(domain, "Fmly/Cd"), _text(domain, "Fmly/SubFmlyCd")]
        if all(parts):
            return "/".join(parts)
    return _text(element, "BkTxCd/Prtry/Cd")


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
    refuse_excess_decimals(amount, where)
    currency = (found.get("Ccy") or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise StatementFormatError(f"{where}: the amount has no currency code.")
    if sign is None:
        sign = _sign(element, where)
    return (-amount if sign < 0 and amount else amount), currency


def _date(entry: etree._Element, name: str, where: str) -> date | None:
    """<BookgDt>/<ValDt>: its <Dt>, or the date part of its <DtTm>, as the bank wrote it (a
    zone, 2024-01-02Z or 2024-01-02T00:15+01:00, says where the bank is: its date is kept)."""
    text = _text(entry, f"{name}/Dt") or _text(entry, f"{name}/DtTm")
    if not text:
        return None
    zoned = DATE_WITH_ZONE.fullmatch(text)
    try:
        return date.fromisoformat(zoned.group(1)) if zoned else datetime.fromisoformat(text).date()
    except ValueError:
        raise StatementFormatError(f'{where}: "{text}" is not a date.') from None


def _account_iban(account: etree._Element | None) -> str:
    """The account's IBAN; some banks put it in Id/Othr/Id, which counts if it has an IBAN's shape."""
    iban = normalise_iban(_text(account, "Id/IBAN"))
    if iban:
        return iban
    other = normalise_iban(_text(account, "Id/Othr/Id"))
    return other if IBAN_SHAPE.fullmatch(other) else ""


def _counterparty(transactions: list[etree._Element], *, payer_side: bool) -> tuple[str, str]:
    """The debtor (payer_side) or the creditor, named by the first transaction naming one; with
    no name of its own, the ultimate debtor or creditor's."""
    side = "Dbtr" if payer_side else "Cdtr"
    for transaction in transactions:
        parties = transaction.find(_path("RltdPties"))
        if parties is None:
            continue
        name = next((found for path in (f"{side}/Nm", f"{side}/Pty/Nm", f"Ultmt{side}/Nm", f"Ultmt{side}/Pty/Nm")
                     if (found := _text(parties, path))), "")
        iban = _account_iban(parties.find(_path(f"{side}Acct")))
        if name or iban:
            return name, iban
    return "", ""


def _remittance(transactions: list[etree._Element]) -> str:
    """All unstructured remittance texts (else the structured creditor references), then the
    additional remittance texts of the structured blocks."""
    texts = [text for tx in transactions for text in _texts(tx, "RmtInf/Ustrd")]
    if not texts:
        texts = [text for tx in transactions for text in _texts(tx, "RmtInf/Strd/CdtrRefInf/Ref")]
    texts += [text for tx in transactions for text in _texts(tx, "RmtInf/Strd/AddtlRmtInf")]
    return " ".join(texts)


def _end_to_end_id(transaction: etree._Element) -> str:
    reference = _text(transaction, "Refs/EndToEndId")
    return "" if reference.upper() == "NOTPROVIDED" else reference
