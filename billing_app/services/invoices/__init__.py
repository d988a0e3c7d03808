"""Invoice use cases: drafts (made, changed, copied, priced), issue, cancel, overdue."""

from billing_app.services.invoices.drafts import (
    invoice_create_draft,
    invoice_duplicate,
    invoice_preview_totals,
    invoice_update_draft,
)
from billing_app.services.invoices.lifecycle import (
    CreditLimitExceeded,
    invoice_cancel,
    invoice_issue,
    invoice_refresh_balance,
    invoices_mark_overdue,
)

__all__ = [
    "CreditLimitExceeded", "invoice_cancel", "invoice_create_draft", "invoice_duplicate",
    "invoice_issue", "invoice_preview_totals", "invoice_refresh_balance", "invoice_update_draft",
    "invoices_mark_overdue",
]
