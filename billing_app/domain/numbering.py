"""Document numbers from a company pattern such as "INV-{YYYY}-{SEQ:05}".

Tokens: {YYYY} and {YY} (year of issue), {MM} (month), {SEQ} or {SEQ:0N} (the sequence,
zero-padded to N digits). The sequence restarts in every period the pattern names: each
year with a year token, each month with a month token too, never without one.
"""

import re
from datetime import date
from functools import lru_cache

_TOKEN = re.compile(r"\{([A-Z]+)(?::(\d+))?\}")
_KNOWN = {"YYYY", "YY", "MM", "SEQ"}
MAX_SEQ_WIDTH = 9  # a number column holds 50 characters; a wide pad only wastes memory


def check_pattern(pattern: str) -> None:
    """Raise ValueError with a readable message when the pattern cannot number documents."""
    tokens = _tokens(pattern)
    unknown = sorted(set(tokens) - _KNOWN)
    if unknown:
        raise ValueError(f"Unknown placeholder {{{unknown[0]}}}; use {{YYYY}}, {{YY}}, {{MM}}, {{SEQ}}.")
    if tokens.count("SEQ") != 1:
        raise ValueError("The number pattern needs exactly one {SEQ} placeholder.")
    if "MM" in tokens and not {"YYYY", "YY"} & set(tokens):
        raise ValueError("A pattern with {MM} also needs {YYYY} or {YY}.")
    widths = [int(width) for name, width in _TOKEN.findall(pattern) if name == "SEQ" and width]
    if any(width > MAX_SEQ_WIDTH for width in widths):
        raise ValueError(f"{{SEQ}} pads to at most {MAX_SEQ_WIDTH} digits, e.g. {{SEQ:05}}.")


def period_key(pattern: str, issue_date: date) -> str:
    """The period whose sequence numbers a document: "2026", "2026-03" or "" (never resets)."""
    tokens = set(_tokens(pattern))
    if not {"YYYY", "YY"} & tokens:
        return ""
    if "MM" in tokens:
        return f"{issue_date.year}-{issue_date.month:02d}"
    return str(issue_date.year)


def format_number(pattern: str, *, sequence: int, issue_date: date) -> str:
    return _template(pattern).format(
        YYYY=f"{issue_date.year:04d}", YY=f"{issue_date.year % 100:02d}",
        MM=f"{issue_date.month:02d}", SEQ=sequence,
    )


@lru_cache(maxsize=64)
def _tokens(pattern: str) -> tuple[str, ...]:
    return tuple(match.group(1) for match in _TOKEN.finditer(pattern))


@lru_cache(maxsize=64)
def _template(pattern: str) -> str:
    """The checked pattern as a str.format template: "INV-{YYYY}-{SEQ:05}" -> "INV-{YYYY}-{SEQ:05d}"."""
    check_pattern(pattern)
    parts, end = [], 0
    for match in _TOKEN.finditer(pattern):
        parts.append(_literal(pattern[end:match.start()]))
        name, width = match.groups()
        parts.append(f"{{SEQ:0{int(width or 1)}d}}" if name == "SEQ" else f"{{{name}}}")
        end = match.end()
    parts.append(_literal(pattern[end:]))
    return "".join(parts)


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")
