"""Keys on which free text from a bank meets our records: invoice numbers and payers' names.

Both sides go through the same function, so "INV-2026/00042", "inv 2026 00042" and
"INV.2026.00042" all become INV202600042, and "ACME G.m.b.H." and "Acme GmbH" become ACME.
The functions take and return pandas Series, so a whole import is keyed at once.
"""

import pandas as pd

MAX_NUMBER_PARTS = 5
"""An invoice number may be written in up to this many pieces ("INV 2026 00042" is 3)."""
MIN_NUMBER_KEY = 4
"""Shorter keys ("42") would be found in too many references to say anything."""
LEGAL_FORMS = (
    "GMBH", "MBH", "AG", "KG", "KGAA", "OHG", "UG", "EK", "EV", "LTD", "LIMITED", "PLC", "LLP",
    "LLC", "INC", "INCORPORATED", "CORP", "CORPORATION", "CO", "COMPANY", "BV", "NV", "VOF",
    "SA", "SAS", "SARL", "SRL", "SPA", "SL", "AB", "AS", "OY", "APS", "SE", "PTY",
)  # fmt: skip
_LEGAL_FORM = r"\b(?:" + "|".join(LEGAL_FORMS) + r")\b"


def number_keys(numbers: pd.Series) -> pd.Series:
    """Upper case, letters and digits only."""
    return numbers.str.upper().str.replace(r"[^A-Z0-9]", "", regex=True)


def reference_keys(references: pd.Series) -> pd.DataFrame:
    """Every way a reference may write an invoice number: each run of letters and digits,
    alone and joined to up to MAX_NUMBER_PARTS - 1 following runs, with a digit and at least
    MIN_NUMBER_KEY characters. Returns the distinct (label of the reference, key) pairs, the
    label in a column named like the Series' index."""
    label = references.index.name or "index"
    tokens = references.str.upper().str.extractall(r"([A-Z0-9]+)")[0]
    following = tokens.groupby(level=0)
    keys, joined = [tokens], tokens
    for step in range(1, MAX_NUMBER_PARTS):
        joined = joined + following.shift(-step)  # missing past the end of the reference
        keys.append(joined)
    found = pd.concat(keys).dropna()
    found = found[(found.str.len() >= MIN_NUMBER_KEY) & found.str.contains(r"[0-9]", regex=True)]
    found = found.droplevel("match").rename("key").rename_axis(label).reset_index()
    return found.drop_duplicates(ignore_index=True)


def name_keys(names: pd.Series) -> pd.Series:
    """Upper case without accents, punctuation and legal forms (GmbH, Ltd, B.V., S.A., Inc...);
    "" when nothing else is left."""
    text = (names.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
            .str.upper()
            .str.replace(r"[.'`]", "", regex=True)  # B.V. -> BV, O'Neil -> ONEIL
            .str.replace(r"[^A-Z0-9]+", " ", regex=True)
            .str.replace(_LEGAL_FORM, " ", regex=True))
    return text.str.split().str.join(" ").fillna("")
