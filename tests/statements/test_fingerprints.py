import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from billing_app.domain.statements import CsvMapping, line_fingerprints, parse_camt053, parse_csv

FIXTURES = Path(__file__).parent / "fixtures"
GERMAN = (FIXTURES / "german_bank.csv").read_bytes()
MAPPING = CsvMapping(date="Buchungstag", amount="Betrag (EUR)", reference="Verwendungszweck")
ACCOUNT = "DE89 3704 0044 0532 0130 00"


def german_keys(data: bytes = GERMAN) -> list[str]:
    return line_fingerprints(parse_csv(data, MAPPING, default_currency="EUR").lines, ACCOUNT)


def test_importing_the_same_file_again_gives_the_same_keys():
    assert german_keys() == german_keys()
    camt = (FIXTURES / "camt053_batch.xml").read_bytes()
    [first], [again] = parse_camt053(camt), parse_camt053(camt)
    assert line_fingerprints(first.lines, first.account_iban) == line_fingerprints(again.lines, again.account_iban)


def test_two_equal_payments_on_one_day_get_distinct_keys():
    lines = parse_csv(GERMAN, MAPPING, default_currency="EUR").lines
    assert lines[2] == lines[3]  # 250,00 from the bakery, twice on 5 March
    assert lines[2].fingerprint(ACCOUNT) == lines[3].fingerprint(ACCOUNT)
    keys = german_keys()
    assert len(set(keys)) == len(keys) == 6
    assert all(re.fullmatch(r"[0-9a-f]{64}", key) for key in keys)  # fits the fingerprint column


def test_a_later_export_overlapping_an_earlier_one_repeats_the_keys_of_the_shared_lines():
    rows = GERMAN.split(b"\r\n")
    assert rows[5].startswith(b'"Buchungstag"')
    earlier = b"\r\n".join(rows[:9])  # the header and the first three rows, one of the two equal ones
    assert set(german_keys(earlier)) < set(german_keys())


def test_the_key_depends_on_the_account_and_on_every_field():
    line = parse_csv(GERMAN, MAPPING, default_currency="EUR").lines[0]
    key = line.fingerprint(ACCOUNT)
    assert line.fingerprint("de89370400440532013000") == key  # the same IBAN, written differently
    assert line.fingerprint("DE02120300000000202051") != key
    assert replace(line, amount=Decimal("1190.0")).fingerprint(ACCOUNT) == key  # the same amount
    changed = [
        replace(line, amount=-line.amount),
        replace(line, currency="USD"),
        replace(line, booking_date=line.booking_date.replace(day=2)),
        replace(line, value_date=line.booking_date),
        replace(line, reference=line.reference + " 2"),
        replace(line, counterparty_name="Other"),
        replace(line, counterparty_iban="DE02120300000000202051"),
        replace(line, bank_reference="X"),
    ]
    assert key not in {other.fingerprint(ACCOUNT) for other in changed}
