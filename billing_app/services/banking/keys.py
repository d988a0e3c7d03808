"""Keys on which free text from a bank meets our records: invoice numbers, RF creditor
references and payers' names.

Both sides go through the same function, so "INV-2026/00042", "inv 2026 00042" and
"INV.2026.00042" all become INV202600042, and "ACME G.m.b.H." and "Acme GmbH" become ACME.
The functions take and return pandas Series, so a whole import is keyed at once.
"""

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from billing_app.domain import creditor_reference as rf

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


def resembling(payers: pd.Series, names: pd.Series, min_score: int) -> pd.DataFrame:
    """For each payer's key, the name key it resembles most (rapidfuzz's token set ratio of
    the two, from min_score up) when no other name resembles it as much: the distinct
    (payer, name, score) rows, score in whole percent.

    Pre-bucketed, not every payer against every name: a payer is compared with the names
    sharing its rarest word among the names (a word most names share, such as a trade,
    would bring in all of them)."""
    payers, names = pd.Series(payers.unique(), dtype=str), pd.Series(names.unique(), dtype=str)
    words = (pd.DataFrame({"name": names, "word": names.str.split()}).explode("word")
             .drop_duplicates())
    asked = (pd.DataFrame({"payer": payers, "word": payers.str.split()}).explode("word")
             .merge(words.word.value_counts().rename("often").reset_index(), on="word"))
    rarest = asked[asked.often == asked.groupby("payer").often.transform("min")]
    pairs = rarest.merge(words, on="word")[["payer", "name"]].drop_duplicates(ignore_index=True)
    pairs["score"] = process.cpdist(pairs.payer.tolist(), pairs.name.tolist(),
                                    scorer=fuzz.token_set_ratio, score_cutoff=min_score,
                                    dtype=np.uint8) if len(pairs) else []
    pairs = pairs[pairs.score >= min_score]
    best = pairs[pairs.score == pairs.groupby("payer").score.transform("max")]
    return best[best.groupby("payer").name.transform("size") == 1].reset_index(drop=True)


def creditor_references(references: pd.Series, structured: pd.Series) -> pd.DataFrame:
    """The RF creditor references of each line, compact: its structured creditor reference
    when it is one, and those written in its free text. Returns the distinct (label, rf,
    valid) rows, valid saying whether the check digits are right."""
    label = references.index.name or "index"
    texts = references.str.upper()
    written = texts[texts.str.contains(rf.WRITTEN, regex=True)]
    found = [(key, reference) for key, text in written.items() for reference in rf.found_in(text)]
    found += list(structured[_is_rf(structured)].map(rf.compact).items())
    frame = pd.DataFrame(found, columns=[label, "rf"]).drop_duplicates(ignore_index=True)
    return frame.assign(valid=frame.rf.map(rf.is_valid).astype(bool))


def searched_text(references: pd.Series, structured: pd.Series) -> pd.Series:
    """Where invoice numbers are looked for: the free text without its RF references (an RF
    reference counts through its check digits only, so one with a typo pays nothing), and
    a structured creditor reference that is not an RF reference."""
    free = references.str.upper().str.replace(rf.WRITTEN, " ", regex=True)
    return free + " " + structured.where(~_is_rf(structured), "")


def _is_rf(structured: pd.Series) -> pd.Series:
    return structured.str.replace(r"\s+", "", regex=True).str.upper().str.fullmatch(rf.SHAPE)
