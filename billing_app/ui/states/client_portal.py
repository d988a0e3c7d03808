import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.queries.dashboard import own_balance, own_invoices_page
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.formatting import invoice_view
from billing_app.ui.states.links import href
from billing_app.ui.states.paging import Paging


class MyInvoicesState(Paging, AuthState):
    rows: list[dict[str, str]] = []
    balances: list[str] = []
    loading: bool = True

    def _reload(self):
        def read(db, actor):
            rows, total = own_invoices_page(db, actor=actor, offset=self.offset, limit=self.page_size)
            balances = [format_money(amount, currency) for currency, amount in own_balance(db, actor=actor)]
            return ([{**invoice_view(r), "href": href(routes.MY_INVOICE, invoice_id=r.id)} for r in rows],
                    total, balances)

        result, error = self._run(Action.OWN_INVOICES_READ, read)
        self.loading = False
        if error is None:
            self.rows, self.total, self.balances = result

    @rx.event
    def load(self):
        self.offset = 0
        self._reload()
