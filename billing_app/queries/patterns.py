"""LIKE patterns from what a user typed into a search box."""

ESCAPE = "\\"


def like_escaped(text: str) -> str:
    """The text as part of a LIKE pattern that matches it literally (with ESCAPE)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
