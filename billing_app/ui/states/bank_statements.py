"""The imported bank statements, one page at a time, and how many payments wait for review."""

from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.queries.banking import StatementRow, review_queue, statements_page
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.paging import Paging


def review_href(statement_id: int | None = None) -> str:
    """The review queue, of one statement's lines when given."""
    query = f"?{urlencode({'statement': statement_id})}" if statement_id else ""
    return routes.BANK_REVIEW.route + query


def statement_view(row: StatementRow) -> dict[str, str]:
    return {
        "id": str(row.id),
        "imported": row.imported_at.strftime("%Y-%m-%d %H:%M UTC"),
        "imported_by": row.imported_by or "",
        "file": row.file_name,
        "account": row.account_iban or row.statement_ref or "—",
        "lines": str(row.line_count),
        "new": str(row.new_line_count),
        "open": str(row.open_count),
        "matched": str(row.matched_count),
        "review_href": review_href(row.id),
    }


class BankStatementsState(Paging, AuthState):
    rows: list[dict[str, str]] = []
    loading: bool = True
    can_write: bool = False
    waiting: int = 0  # payments received that wait for a decision, in all statements

    def _reload(self):
        def read(db, actor):
            page = statements_page(db, actor=actor, offset=self.offset, limit=self.page_size)
            waiting = review_queue(db, actor=actor, limit=1).total_count
            return [statement_view(row) for row in page.rows], page.total_count, waiting

        result, error = self._run(Action.PAYMENTS_READ, read)
        self.loading = False
        if error:
            return rx.toast.error(error.message)
        self.rows, self.total, self.waiting = result
        return None

    @rx.event
    @in_thread
    def load(self):
        self.can_write = can(self.user_role, Action.PAYMENTS_WRITE)
        self.offset = 0
        self.loading = True
        yield
        yield self._reload()
