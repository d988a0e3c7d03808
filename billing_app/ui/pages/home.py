import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.status import status_badge
from billing_app.ui.components.tables import data_table, text_cell
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.home import HomeState

S = HomeState


def _card(label: str, value, link, detail: str = "") -> rx.Component:
    """A KPI: the whole card is a link to the list or report behind the figure."""
    return rx.link(
        rx.card(rx.vstack(rx.text(label, size="2", color_scheme="gray", weight="medium"),
                          rx.heading(value, size="6"),
                          *([rx.text(detail, size="1", color_scheme="gray")] if detail else []),
                          spacing="1"), width="100%"),
        href=link, underline="none", aria_label=label, width="100%",
    )


def _currency_cards(c: dict) -> rx.Component:
    return rx.grid(
        _card("Outstanding (" + c["currency"] + ")", c["outstanding"], c["outstanding_href"]),
        _card("Overdue (" + c["currency"] + ")", c["overdue"], c["overdue_href"]),
        _card("Collected this month (" + c["currency"] + ")", c["collected"], c["collected_href"]),
        _card("DSO (" + c["currency"] + ")", c["dso"], c["dso_href"], "last 90 days"),
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
        spacing="4",
        width="100%",
        class_name="kpi-cards",
    )


def invoice_row_renderer(show_client: bool):
    """A row renderer for invoice tables, with or without the client column; the number links
    to the invoice when the row has an href."""

    def render(inv: dict) -> rx.Component:
        cells = [rx.table.row_header_cell(rx.link(inv["number"], href=inv["href"]))]
        if show_client:
            cells.append(text_cell(inv["client"], width="18em"))
        cells += [
            rx.table.cell(inv["issue_date"]),
            rx.table.cell(inv["due_date"]),
            rx.table.cell(status_badge(inv["status"], inv["status_label"])),
            rx.table.cell(inv["total"], text_align="right"),
            rx.table.cell(inv["balance"], text_align="right"),
        ]
        return rx.table.row(*cells)

    return render


def _chart_card(title: str, chart: rx.Component, links) -> rx.Component:
    """A chart and, under it, each bar's figure as a link to what it counts."""
    return rx.card(rx.vstack(
        rx.heading(title, size="3", as_="h2"),
        rx.box(chart, width="100%"),
        rx.flex(rx.foreach(links, lambda item: rx.link(
            rx.text(item["label"].to(str), ": ", item["amount"].to(str), size="1"),
            href=item["href"].to(str))),
            gap="0.75em", wrap="wrap"),
        width="100%"), width="100%")


def _charts() -> rx.Component:
    trend = rx.recharts.line_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="month"), rx.recharts.y_axis(), rx.recharts.legend(),
        rx.recharts.graphing_tooltip(),
        rx.recharts.line(data_key="Invoiced", stroke="var(--accent-9)", type_="monotone"),
        rx.recharts.line(data_key="Collected", stroke="var(--green-9)", type_="monotone"),
        data=S.trend, height=240, width="100%")
    aging = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(data_key="bucket"), rx.recharts.y_axis(), rx.recharts.graphing_tooltip(),
        rx.recharts.bar(data_key="Open", fill="var(--orange-9)"),
        data=S.bars, height=240, width="100%")
    debtors = rx.recharts.bar_chart(
        rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
        rx.recharts.x_axis(type_="number"), rx.recharts.y_axis(data_key="client", type_="category", width=120),
        rx.recharts.graphing_tooltip(),
        rx.recharts.bar(data_key="Owed", fill="var(--red-9)"),
        data=S.debtors, layout="vertical", height=240, width="100%")
    return rx.vstack(
        rx.hstack(
            rx.el.label("Charts in", html_for="home-currency", class_name="field-label"),
            rx.el.select(rx.foreach(S.currencies, lambda c: rx.el.option(c, value=c)), id="home-currency",
                         value=S.currency, on_change=S.set_currency, class_name="native-select"),
            align="center", spacing="2"),
        rx.grid(
            rx.card(rx.vstack(rx.heading("Revenue: invoiced and collected", size="3", as_="h2"),
                              rx.box(trend, width="100%"),
                              rx.link("Open the revenue report", href=routes.REVENUE.route, size="1"),
                              width="100%"), width="100%"),
            _chart_card("Aging today", aging, S.bars),
            _chart_card("Top debtors", debtors, S.debtors),
            columns=rx.breakpoints(initial="1", lg="3"),
            spacing="4",
            width="100%",
        ),
        width="100%",
        spacing="3",
    )


def _invoices(title: str, rows, empty: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="4", as_="h2", padding_top="0.5em"),
        data_table(["Number", "Client", "Issued", "Due", "Status", "Total", "Balance due"], rows,
                   invoice_row_renderer(show_client=True), empty_text=empty, loading=S.loading),
        width="100%",
    )


@private_page(routes.HOME, on_load=[HomeState.load])
def home_page() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.loading,
            rx.center(rx.spinner(size="3"), width="100%", padding="2em"),
            rx.cond(
                S.cards.length() > 0,
                rx.vstack(rx.foreach(S.cards, _currency_cards), width="100%", spacing="4"),
                rx.callout("No invoices yet. Figures appear here once invoices are issued.",
                           icon="info", width="100%"),
            ),
        ),
        rx.cond(
            S.bank_waiting > 0,
            rx.callout(
                rx.hstack(
                    rx.text(S.bank_waiting, " payments from bank statements wait for a decision."),
                    rx.link("Review matches", href=routes.BANK_REVIEW.route),
                    spacing="2",
                    wrap="wrap",
                ),
                icon="landmark",
                width="100%",
            ),
        ),
        rx.cond(S.cards.length() > 0, _charts()),
        rx.grid(
            _invoices("Due this week", S.due_week, "Nothing falls due in the next seven days."),
            _invoices("Largest overdue", S.overdue, "Nothing is overdue."),
            columns=rx.breakpoints(initial="1", xl="2"),
            spacing="4",
            width="100%",
        ),
        _invoices("Latest invoices", S.recent, "No invoices have been issued yet."),
        spacing="4",
        width="100%",
    )
