"""Report options as query parameters: one spelling for the page's address, the export links
and the API, so a report can be bookmarked, exported or fetched with the same words.

Any address can be typed: what is not valid raises ValidationFailed naming the parameter.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from billing_app.domain.aging import DEFAULT_BOUNDARIES, AgingBasis, parse_boundaries
from billing_app.errors import ValidationFailed
from billing_app.reports.aging import AgingOptions

AGING_PARAMS = ("as_of", "basis", "buckets", "client", "currency", "min", "overdue")


def param_date(params: Mapping[str, str], name: str, default: date) -> date:
    text = (params.get(name) or "").strip()
    if not text:
        return default
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ValidationFailed("Enter a date like 2026-01-31.", field=name) from None


def param_id(params: Mapping[str, str], name: str) -> int | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) < 2**31:
        raise ValidationFailed("Choose one from the list.", field=name)
    return int(text)


def aging_options(params: Mapping[str, str], *, today: date) -> AgingOptions:
    """AgingOptions from ?as_of=&basis=&buckets=30,60&client=&currency=&min=&overdue=1."""
    basis = params.get("basis") or AgingBasis.DUE_DATE.value
    if basis not in AgingBasis.__members__.values():
        raise ValidationFailed("Age by due date or by issue date.", field="basis")
    try:
        boundaries = parse_boundaries(params["buckets"]) if params.get("buckets") else DEFAULT_BOUNDARIES
    except ValueError as error:
        raise ValidationFailed(str(error), field="buckets") from None
    currency = (params.get("currency") or "").strip().upper()
    if currency and not (len(currency) == 3 and currency.isalpha()):
        raise ValidationFailed("Give a currency code like EUR.", field="currency")
    minimum = None
    if (params.get("min") or "").strip():
        try:
            minimum = Decimal(params["min"].strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationFailed("Write the minimum balance as a number, like 1000.", field="min") from None
        if not minimum.is_finite():
            raise ValidationFailed("Write the minimum balance as a number, like 1000.", field="min")
    return AgingOptions(
        as_of=param_date(params, "as_of", today), basis=AgingBasis(basis), boundaries=boundaries,
        client_id=param_id(params, "client"), currency=currency or None, min_balance=minimum,
        only_overdue=(params.get("overdue") or "") in ("1", "true"),
    )


def aging_params(options: AgingOptions, **changes) -> dict[str, str]:
    """The query parameters that give `options` back (defaults left out), with `changes`."""
    params = {
        "as_of": options.as_of.isoformat(),
        "basis": "" if options.basis is AgingBasis.DUE_DATE else options.basis.value,
        "buckets": "" if options.boundaries == DEFAULT_BOUNDARIES
        else ",".join(str(b) for b in options.boundaries),
        "client": str(options.client_id or ""),
        "currency": options.currency or "",
        "min": "" if options.min_balance is None else f"{options.min_balance:f}",
        "overdue": "1" if options.only_overdue else "",
    }
    params.update({key: str(value) for key, value in changes.items()})
    return {key: value for key, value in params.items() if value}


def period(params: Mapping[str, str], *, today: date) -> tuple[date, date]:
    """?start=&end=: by default the twelve months up to today (from the first of the month)."""
    first = today.replace(day=1)
    default_start = first.replace(year=first.year - 1, month=first.month + 1) if first.month < 12 \
        else first.replace(month=1)
    start, end = param_date(params, "start", default_start), param_date(params, "end", today)
    if end < start:
        raise ValidationFailed("The end of the period cannot be before its start.", field="end")
    if (end - start).days > 3700:
        raise ValidationFailed("Choose a period of at most ten years.", field="start")
    return start, end


def months_back(params: Mapping[str, str], default: int = 12) -> int:
    text = (params.get("months") or "").strip()
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= 60:
        raise ValidationFailed("Choose between 1 and 60 months.", field="months")
    return int(text)
