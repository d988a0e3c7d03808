import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.filters import filter_field, filter_row
from billing_app.ui.components.forms import ISO_DATE, native_select
from billing_app.ui.components.reports import export_buttons, report_error, report_tabs
from billing_app.ui.components.tables import data_table, text_row
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.report_pages import DsoState, ForecastState, RevenueState, TaxState

DESCRIPTIONS = {
    routes.AGING: "What each client owed on any day, by how long it was overdue.",
    routes.REVENUE: "Invoiced and collected per month; the top clients and products.",
    routes.TAX: "Tax per rate and month or quarter, for the VAT return.",
    routes.DSO: "Days sales outstanding per month, from the daily receivables snapshots.",
    routes.FORECAST: "Cash expected in the next 30, 60 and 90 days, with its track record.",
}


@private_page(routes.REPORTS)
def reports_page() -> rx.Component:
    return rx.grid(
        *[rx.card(rx.link(rx.vstack(rx.heading(spec.title, size="4", as_="h2"),
                                    rx.text(text, size="2", color_scheme="gray")),
                          href=spec.route, underline="none"), width="100%")
          for spec, text in DESCRIPTIONS.items()],
        columns=rx.breakpoints(initial="1", md="2", lg="3"),
        spacing="4",
        width="100%",
    )


def _date(state, label: str, name: str, setter) -> rx.Component:
    control_id = f"{state.__name__.lower()}-{name}"
    return filter_field(label, control_id, rx.input(id=control_id, **ISO_DATE, value=getattr(state, name),
                                                    on_change=lambda v: setter(name, v)), "160px")


def _currency_choice(state) -> rx.Component:
    control_id = f"{state.__name__.lower()}-currency"
    return filter_field("Chart currency", control_id, rx.el.select(
        rx.foreach(state.currencies, lambda c: rx.el.option(c, value=c)),
        id=control_id, value=state.currency, on_change=state.set_currency, class_name="native-select"),
        "140px")


def _header(spec, state, export_name: str, *controls) -> rx.Component:
    return rx.vstack(
        report_tabs(spec),
        filter_row(*controls, rx.spacer(), export_buttons(export_name, state.query)),
        report_error(state.error),
        width="100%",
        spacing="3",
    )


def _chart_box(chart: rx.Component) -> rx.Component:
    return rx.box(chart, width="100%", class_name="report-chart")


def _figures(columns: dict[str, str], rows, empty: str, *, right: tuple[str, ...] = (),
             loading=None) -> rx.Component:
    """A table of text cells: `columns` maps each header to its key; the first names the row,
    `right` keys (money) align right."""
    keys = list(columns.values())
    return data_table(list(columns), rows, lambda r: text_row(r, keys, header=keys[0], right=right),
                      empty_text=empty, loading=loading)


def _titled(title: str, note: str = "") -> rx.Component:
    return rx.vstack(rx.heading(title, size="4", as_="h2"),
                     *([rx.text(note, size="2", color_scheme="gray")] if note else []), spacing="1")


@private_page(routes.REVENUE, on_load=[RevenueState.load])
def revenue_page() -> rx.Component:
    S = RevenueState
    return rx.vstack(
        _header(routes.REVENUE, S, "revenue", _date(S, "From", "start", S.set_period),
                _date(S, "To", "end", S.set_period),
                rx.button("Show report", on_click=S.apply), _currency_choice(S)),
        _chart_box(rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.x_axis(data_key="month"), rx.recharts.y_axis(),
            rx.recharts.legend(), rx.recharts.graphing_tooltip(),
            rx.recharts.bar(data_key="Invoiced", fill="var(--accent-9)"),
            rx.recharts.bar(data_key="Collected", fill="var(--green-9)"),
            data=S.chart, height=300, width="100%")),
        rx.text("Invoiced: invoice totals (with tax) in the month they were issued, less credit "
                "notes in theirs. Collected: payments received, not voided or refunded.",
                size="2", color_scheme="gray"),
        _figures({"Month": "month", "Currency": "currency", "Invoiced": "invoiced",
                  "Credit notes": "credited", "Net invoiced": "net", "Net of tax": "net_of_tax",
                  "Collected": "collected"}, S.months,
                 "Nothing was invoiced or collected in this period.", loading=S.loading,
                 right=("invoiced", "credited", "net", "net_of_tax", "collected")),
        _titled("Top clients"),
        data_table(["Client", "Currency", "Net invoiced"], S.top,
                   lambda r: rx.table.row(rx.table.row_header_cell(rx.link(r["client"], href=r["href"])),
                                          rx.table.cell(r["currency"]),
                                          rx.table.cell(r["amount"], text_align="right")),
                   empty_text="No client was invoiced in this period."),
        _titled("By product", "Line amounts without tax, before invoice-level discounts."),
        _figures({"Product": "product", "Currency": "currency", "Quantity": "quantity",
                  "Amount": "amount"}, S.products, "No lines in this period.",
                 right=("quantity", "amount")),
        spacing="4",
        width="100%",
    )


@private_page(routes.TAX, on_load=[TaxState.load])
def tax_page() -> rx.Component:
    S = TaxState
    return rx.vstack(
        _header(routes.TAX, S, "tax", _date(S, "From", "start", S.set_option),
                _date(S, "To", "end", S.set_option),
                filter_field("Per", "tax-period", native_select(
                    "tax-period", "period", [("month", "Month"), ("quarter", "Quarter")],
                    value=S.period, on_change=lambda v: S.set_option("period", v)), "120px"),
                rx.button("Show report", on_click=S.apply)),
        _titled("Tax per rate", "Taxable base: line amounts without tax, after the invoice's "
                "discount; the tax is the base at the rate, rounded once per period."),
        _figures({"Period": "period", "Currency": "currency", "Rate": "rate", "Taxable base": "base",
                  "Tax": "tax"}, S.lines, "No taxed lines in this period.", loading=S.loading,
                 right=("base", "tax")),
        _titled("Tax per period", "The invoices' own tax (rounded per invoice), less the tax of "
                "credit notes."),
        _figures({"Period": "period", "Currency": "currency", "Tax invoiced": "invoiced",
                  "Tax credited": "credited", "Net tax": "net"}, S.totals,
                 "No invoices in this period.", right=("invoiced", "credited", "net")),
        spacing="4",
        width="100%",
    )


@private_page(routes.DSO, on_load=[DsoState.load])
def dso_page() -> rx.Component:
    S = DsoState
    return rx.vstack(
        _header(routes.DSO, S, "dso",
                filter_field("Months", "dso-months", rx.input(id="dso-months", value=S.months_shown,
                                                              on_change=S.set_months, input_mode="numeric"),
                             "100px"),
                rx.button("Show report", on_click=S.apply), _currency_choice(S)),
        rx.callout(S.formula, icon="sigma", width="100%"),
        _chart_box(rx.recharts.line_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.x_axis(data_key="day"), rx.recharts.y_axis(),
            rx.recharts.graphing_tooltip(),
            rx.recharts.line(data_key="DSO", stroke="var(--accent-9)", type_="monotone"),
            data=S.chart, height=300, width="100%")),
        _figures({"Day": "day", "Currency": "currency", "Outstanding": "outstanding",
                  "Invoiced in 90 days": "invoiced", "DSO": "dso"}, S.points, "No receivables yet.",
                 loading=S.loading, right=("outstanding", "invoiced", "dso")),
        spacing="4",
        width="100%",
    )


@private_page(routes.FORECAST, on_load=[ForecastState.load])
def forecast_page() -> rx.Component:
    S = ForecastState
    return rx.vstack(
        _header(routes.FORECAST, S, "forecast", _currency_choice(S)),
        rx.text("Each open invoice is expected on its due date moved by its client's average "
                "lateness on paid invoices; amounts are cumulative.", size="2", color_scheme="gray"),
        rx.callout(S.backtest, icon="target", width="100%", id="forecast-backtest"),
        _chart_box(rx.recharts.bar_chart(
            rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
            rx.recharts.x_axis(data_key="window"), rx.recharts.y_axis(),
            rx.recharts.graphing_tooltip(),
            rx.recharts.bar(data_key="Expected", fill="var(--green-9)"),
            data=S.chart, height=260, width="100%")),
        _figures({"Currency": "currency", "Expected within": "days", "Amount": "amount",
                  "Invoices": "count"}, S.windows, "No open invoices.", loading=S.loading,
                 right=("amount", "count")),
        spacing="4",
        width="100%",
    )

