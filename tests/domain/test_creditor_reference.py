"""ISO 11649 RF creditor references: made from invoice numbers, checked, printed, found in text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from billing_app.domain.creditor_reference import (
    creditor_reference,
    found_in,
    grouped,
    is_valid,
)

PUBLISHED = ["RF18539007547034", "RF712348231", "RF18000000000539007547034"]
"""Examples from ISO 11649 and the EPC's guidance on the creditor reference."""


@pytest.mark.parametrize("reference", PUBLISHED)
def test_published_examples_are_valid_and_made_again_from_their_body(reference):
    assert is_valid(reference)
    assert creditor_reference(reference[4:]) == reference


def test_case_and_spaces_do_not_matter_and_print_groups_of_four():
    assert is_valid("rf18 5390 0754 7034")
    assert grouped("rf18539007547034") == "RF18 5390 0754 7034"
    assert grouped("RF712348231") == "RF71 2348 231"


def test_an_invoice_number_gives_its_letters_and_digits_after_the_check_digits():
    reference = creditor_reference("INV-2026/00042")
    assert reference == "RF36INV202600042" and is_valid(reference)
    assert creditor_reference("inv 2026 00042") == reference  # the same key as the number's
    assert creditor_reference(None) is None  # a draft has no number yet


def test_a_long_number_keeps_its_last_21_letters_and_digits():
    reference = creditor_reference("ACME-HOLDINGS-EUROPE-INVOICE-2026-000042")
    assert reference[4:] == "ROPEINVOICE2026000042"
    assert len(reference) == 25 and is_valid(reference)


@pytest.mark.parametrize("typo", [
    "RF19539007547034",  # a check digit
    "RF18539007547043",  # two digits swapped
    "RF18539007547035",  # one digit of the body
    "RF18 5390 0754 7034 0",  # a character too many
])
def test_typos_fail_the_check(typo):
    assert not is_valid(typo)


@pytest.mark.parametrize("text", ["", "RF", "RF18", "RF1853900754703412345678901",
                                  "RX18539007547034", "RF18-5390"])
def test_what_is_not_shaped_like_a_reference_is_not_valid(text):
    assert not is_valid(text)


DIGITS, LETTERS = "0123456789", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
numbers = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/ "), min_size=1,
                  max_size=40).filter(lambda text: any(char.isalnum() for char in text))


@given(numbers, st.integers(min_value=0), st.integers(min_value=1))
def test_every_made_reference_round_trips_and_a_mistyped_character_is_caught(number, at, by):
    reference = creditor_reference(number)
    assert is_valid(reference) and is_valid(grouped(reference).lower())
    position = 2 + at % (len(reference) - 2)  # a check digit or a character of the body
    kind = DIGITS if reference[position].isdigit() else LETTERS  # a digit for a digit...
    mistyped = kind[(kind.index(reference[position]) + by % (len(kind) - 1) + 1) % len(kind)]
    assert not is_valid(reference[:position] + mistyped + reference[position + 1:])


def test_references_are_found_in_free_text_written_compact_or_in_groups():
    assert found_in("Invoice rf18 5390 0754 7034 thanks") == ["RF18539007547034"]
    assert found_in("RF712348231/RF18539007547034") == ["RF712348231", "RF18539007547034"]
    # the words after a grouped reference are not part of it when the check says so
    assert found_in("RF18 5390 0754 7034 PAID") == ["RF18539007547034"]
    # a typo is still found (to be reported), the longest reading
    assert found_in("paid RF19 5390 0754 7034") == ["RF19539007547034"]
    assert found_in("RF12 payment, REF 2026") == []
