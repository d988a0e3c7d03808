"""Turn query rows into the strings the browser shows (Decimal never reaches the browser)."""

from billing_app.domain.money import format_money
from billing_app.queries.dashboard import InvoiceRow

STATUS_LABELS = {
    "draft": "Draft",
    "issued": "Issued",
    "sent": "Sent",
    "partially_paid": "Partially paid",
    "paid": "Paid",
    "overdue": "Overdue",
    "cancelled": "Cancelled",
}


def invoice_view(row: InvoiceRow) -> dict[str, str]:
    return {
        "id": str(row.id),
        "number": row.number or "(draft)",
        "client": row.client_name,
        "issue_date": row.issue_date.isoformat(),
        "due_date": row.due_date.isoformat(),
        "status": str(row.status),
        "status_label": STATUS_LABELS.get(str(row.status), str(row.status)),
        "total": format_money(row.total, row.currency),
        "balance": format_money(row.balance_due, row.currency),
    }


def rate_label(name: str, rate) -> str:
    """"Standard 19%" stays as it is; "VAT" becomes "VAT (19%)"."""
    percent = f"{rate.normalize():f}%"
    return name if percent in name else f"{name} ({percent})"


def tax_line_view(tax, currency: str) -> dict[str, str]:
    """One line of a totals box: "Tax 19% on €1,211.25" and its amount."""
    return {"label": f"Tax {tax.rate.normalize():f}% on {format_money(tax.base, currency)}",
            "amount": format_money(tax.amount, currency)}
