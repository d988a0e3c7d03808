"""The settings' preview names the number the next invoice will really get."""

from datetime import date

from billing_app.services.numbering import next_number, next_sequence_value

DAY = date(2031, 5, 4)


def test_the_preview_reads_the_next_value_without_taking_it(db, company):
    pattern = "PV-{YYYY}-{SEQ:03}"
    peek = {"company_id": company.id, "kind": "invoice", "pattern": pattern, "issue_date": DAY}
    assert next_sequence_value(db, **peek) == 1
    taken = [next_number(db, **peek) for _ in range(3)]
    assert taken == ["PV-2031-001", "PV-2031-002", "PV-2031-003"]
    assert next_sequence_value(db, **peek) == next_sequence_value(db, **peek) == 4
    assert next_number(db, **peek) == "PV-2031-004"
    assert next_sequence_value(db, **{**peek, "issue_date": date(2032, 1, 1)}) == 1  # a new year
    assert next_sequence_value(db, **{**peek, "kind": "credit_note"}) == 1
