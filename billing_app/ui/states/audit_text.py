"""An audit entry in words: "Invoice issued", "Credit limit: 1,000.00 → empty", for people
reading the log rather than for machines reading its JSON."""

from typing import Any

from billing_app.ui import routes
from billing_app.ui.states.links import href

# actions read better as a phrase of their own than as "<record> <verb>"
_ACTION_PHRASES = {
    "auth.sign_in": "Signed in",
    "auth.sign_in_failed": "Sign-in failed",
    "auth.sign_out": "Signed out",
    "auth.sign_out_everywhere": "Signed out everywhere",
    "auth.lockout": "Locked out after failed sign-ins",
    "auth.token_issue": "API token issued",
    "auth.refresh_reuse": "Reused API refresh token refused",
    "bank_match.accept_confident": "Confident bank matches accepted",
    "statement.send": "Statement sent",
}
_PAST = {
    "create": "created", "update": "changed", "delete": "deleted", "save": "saved", "reset": "reset",
    "issue": "issued", "cancel": "cancelled", "send": "sent", "mark_sent": "marked as sent",
    "record": "recorded", "allocate": "allocated", "unallocate": "allocation removed",
    "void": "voided", "refund": "refunded", "refunded": "refunded", "returned": "marked returned",
    "apply_credit": "credit applied", "accept": "accepted", "reject": "rejected", "ignore": "set aside",
    "match": "matched", "import": "imported", "activate": "activated", "deactivate": "deactivated",
    "change_role": "role changed", "change_password": "password changed",
    "reset_password": "password reset", "retry": "sent again", "keep": "kept", "logo": "logo changed",
    "duplicate": "duplicated", "create_draft": "draft created", "event": "gateway event",
}
# record type -> (page, its route parameter); other types link to their list, or nowhere
_RECORD_PAGES = {
    "invoice": (routes.INVOICE, "invoice_id"),
    "client": (routes.CLIENT, "client_id"),
    "payment": (routes.PAYMENT, "payment_id"),
}
_LIST_PAGES = {
    "user": routes.USERS, "product": routes.PRODUCTS, "bulk_job": routes.BULK_JOBS,
    "email": routes.EMAILS, "bank_statement": routes.BANK, "bank_line": routes.BANK,
    "bank_match": routes.BANK, "tax_rate": routes.SETTINGS, "company": routes.SETTINGS,
    "reminder_level": routes.SETTINGS, "email_template": routes.SETTINGS,
}
MAX_VALUE = 120  # characters of one value shown; the export keeps everything


def words(name: str) -> str:
    """"credit_limit" -> "Credit limit"."""
    return name.replace("_", " ").replace(".", " ").strip().capitalize()


def record_type_label(entity_type: str) -> str:
    return {"bank_line": "Bank statement line", "bank_match": "Bank match proposal",
            "api_token": "API sign-in"}.get(entity_type, words(entity_type))


def action_label(action: str) -> str:
    """"invoice.issue" -> "Invoice issued"."""
    if action in _ACTION_PHRASES:
        return _ACTION_PHRASES[action]
    record, _, verb = action.rpartition(".")
    done = _PAST.get(verb, words(verb).lower())
    return f"{record_type_label(record)} {done}" if record else done.capitalize()


def record_label(entity_type: str, entity_id: str | None, name: str | None) -> str:
    """"Invoice INV-2026-00012", or "Tax rate #3" when the record has no better name."""
    if name:
        return f"{record_type_label(entity_type)} {name}"
    return f"{record_type_label(entity_type)} #{entity_id}" if entity_id else record_type_label(entity_type)


def record_href(entity_type: str, entity_id: str | None) -> str:
    """The page showing the record, its list's page, or "" when it has none."""
    if entity_type in _RECORD_PAGES and (entity_id or "").isdigit():
        page, parameter = _RECORD_PAGES[entity_type]
        return href(page, **{parameter: entity_id})
    page = _LIST_PAGES.get(entity_type)
    return page.route if page else ""


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "empty"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        text = ", ".join(f"{words(str(key)).lower()} {value_text(item)}" for key, item in value.items())
    elif isinstance(value, list):
        text = "; ".join(value_text(item) for item in value)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _key_label(key: str) -> str:
    return words(key[:-3]) if key.endswith("_id") else words(key)


def _change_text(field: str, change: Any) -> str:
    """A change recorded as {"from", "to"} (services/records.py) or {"old", "new"} (clients)."""
    if isinstance(change, dict) and len(change) == 2 and set(change) in ({"from", "to"}, {"old", "new"}):
        before, after = change.get("from", change.get("old")), change.get("to", change.get("new"))
        return f"{_key_label(field)}: {value_text(before)} → {value_text(after)}"
    return f"{_key_label(field)}: {value_text(change)}"


def detail_lines(details: dict | None) -> list[str]:
    """One line per change ("Name: Cedar → Cedar Print") or fact ("Reason: paid twice")."""
    lines = []
    for key, value in (details or {}).items():
        if key == "changes" and isinstance(value, dict):
            lines += [_change_text(field, change) for field, change in value.items()]
        else:
            lines.append(_change_text(key, value))
    return lines
