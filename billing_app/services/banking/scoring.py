"""How much each kind of evidence counts towards a proposal's confidence (0 to 100).

A proposal's confidence is the sum of the points of its evidence, capped at 100, so the
order is: RF reference (100) >= number + amount + known account (100) > number + amount (80)
> known account + amount (60) > number only (50) > name + amount (45) > resembling name +
amount (40) > known account only (30) > name only (15) > resembling name only (10). Between
two clients for one line, the one an RF reference points to comes first whatever the points.
"""

RF = 100
"""An open invoice's RF creditor reference (domain/creditor_reference.py) is in the line, with
the right check digits: copied from the invoice, and a typo would have failed the check. The
strongest evidence there is; one with wrong check digits counts nothing."""
NUMBER = 50
"""The invoice's number is in the payment reference."""
AMOUNT_EXACT = 30
"""The amount is the invoice's balance, the sum of the balances of the invoices named or of
all the client's open invoices, or, with other lines naming the same invoice, its balance.
A balance here is what the waiting proposals of other lines leave of it."""
AMOUNT_CLOSE = 15
"""The amount is within CLOSE_SHARE or CLOSE_UNITS of one invoice's balance (bank charges)."""
IBAN = 30
"""The payer's account paid this client's invoices before (a learned ClientBankAccount)."""
NAME = 15
"""The payer's name is the client's name, ignoring case, punctuation and legal form."""
NAME_RESEMBLES = 10
"""The payer's name is not the client's but resembles it (a misspelling): less than NAME, and
with amount and due date (45) still less than NUMBER, so it never outranks an invoice number."""
RESEMBLES_FROM = 85
"""Names resemble from this rapidfuzz token set ratio up (percent, of the keys as NAME compares
them); "Cedar Prnt" and "Cedar Print" score 95. Only the one most resembling client counts,
and none when two resemble the payer as much."""
DUE_DATE = 5
"""The line was booked within DUE_WINDOW_DAYS of the due date of an invoice it pays."""

MAX_CONFIDENCE = 100
HIGH = 80
"""Proposals from here up are the ones accepted in bulk: number and amount, or better."""

CLOSE_SHARE = 100
"""Close means within 1/CLOSE_SHARE (1%) of the balance..."""
CLOSE_UNITS = 1
"""...or within this many units of the currency (1.00), whichever is more."""
DUE_WINDOW_DAYS = 7
