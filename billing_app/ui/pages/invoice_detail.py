"""One invoice: header, lines, totals, history, and the actions its status allows."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.form_inputs import FormInputs, fieldset
from billing_app.ui.components.forms import ISO_DATE, field, form_error
from billing_app.ui.components.invoice_documents import invoice_documents
from billing_app.ui.components.invoice_email import invoice_emails
from billing_app.ui.components.reminders import invoice_reminders
from billing_app.ui.components.payment_status import payment_status_badge
from billing_app.ui.components.status import status_badge
from billing_app.ui.components.tables import data_table, text_row
from billing_app.ui.components.totals import document_totals, totals_row
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.invoice_detail import InvoiceDetailState as S
from billing_app.ui.states.invoice_documents import InvoiceDocumentsState
from billing_app.ui.states.invoice_email import InvoiceEmailState
from billing_app.ui.states.invoice_payments import BY_AMOUNT, BY_LINE, NoteLine
from billing_app.ui.states.reminders import InvoiceRemindersState


def _fact(label: str, value) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color_scheme="gray"), rx.text(value, weight="medium"), spacing="0")


def _header() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.hstack(rx.heading(S.header["title"], size="6", as_="h2"),
                          status_badge(S.header["status"], S.header["status_label"]), align="center"),
                rx.hstack(
                    _fact("Client", rx.cond(S.can_read_clients,
                                            rx.link(S.header["client"], href="/clients/" + S.header["client_id"]),
                                            S.header["client"])),
                    _fact("Issued", S.header["issue_date"]),
                    _fact("Due", S.header["due_date"]),
                    _fact("Currency", S.header["currency"]),
                    rx.cond(S.header["creditor_reference"] != "",
                            _fact("Creditor reference (RF)", S.header["creditor_reference"])),
                    spacing="6",
                ),
                spacing="3",
            ),
            rx.spacer(),
            rx.vstack(rx.text("Balance due", size="1", color_scheme="gray"),
                      rx.heading(S.header["balance"], size="6"), align="end", spacing="0",
                      aria_label="Balance due"),
            width="100%",
            align="start",
        ),
        width="100%",
    )


def _cancel_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button("Cancel invoice", variant="soft", color_scheme="red")),
        rx.dialog.content(
            rx.dialog.title("Cancel invoice"),
            rx.dialog.description("An issued invoice is cancelled with a credit note for its full amount."),
            rx.form(
                rx.vstack(
                    form_error(S.cancel_error),
                    field("Reason", rx.text_area(id="cancel-reason", name="reason", required=True, width="100%"),
                          html_for="cancel-reason"),
                    rx.hstack(
                        rx.dialog.close(rx.button("Keep invoice", variant="soft", color_scheme="gray", type="button")),
                        rx.button("Cancel invoice", color_scheme="red", type="submit"),
                        justify="end", width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=S.cancel,
            ),
            max_width="460px",
        ),
        open=S.cancel_open,
        on_open_change=S.set_cancel_open,
    )


def _note_line_row(row: NoteLine) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.description),
        rx.table.cell(row.invoiced, text_align="right"),
        rx.table.cell(row.credited, text_align="right"),
        rx.table.cell(rx.vstack(
            rx.input(value=row.quantity, on_change=lambda value: S.set_note_quantity(row.id, value),
                     aria_label="Quantity to credit, " + row.description, input_mode="decimal",
                     max_length=30, width="100px"),
            rx.cond(row.error != "", rx.text(row.error, size="1", color_scheme="red", role="alert")),
            spacing="1")),
        rx.table.cell(row.net, text_align="right"),
    )


def _note_by_line() -> rx.Component:
    """The invoice's lines with a quantity to credit on each, and the live totals."""
    return rx.vstack(
        data_table(["Description", "Quantity invoiced", "Already credited", "Quantity to credit",
                    "Net"], S.note_lines, _note_line_row, empty_text="This invoice has no lines."),
        rx.cond(
            S.note_totals.contains("total"),
            rx.vstack(
                totals_row("Net", S.note_totals["taxable"]),
                rx.foreach(S.note_taxes, lambda t: totals_row(t["label"], t["amount"])),
                totals_row("Tax total", S.note_totals["tax_total"]),
                rx.divider(),
                totals_row("Total", S.note_totals["total"], strong=True),
                width="100%", max_width="360px", align_self="end", spacing="2",
                aria_label="Credit note totals",
            ),
            rx.text("Type the quantity to credit on the lines that go back.", size="2",
                    color_scheme="gray"),
        ),
        spacing="3",
        width="100%",
    )


def _credit_note_dialog() -> rx.Component:
    inputs = FormInputs("credit-note-", {"amount": "", "reason": "", "issue_date": S.note_today},
                        S.note_field_errors)
    by_line = S.note_mode == BY_LINE
    return form_dialog(
        "Issue credit note",
        rx.vstack(
            rx.text("A credit note lowers what the client owes on this invoice, tax included.",
                    size="2", color_scheme="gray"),
            fieldset("Credit", rx.radio_group([BY_AMOUNT, BY_LINE], value=S.note_mode,
                                              on_change=S.set_note_mode, direction="row")),
            rx.cond(by_line, _note_by_line(),
                    inputs.text("Amount", "amount", input_mode="decimal",
                                hint="Tax included, in the invoice's currency.")),
            inputs.textarea("Reason", "reason"),
            inputs.text("Date", "issue_date", **ISO_DATE),
            spacing="3",
            width="100%",
        ),
        submit_label=rx.cond(by_line, "Create credit note", "Issue credit note"),
        on_submit=S.issue_credit_note, error=S.note_error,
        open=S.note_open, on_open_change=S.set_note_open,
        max_width=rx.cond(by_line, "820px", "460px"),
    )


def _client_credit() -> rx.Component:
    return rx.cond(
        S.can_take_payments & S.payable & (S.available_credit != ""),
        rx.callout.root(
            rx.callout.icon(rx.icon("wallet")),
            rx.hstack(
                rx.callout.text("Client credit available: " + S.available_credit),
                rx.button("Apply client credit", size="1", on_click=S.apply_client_credit),
                align="center", spacing="3", wrap="wrap",
            ),
            color_scheme="green", width="100%",
        ),
    )


def _actions() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.cond(S.can_take_payments & S.payable,
                    link_button("Record payment", S.record_href, icon="banknote")),
            rx.cond(S.can_write & S.creditable,
                    rx.button("Issue credit note", variant="soft", on_click=S.set_note_open(True))),
            rx.cond(S.can_write, rx.fragment(
                rx.cond(S.is_draft, rx.link(rx.button("Edit draft", variant="soft"),
                                            href="/invoices/" + S.shown_id.to_string() + "/edit")),
                rx.cond(S.is_draft, rx.button("Issue invoice", on_click=S.issue)),
                rx.button("Duplicate", variant="soft", on_click=S.duplicate),
                rx.cond(S.is_cancellable, _cancel_dialog()),
            )),
            spacing="3",
            wrap="wrap",
        ),
        _client_credit(),
        rx.cond(
            S.credit_warning != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("shield-alert")),
                rx.callout.text(S.credit_warning),
                rx.cond(S.can_override, rx.button("Issue anyway (override credit limit)", color_scheme="orange",
                                                  on_click=S.issue_over_credit_limit, margin_top="0.5em")),
                color_scheme="orange", role="alert", width="100%",
            ),
        ),
        rx.cond(S.can_write & S.creditable, _credit_note_dialog()),
        width="100%",
    )


def _line(line: dict) -> rx.Component:
    return rx.table.row(
        rx.table.cell(line["description"]),
        rx.table.cell(line["quantity"], text_align="right"),
        rx.table.cell(line["unit_price"], text_align="right"),
        rx.table.cell(line["discount"]),
        rx.table.cell(line["taxes"]),
        rx.table.cell(line["net"], text_align="right"),
    )


def _totals() -> rx.Component:
    return rx.card(
        document_totals(
            S.header, S.taxes,
            rx.cond(S.header["fees"] != "", totals_row("Late fees", S.header["fees"])),
            totals_row("Credited", S.header["credited"]),
            totals_row("Paid", S.header["paid"]),
            totals_row("Balance due", S.header["balance"], strong=True),
            rx.text(S.header["prices"], size="1", color_scheme="gray"),
        ),
        width="100%",
        max_width="420px",
    )


def _payment_row(payment: dict) -> rx.Component:
    counts = payment["status"] == "completed"
    return rx.table.row(
        rx.table.row_header_cell(rx.cond(payment["href"] != "",
                                         rx.link(payment["date"], href=payment["href"]),
                                         payment["date"])),
        rx.table.cell(payment["method"]),
        rx.table.cell(payment["reference"]),
        rx.table.cell(payment["amount"], text_align="right",
                      text_decoration=rx.cond(counts, "none", "line-through")),
        rx.table.cell(payment_status_badge(payment["status"], payment["status_label"])),
    )


def _credit_note_row(note: dict) -> rx.Component:
    return text_row(note, ["number", "date", "reason", "amount"], header="number", right=("amount",))


def _money_sections() -> rx.Component:
    """Payments and credit notes of an issued invoice, for roles that may read payments."""
    return rx.cond(
        S.can_read_payments & ~S.is_draft,
        rx.vstack(
            rx.heading("Payments", size="4", as_="h2"),
            data_table(["Date", "Method", "Reference", "Amount", "Status"], S.payment_rows, _payment_row,
                       empty_text="No payments yet."),
            rx.heading("Credit notes", size="4", as_="h2"),
            data_table(["Number", "Date", "Reason", "Amount"], S.credit_note_rows, _credit_note_row,
                       empty_text="No credit notes yet."),
            spacing="4",
            width="100%",
        ),
    )


def _history_row(entry: dict) -> rx.Component:
    return rx.table.row(rx.table.cell(entry["at"]), rx.table.cell(entry["change"]), rx.table.cell(entry["by"]),
                        rx.table.cell(entry["note"]))


def _detail() -> rx.Component:
    return rx.cond(
        S.loading,
        rx.center(rx.spinner(size="3"), padding="3em", width="100%"),
        rx.cond(
            S.found,
            rx.vstack(
                _header(),
                _actions(),
                invoice_emails(),
                rx.heading("Lines", size="4", as_="h2"),
                data_table(["Description", "Quantity", "Unit price", "Discount", "Taxes", "Net"], S.lines, _line,
                           empty_text="This invoice has no lines yet."),
                rx.flex(
                    rx.vstack(
                        rx.cond(S.header["notes"] != "", rx.box(rx.heading("Notes", size="3", as_="h3"),
                                                                rx.text(S.header["notes"], white_space="pre-wrap"))),
                        rx.cond(S.header["terms"] != "", rx.box(rx.heading("Terms", size="3", as_="h3"),
                                                                rx.text(S.header["terms"], white_space="pre-wrap"))),
                        flex="1",
                    ),
                    _totals(),
                    spacing="4",
                    width="100%",
                ),
                _money_sections(),
                invoice_documents(),
                invoice_reminders(),
                rx.heading("History", size="4", as_="h2"),
                data_table(["When", "Change", "By", "Note"], S.history, _history_row,
                           empty_text="No status changes yet."),
                spacing="4",
                width="100%",
            ),
            rx.callout("That invoice does not exist, or you may not see it.", icon="info", width="100%"),
        ),
    )


@private_page(routes.INVOICE, on_load=[S.load, InvoiceDocumentsState.load_documents,
                                       InvoiceRemindersState.load_reminders,
                                       InvoiceEmailState.load_emails])
def invoice_page() -> rx.Component:
    return _detail()


@private_page(routes.MY_INVOICE, on_load=[S.load, InvoiceDocumentsState.load_documents])
def my_invoice_page() -> rx.Component:
    return _detail()
