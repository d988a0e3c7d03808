import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.cards import stat_card
from billing_app.ui.components.tables import data_table, pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.pages.home import invoice_row_renderer
from billing_app.ui.states.client_portal import MyInvoicesState


@private_page(routes.MY_INVOICES, on_load=[MyInvoicesState.load])
def my_invoices_page() -> rx.Component:
    return rx.vstack(
        rx.grid(
            stat_card("Balance due", rx.cond(MyInvoicesState.balances.length() > 0,
                                             MyInvoicesState.balances.join(" · "), "Nothing due")),
            stat_card("Invoices", MyInvoicesState.total.to_string()),
            columns="2",
            spacing="4",
            width="100%",
            max_width="640px",
        ),
        data_table(
            ["Number", "Issued", "Due", "Status", "Total", "Balance due"],
            MyInvoicesState.rows,
            invoice_row_renderer(show_client=False),
            empty_text="You have no invoices yet.",
            loading=MyInvoicesState.loading,
        ),
        pager(MyInvoicesState.page_label, MyInvoicesState.has_previous, MyInvoicesState.has_next,
              MyInvoicesState.previous_page, MyInvoicesState.next_page),
        spacing="4",
        width="100%",
    )
