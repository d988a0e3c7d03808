from datetime import date

import pytest

from billing_app.domain.numbering import check_pattern, format_number, period_key

DAY = date(2026, 3, 7)


@pytest.mark.parametrize(
    ("pattern", "sequence", "expected"),
    [
        ("INV-{YYYY}-{SEQ:05}", 42, "INV-2026-00042"),
        ("CN-{YY}{MM}-{SEQ:3}", 7, "CN-2603-007"),
        ("{SEQ}", 123456, "123456"),
        ("R{YYYY}/{SEQ:02}", 1234, "R2026/1234"),  # wider than the padding: never cut
        ("{SEQ:09}", 1, "000000001"),
    ],
)
def test_format_number(pattern, sequence, expected):
    assert format_number(pattern, sequence=sequence, issue_date=DAY) == expected


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [("INV-{YYYY}-{SEQ:05}", "2026"), ("{YY}-{MM}-{SEQ}", "2026-03"), ("INV-{SEQ:06}", "")],
)
def test_period_key(pattern, expected):
    assert period_key(pattern, DAY) == expected


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("INV-{YYYY}", "exactly one {SEQ}"),
        ("{SEQ}-{SEQ}", "exactly one {SEQ}"),
        ("{DD}-{SEQ}", "Unknown placeholder {DD}"),
        ("{MM}-{SEQ}", "also needs {YYYY}"),
        ("INV-{SEQ:05000000}", "at most 9 digits"),  # a 5 MB preview once
        ("INV-{SEQ:010}", "at most 9 digits"),
    ],
)
def test_bad_patterns_are_refused(pattern, message):
    with pytest.raises(ValueError, match=message.replace("{", r"\{").replace("}", r"\}")):
        check_pattern(pattern)


def test_text_around_the_placeholders_is_kept_as_written():
    assert format_number("{YYYY}/{SEQ:4} {x}", sequence=5, issue_date=DAY) == "2026/0005 {x}"
