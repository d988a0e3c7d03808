from datetime import date

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.domain.money import format_money
from billing_app.queries.banking import review_queue
from billing_app.queries.dashboard import receivables_overview, recent_invoices
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.formatting import invoice_view


class HomeState(AuthState):
    figures: list[dict[str, str]] = []
    recent: list[dict[str, str]] = []
    loading: bool = True
    bank_waiting: int = 0  # payments received from bank statements that wait for a decision

    @rx.event
    def load(self):
        reads_payments = can(self.user_role, Action.PAYMENTS_READ)

        def read(db, actor):
            figures = [
                {
                    "currency": f.currency,
                    "outstanding": format_money(f.outstanding, f.currency),
                    "open_count": f"{f.open_count:,} open invoices",
                    "overdue": format_money(f.overdue, f.currency),
                    "overdue_count": f"{f.overdue_count:,} invoices past due",
                    "invoiced_month": format_money(f.invoiced_this_month, f.currency),
                    "received_30": format_money(f.received_last_30_days, f.currency),
                }
                for f in receivables_overview(db, actor=actor, today=date.today())
            ]
            waiting = review_queue(db, actor=actor, limit=1).total_count if reads_payments else 0
            return figures, [invoice_view(r) for r in recent_invoices(db, actor=actor)], waiting

        result, error = self._run(Action.DASHBOARD_VIEW, read)
        self.loading = False
        if error is None:
            self.figures, self.recent, self.bank_waiting = result
