"""The choices a company has for how its PDFs look; the settings and the renderer share them."""

import re

LAYOUTS = {"classic": "Classic", "modern": "Modern"}
DEFAULT_ACCENT = "#1f4e79"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def check_layout(value: str) -> str:
    if value not in LAYOUTS:
        raise ValueError(f"Choose a layout: {', '.join(LAYOUTS.values())}.")
    return value


def normalise_accent(value: str) -> str:
    """A colour as #rrggbb; it goes into the document's style, so nothing else passes."""
    colour = value.strip()
    if not _HEX_COLOUR.match(colour):
        raise ValueError("Write the colour as # and six hex digits, such as #1f4e79.")
    return colour.lower()


LANGUAGES = ("en", "de")
"""Languages documents are printed in; documents/labels.py holds the words of each."""


def check_language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(f"Choose a document language: {', '.join(LANGUAGES)}.")
    return value
