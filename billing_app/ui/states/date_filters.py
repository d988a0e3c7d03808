"""Date filters typed into a list: applied when they are dates, explained when they are not."""

from datetime import date

BAD_DATE = "Enter a date like 2026-01-31."


def day(text: str) -> date | None:
    """The date typed, None when blank; ValueError when it is no date."""
    return date.fromisoformat(text) if text else None


def checked_date(text, name: str, errors: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """(the date text to apply, or None when it is no date; `errors` with this filter's message
    set or cleared). Browsers send "" or an ISO date, but any event can be crafted."""
    text = str(text).strip()[:10]
    try:
        day(text)
    except ValueError:
        return None, {**errors, name: BAD_DATE}
    return text, {key: message for key, message in errors.items() if key != name}
