"""What a bank statement file says, whatever its format: statements, their lines and their keys."""

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


class StatementFormatError(ValidationFailed):
    """The uploaded file cannot be read as a bank statement; the message says why, for a clerk."""


def refuse_oversized(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise StatementFormatError(
            f"This file is {len(data) / 1024 / 1024:.1f} MB; statements up to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB can be imported. Export a shorter period."
        )


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

    def fingerprint(self, account_iban: str) -> str:
        """A key of the account and every field; equal lines give equal keys (see line_fingerprints)."""
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
        text = json.dumps(canonical, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


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
