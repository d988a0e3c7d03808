"""What a bank statement file says, whatever its format: statements, their lines and their keys.

Which lines are money received: only `StatementLine.is_money_received` lines (booked money in,
not a reversal, not a return, not a bank charge) are stored OPEN and offered for matching.
Every other line is stored IGNORED (set aside) and never proposed as a client payment;
`set_aside_reason` says why in plain words, for the import message and the line's page:
- money paid out (a debit);
- an entry not booked: status FUTR (future), PDNG (pending) or INFO (for information);
- a reversal (RvslInd): a debit reverses a client's payment, a credit reverses our refund;
- a return (bank transaction code ...RRTN or RtrInf): our outgoing payment came back;
- a bank charge: the charges a batch entry was booked net of (see camt053.py).
Reversals and returns wait for their own proposals (services/banking), not for matching.
"""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from billing_app.errors import ValidationFailed

MAX_FILE_BYTES = 20 * 1024 * 1024
BOOKED = "BOOK"
STORED_DECIMALS = 4  # the scale of models.base.MONEY


class StatementFormatError(ValidationFailed):
    """The uploaded file cannot be read as a bank statement; the message says why, for a clerk."""


def refuse_oversized(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise StatementFormatError(
            f"This file is {len(data) / 1024 / 1024:.1f} MB; statements up to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB can be imported. Export a shorter period."
        )


def refuse_excess_decimals(amount: Decimal, where: str) -> None:
    """Amounts are stored with STORED_DECIMALS places and never rounded: one with more
    (other than trailing zeros) refuses the file."""
    if -amount.as_tuple().exponent > STORED_DECIMALS and amount != amount.quantize(
            Decimal(1).scaleb(-STORED_DECIMALS)):
        raise StatementFormatError(
            f'{where}: the amount "{amount}" has more than {STORED_DECIMALS} decimals; amounts are '
            "kept exactly, so the file is not imported. Ask the bank for a file with fewer decimals.")


def collapse_whitespace(text: str | None) -> str:
    return " ".join((text or "").split())


def normalise_iban(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "").upper()


@dataclass(frozen=True)
class StatementLine:
    booking_date: date
    value_date: date | None
    amount: Decimal  # signed: money in (credit) is positive, money out (debit) negative
    currency: str
    reference: str
    counterparty_name: str
    counterparty_iban: str
    bank_reference: str
    reversal: bool = False  # camt RvslInd: the bank reverses an earlier entry of the other sign
    returned: bool = False  # a returned payment (bank transaction code ...RRTN, or RtrInf)
    return_reason: str = ""  # RtrInf/Rsn/Cd (e.g. AC04, MD06), or the proprietary reason
    entry_status: str = BOOKED  # camt Sts: BOOK, PDNG, FUTR or INFO
    creditor_reference: str = ""  # Strd/CdtrRefInf/Ref (e.g. an ISO 11649 RF reference), raw
    end_to_end_id: str = ""  # Refs/EndToEndId, "" for NOTPROVIDED
    transaction_code: str = ""  # BkTxCd "PMNT/RCDT/ESCT" (Domn/Fmly/SubFmlyCd), else Prtry/Cd
    bank_charge: bool = False  # the charges a batch entry was booked net of (see camt053.py)

    @property
    def is_money_received(self) -> bool:
        """Booked money in from a client: the only kind of line offered for matching."""
        return not set_aside_reason(self)

    def fingerprint(self, account_iban: str) -> str:
        """A key of the account and every field; equal lines give equal keys (see line_fingerprints).

        The details added later (end-to-end id, transaction code, creditor reference, reversal
        and return marks) describe the same line and are left out, so a file imported before
        them keeps its keys. A non-booked status and a bank-charge line are kept apart: a
        future entry booked in a later statement is a new line.
        """
        canonical = [
            normalise_iban(account_iban),
            self.booking_date.isoformat(),
            self.value_date.isoformat() if self.value_date else "",
            # 12.5 and 12.50 are the same amount, whichever way a file writes it
            format(self.amount.normalize(), "f"),
            self.currency,
            self.reference,
            self.counterparty_name,
            self.counterparty_iban,
            self.bank_reference,
        ]
        if self.entry_status != BOOKED:
            canonical.append(f"status:{self.entry_status}")
        if self.bank_charge:
            canonical.append("bank_charge")
        text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


NOT_BOOKED_WORDS = {"FUTR": "a future entry, not booked yet", "PDNG": "a pending entry, not booked yet",
                    "INFO": "an entry for information only, not booked"}
PAID_OUT = "Money paid out."


def set_aside_reason(line) -> str:
    """Why a line (StatementLine or its stored row) is not money received; "" when it is."""
    if line.entry_status != BOOKED:
        return "Not money received: " + NOT_BOOKED_WORDS.get(
            line.entry_status, f"the entry's status is {line.entry_status}, not booked") + "."
    if line.bank_charge:
        return "Bank charges deducted from a batch booked net of them."
    if line.reversal:
        return ("Reversal of a client's payment." if line.amount < 0
                else "Reversal of a payment we made (e.g. a refund came back).")
    if line.returned:
        reason = f" (reason {line.return_reason})" if line.return_reason else ""
        return (f"A payment we made came back{reason}; not money received." if line.amount > 0
                else f"A client's payment was returned to them{reason}.")
    if line.amount <= 0:
        return PAID_OUT
    return ""


@dataclass(frozen=True)
class ParsedStatement:
    account_iban: str  # "" when the file does not say (CSV)
    statement_id: str  # the bank's id of the statement (camt Stmt/Id); "" for CSV
    currency: str | None
    opening_balance: Decimal | None
    closing_balance: Decimal | None
    lines: tuple[StatementLine, ...]


def line_fingerprints(lines: Iterable[StatementLine], account_iban: str) -> list[str]:
    """One key per line, 64 hex characters, distinct even for identical lines in one statement.

    Two equal payments on one day are two lines with equal fingerprints, so the n-th
    occurrence of a fingerprint is hashed with n. Importing the same file again gives the
    same keys, so it adds nothing. Pass all lines of one import for one account together.
    """
    seen: Counter[str] = Counter()
    keys = []
    for line in lines:
        fingerprint = line.fingerprint(account_iban)
        seen[fingerprint] += 1
        keys.append(hashlib.sha256(f"{fingerprint}:{seen[fingerprint]}".encode()).hexdigest())
    return keys
