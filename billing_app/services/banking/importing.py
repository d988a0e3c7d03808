"""Importing a bank statement file: its new lines stored once, then matched to invoices."""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.statements import (
    PAID_OUT,
    CsvMapping,
    ParsedStatement,
    StatementLine,
    line_fingerprints,
    looks_like_xml,
    parse_camt053,
    parse_csv,
    set_aside_reason,
)
from billing_app.errors import ValidationFailed
from billing_app.models.banking import (
    BankCsvProfile,
    BankStatement,
    BankStatementLine,
    LineStatus,
    StatementFormat,
)
from billing_app.models.users import User
from billing_app.services.audit import audit_record
from billing_app.services.banking.matching import proposals_build
from billing_app.services.banking.reversals import reversals_build
from billing_app.services.banking.bulk import insert_rows

LINES = BankStatementLine.__table__
DEFAULT_CURRENCY = "EUR"
_TEXT_LIMITS = {name: LINES.c[name].type.length
                for name in ("counterparty_name", "counterparty_iban", "bank_reference",
                             "return_reason", "entry_status", "creditor_reference",
                             "end_to_end_id", "transaction_code")}
_FLAGS = ("reversal", "returned", "bank_charge")
_NAME_LIMIT = BankCsvProfile.__table__.c.name.type.length
_FILE_NAME_LIMIT = BankStatement.__table__.c.file_name.type.length


def _count(count: int, thing: str) -> str:
    return f"{count} {thing}{'s' * (count != 1)}"


@dataclass(frozen=True)
class ImportResult:
    statement_ids: list[int]  # the statements stored; none when the file brought nothing new
    lines_in_file: int
    new_lines: int
    already_imported: int  # lines of the file stored by an earlier import
    new_credits: int  # new money received, open for matching
    debits_ignored: int  # new money paid out: not customer payments, set aside
    proposals: int  # of the new credits, those with a proposed match
    # the other new lines set aside, by reason (records.set_aside_reason): not booked yet,
    # reversals, returns, bank charges
    set_aside: dict[str, int] = field(default_factory=dict)

    @property
    def message(self) -> str:
        said = f"{_count(self.new_lines, 'new line')}, {self.already_imported} already imported."
        if not self.new_lines:
            return said + " This statement was imported before; nothing was added."
        if self.new_credits:
            said += (f" Matches proposed for {self.proposals} of "
                     f"{_count(self.new_credits, 'payment')} received.")
        if self.debits_ignored:
            said += (f" {_count(self.debits_ignored, 'payment')} made "
                     f"{'was' if self.debits_ignored == 1 else 'were'} set aside.")
        for reason, count in self.set_aside.items():
            said += f" {_count(count, 'line')} set aside: {reason}"
        return said


def statement_import(session: Session, *, actor: User, file_name: str, data: bytes,
                     bank_profile: str | None = None, mapping: CsvMapping | None = None,
                     default_currency: str | None = None) -> ImportResult:
    """Store the lines of a camt.053 or CSV statement not imported before, and propose
    matches for the new payments received.

    A CSV needs its column mapping: `mapping`, or the one saved for the bank named
    `bank_profile`. Given both, the mapping is saved for that bank's next file.
    default_currency (for CSV lines without a currency column): the saved bank's, else EUR.
    Re-importing a file adds nothing and stores no statement; the result says so.
    """
    require(actor, Action.PAYMENTS_WRITE)
    file_name = (file_name or "").strip()[:_FILE_NAME_LIMIT] or "statement"
    if looks_like_xml(data):
        source, profile = StatementFormat.CAMT053, None
        statements = parse_camt053(data)
    else:
        source, bank = StatementFormat.CSV, (bank_profile or "").strip()
        mapping, profile = _csv_mapping(session, bank, mapping)
        currency = default_currency or (profile.default_currency if profile else DEFAULT_CURRENCY)
        statements = [parse_csv(data, mapping, default_currency=currency)]
        if bank:
            profile = _profile_save(session, actor, profile, bank, mapping, currency)
    digest = hashlib.sha256(data).hexdigest()
    stored, new = [], []
    for parsed in statements:
        statement, added = _statement_store(session, actor, parsed, source, file_name, digest,
                                            profile)
        new += added
        if statement is not None:
            stored.append(statement.id)
    credits = [line_id for line_id, reason in new if not reason]
    proposals = proposals_build(session, credits) if credits else 0
    reversals_build(session, [line_id for line_id, reason in new if reason])
    in_file = sum(len(parsed.lines) for parsed in statements)
    reasons = Counter(reason for _, reason in new if reason)
    result = ImportResult(
        statement_ids=stored, lines_in_file=in_file, new_lines=len(new),
        already_imported=in_file - len(new), new_credits=len(credits),
        debits_ignored=reasons.pop(PAID_OUT, 0), proposals=proposals, set_aside=dict(reasons))
    audit_record(session, actor=actor, action="bank_statement.import",
                 entity_type="bank_statement", entity_id=stored[0] if stored else None,
                 details={"file_name": file_name, "format": source.value,
                          "bank_profile": profile.name if profile else None,
                          "statement_ids": stored, "lines": result.lines_in_file,
                          "new_lines": result.new_lines, "proposals": proposals})
    session.flush()
    return result


def _csv_mapping(session: Session, bank: str,
                 mapping: CsvMapping | None) -> tuple[CsvMapping, BankCsvProfile | None]:
    """The mapping to read the CSV with, and the bank's saved profile if there is one."""
    if len(bank) > _NAME_LIMIT:
        raise ValidationFailed(f"Keep the bank's name under {_NAME_LIMIT} characters.",
                               field="bank_profile")
    profile = session.exec(select(BankCsvProfile).where(
        func.lower(BankCsvProfile.name) == bank.lower())).first() if bank else None
    if mapping is not None:
        return mapping, profile
    if profile is None:
        raise ValidationFailed(
            f"No columns are saved for {bank}; choose which columns hold the date, the amount "
            "and the reference." if bank else
            "Choose which columns of the CSV file hold the date, the amount and the reference.",
            field="mapping")
    return CsvMapping.from_json(profile.mapping), profile


def _profile_save(session: Session, actor: User, profile: BankCsvProfile | None, bank: str,
                  mapping: CsvMapping, currency: str) -> BankCsvProfile:
    """Remember the bank's columns (a changed mapping replaces the saved one, audited: it
    decides which column is read as the amount of every later import)."""
    saved = json.loads(mapping.to_json())
    before = None
    if profile is None:
        profile = BankCsvProfile(name=bank, mapping=saved, default_currency=currency)
    elif profile.mapping == saved and profile.default_currency == currency:
        return profile
    else:
        before = {"mapping": profile.mapping, "currency": profile.default_currency}
        profile.mapping, profile.default_currency = saved, currency
    session.add(profile)
    session.flush()
    audit_record(session, actor=actor, action="bank_csv_profile.save",
                 entity_type="bank_csv_profile", entity_id=profile.id,
                 details={"bank": profile.name, "from": before,
                          "to": {"mapping": saved, "currency": currency}})
    return profile


def _statement_store(session: Session, actor: User, parsed: ParsedStatement,
                     source: StatementFormat, file_name: str, digest: str,
                     profile: BankCsvProfile | None) -> tuple[BankStatement | None, list]:
    """The statement and its lines not stored before (multi-row inserts that skip known
    fingerprints): the statement, or None when every line was known, and (id, set-aside
    reason) of the new lines. Only money received is stored open; every other line is
    stored set aside (ignored), see records.set_aside_reason."""
    statement = BankStatement(
        source=source, file_name=file_name, file_sha256=digest,
        account_iban=parsed.account_iban or None, statement_ref=parsed.statement_id or None,
        csv_profile_id=profile.id if profile else None, opening_balance=parsed.opening_balance,
        closing_balance=parsed.closing_balance, line_count=len(parsed.lines),
        imported_by_id=actor.id)
    session.add(statement)
    session.flush()
    keyed = dict(zip(line_fingerprints(parsed.lines, parsed.account_iban), parsed.lines,
                     strict=True))
    rows = [_line_row(statement.id, key, line) for key, line in keyed.items()]
    new = insert_rows(session, LINES, rows, skip_duplicates_of="fingerprint",
                      returning=[LINES.c.id, LINES.c.fingerprint])
    if not new:
        session.delete(statement)
        session.flush()
        return None, []
    statement.new_line_count = len(new)
    session.add(statement)
    return statement, [(line_id, set_aside_reason(keyed[key])) for line_id, key in new]


def _line_row(statement_id: int, fingerprint: str, line: StatementLine) -> dict:
    row = {
        "statement_id": statement_id, "fingerprint": fingerprint,
        "booking_date": line.booking_date, "value_date": line.value_date,
        "amount": line.amount, "currency": line.currency, "reference": line.reference,
        "status": (LineStatus.OPEN if line.is_money_received else LineStatus.IGNORED).value,
    }
    return (row | {name: getattr(line, name)[:limit] for name, limit in _TEXT_LIMITS.items()}
            | {name: getattr(line, name) for name in _FLAGS})
