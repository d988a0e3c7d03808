import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.cards import stat_card
from billing_app.ui.components.status import status_badge
from billing_app.ui.components.tables import data_table
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.home import HomeState


def _currency_cards(f: dict) -> rx.Component:
    return rx.grid(
        stat_card("Outstanding (" + f["currency"] + ")", f["outstanding"], f["open_count"]),
        stat_card("Overdue (" + f["currency"] + ")", f["overdue"], f["overdue_count"]),
        stat_card("Invoiced this month (" + f["currency"] + ")", f["invoiced_month"]),
        stat_card("Received, last 30 days (" + f["currency"] + ")", f["received_30"]),
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
        spacing="4",
        width="100%",
    )


def invoice_row_renderer(show_client: bool):
    """A row renderer for invoice tables, with or without the client column."""

    def render(inv: dict) -> rx.Component:
        cells = [rx.table.row_header_cell(inv["number"])]
        if show_client:
            cells.append(rx.table.cell(inv["client"]))
        cells += [
            rx.table.cell(inv["issue_date"]),
            rx.table.cell(inv["due_date"]),
            rx.table.cell(status_badge(inv["status"], inv["status_label"])),
            rx.table.cell(inv["total"], text_align="right"),
            rx.table.cell(inv["balance"], text_align="right"),
        ]
        return rx.table.row(*cells)

    return render


@private_page(routes.HOME, on_load=[HomeState.load])
def home_page() -> rx.Component:
    return rx.vstack(
        rx.cond(
            HomeState.loading,
            rx.center(rx.spinner(size="3"), width="100%", padding="2em"),
            rx.cond(
                HomeState.figures.length() > 0,
                rx.vstack(rx.foreach(HomeState.figures, _currency_cards), width="100%", spacing="4"),
                rx.callout("No invoices yet. Figures appear here once invoices are issued.",
                           icon="info", width="100%"),
            ),
        ),
        rx.cond(
            HomeState.bank_waiting > 0,
            rx.callout(
                rx.hstack(
                    rx.text(HomeState.bank_waiting, " payments from bank statements wait for a "
                            "decision."),
                    rx.link("Review matches", href=routes.BANK_REVIEW.route),
                    spacing="2",
                    wrap="wrap",
                ),
                icon="landmark",
                width="100%",
            ),
        ),
        rx.heading("Latest invoices", size="4", as_="h2", padding_top="0.5em"),
        data_table(
            ["Number", "Client", "Issued", "Due", "Status", "Total", "Balance due"],
            HomeState.recent,
            invoice_row_renderer(show_client=True),
            empty_text="No invoices have been issued yet.",
            loading=HomeState.loading,
        ),
        spacing="4",
        width="100%",
    )
