"""Bank statements: importing them, matching their lines to invoices, and the decisions."""

from billing_app.services.banking.decisions import (
    AcceptResult,
    Skipped,
    line_ignore,
    line_match_manually,
    proposal_accept,
    proposal_reject,
    proposals_accept_confident,
)
from billing_app.services.banking.importing import ImportResult, statement_import
from billing_app.services.banking.matching import proposals_build
from billing_app.services.banking.reversals import reversal_accept, reversal_dismiss
from billing_app.services.banking.scoring import HIGH

__all__ = [
    "HIGH", "AcceptResult", "ImportResult", "Skipped", "line_ignore", "line_match_manually",
    "proposal_accept", "proposal_reject", "proposals_accept_confident", "proposals_build",
    "reversal_accept", "reversal_dismiss",
    "statement_import",
]
