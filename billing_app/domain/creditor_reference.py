"""ISO 11649 creditor references ("RF references"): RF, two check digits, up to 21 letters
and digits, e.g. RF18 5390 0754 7034.

Every issued invoice has one, made from its number ("INV-2026-00042" -> RF..INV202600042),
so it needs no storage and never changes. The check digits are ISO 7064 mod 97-10, as in an
IBAN: a payer who mistypes one character gets a reference that fails the check, and a
typo is caught instead of paying the wrong invoice.
"""

import re

MAX_BODY = 21
"""Letters and digits after RF and the check digits (25 characters in all)."""
GROUP = 4
"""Printed in groups of this many characters, as ISO 11649 asks."""
SHAPE = r"RF[0-9]{2}[A-Z0-9]{1,%d}" % MAX_BODY
"""A compact reference, whatever its check digits say."""
WRITTEN = r"\bRF[0-9]{2}(?:[A-Z0-9]{1,%d}|(?: [A-Z0-9]{1,%d}){1,%d})\b" % (
    MAX_BODY, GROUP, -(-MAX_BODY // GROUP))
"""How a reference may be written in upper-cased free text: compact or in groups of four."""


def _remainder(text: str) -> int:
    """The text (letters and digits) as a number, A=10 ... Z=35, modulo 97."""
    return int("".join(str(int(char, 36)) for char in text)) % 97


def compact(text: str) -> str:
    """Upper case without spaces: how a reference is compared and checked."""
    return "".join(text.split()).upper()


def creditor_reference(invoice_number: str | None) -> str | None:
    """The invoice's reference, compact: RF, the check digits, and the letters and digits of
    its number (the last MAX_BODY of them, when there are more: the sequence is at the end).
    None for a draft, which has no number yet."""
    body = re.sub(r"[^A-Z0-9]", "", (invoice_number or "").upper())[-MAX_BODY:]
    return f"RF{98 - _remainder(body + 'RF00'):02d}{body}" if body else None


def looks_like(text: str) -> bool:
    """Has the shape of a creditor reference (whatever its check digits say)."""
    return re.fullmatch(SHAPE, compact(text)) is not None


def is_valid(text: str) -> bool:
    """A creditor reference with the right check digits; case and spaces do not matter."""
    reference = compact(text)
    return looks_like(reference) and _remainder(reference[4:] + reference[:4]) == 1


def grouped(text: str) -> str:
    """For print: "RF18539007547034" -> "RF18 5390 0754 7034"."""
    reference = compact(text)
    return " ".join(reference[start:start + GROUP] for start in range(0, len(reference), GROUP))


def found_in(text: str) -> list[str]:
    """The creditor references written in free text, compact. Where words follow one
    ("RF18 5390 0754 7034 PAID"), the longest reading with the right check digits is taken,
    else the longest reading (a reference with a typo)."""
    found = []
    for written in re.findall(WRITTEN, text.upper()):
        words = written.split()
        readings = ["".join(words[:end]) for end in range(len(words), 0, -1)]
        readings = [reading for reading in readings if looks_like(reading)]
        found.append(next((reading for reading in readings if is_valid(reading)), readings[0]))
    return found
