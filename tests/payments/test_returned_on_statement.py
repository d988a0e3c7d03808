"""A payment the bank returned shows on the client's statement on the day the bank booked
the return, not on the day someone recorded it."""

from datetime import date
from decimal import Decimal

from sqlmodel import select

from billing_app.documents import statement_pdf
from billing_app.models import ReversalProposal
from billing_app.queries.payments import client_statement
from billing_app.services.banking import reversal_accept, statement_import
from billing_app.services.payments import payment_record
from tests.support.camt import Entry, camt053
from tests.support.documents import pdf_text

PAID, BOOKED = date(2031, 3, 10), date(2031, 3, 14)


def test_the_returned_payment_row_is_dated_by_the_banks_booking(db, company, accountant,
                                                                  customer):
    payment = payment_record(db, actor=accountant, today=PAID, send_receipt=False, data={
        "client_id": customer.id, "payment_date": PAID, "amount": "80.00"})
    statement_import(db, actor=accountant, file_name="returned.xml", data=camt053(
        Entry("-80.00", BOOKED, customer.name, return_reason="AC04"), statement_id="returned"))
    proposal = db.exec(select(ReversalProposal)
                       .where(ReversalProposal.payment_id == payment.id)).one()
    reversal_accept(db, actor=accountant, proposal_id=proposal.id)  # recorded today, not then

    statement = client_statement(db, actor=accountant, client_id=customer.id)
    assert [(e.on, e.kind, e.debit, e.credit) for e in statement.entries] == [
        (PAID, "payment", Decimal("0"), Decimal("80.00")),
        (BOOKED, "return", Decimal("80.00"), Decimal("0"))]
    text = pdf_text(statement_pdf(db, actor=accountant, client_id=customer.id,
                                  date_from=BOOKED, date_to=BOOKED).content)
    assert f"Returned by the bank Payment {payment.id} €80.00" in text
