"""The EPC069-12 payment QR code ("GiroCode"): a banking app reads payee, IBAN, amount and
reference from it, and the payment comes back on the bank statement with that reference."""

from decimal import Decimal

from segno.helpers import make_epc_qr

EPC_MAX_AMOUNT = Decimal("999999999.99")
EPC_NAME_LENGTH = 70
EPC_TEXT_LENGTH = 140


def epc_qr_data_uri(*, name: str, iban: str, bic: str | None, amount: Decimal,
                    reference: str, currency: str, creditor_reference: str = "") -> str | None:
    """An SVG data: URL of the code, or None when a code cannot pay this: another currency
    than EUR, nothing due, or an amount beyond what the standard carries.

    The standard carries one remittance field or the other: an ISO 11649 creditor reference
    (RF..., compact) goes in the structured one, which banks pass on unchanged; without
    one, `reference` (the invoice number) goes in the unstructured text.
    """
    if currency.upper() != "EUR" or not Decimal("0.01") <= amount <= EPC_MAX_AMOUNT:
        return None
    code = make_epc_qr(name=name[:EPC_NAME_LENGTH], iban=iban, amount=amount, bic=bic or None,
                       text=None if creditor_reference else reference[:EPC_TEXT_LENGTH],
                       reference=creditor_reference or None, encoding="utf-8")
    # the quiet zone of four modules the standard asks for; the stylesheet sets the size
    return code.svg_data_uri(scale=4, border=4, xmldecl=False, nl=False)
