"""IBAN and BIC as printed on invoices and in the payment QR code: checked, normalised, grouped."""

import re

_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")  # bank, country, place, branch


def normalise_iban(value: str) -> str:
    """The IBAN without spaces, upper case; ValueError with a readable reason when it is wrong.

    The check digits are ISO 13616's mod 97: move the first four characters to the end, turn
    letters into numbers (A=10 ... Z=35), and the number must leave 1 when divided by 97.
    """
    iban = re.sub(r"\s+", "", value).upper()
    if not _IBAN.match(iban):
        raise ValueError("An IBAN starts with a country code and two check digits, then up to "
                         "30 letters and digits, such as DE89 3704 0044 0532 0130 00.")
    digits = "".join(str(int(char, 36)) for char in iban[4:] + iban[:4])
    if int(digits) % 97 != 1:
        raise ValueError("The IBAN's check digits do not match: please check for a typing error.")
    return iban


def normalise_bic(value: str) -> str:
    bic = re.sub(r"\s+", "", value).upper()
    if not _BIC.match(bic):
        raise ValueError("A BIC has 8 or 11 letters and digits, such as COBADEFFXXX.")
    return bic


def grouped_iban(iban: str) -> str:
    """In blocks of four, as people read and type it: DE89 3704 0044 0532 0130 00."""
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
