"""Review matches: each payment received next to the client and invoices proposed for it, with
the evidence; writers accept, reject, change or set aside, or accept the sure ones at once."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.allocations import allocation_buttons, allocation_summary, allocation_table
from billing_app.ui.components.client_picker import client_picker
from billing_app.ui.components.confirm import confirm_button
from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.filters import filter_field, filter_row, filter_select
from billing_app.ui.components.tables import pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.bank_review import (
    CONFIDENCE_OPTIONS,
    BankReviewState,
    ReviewLine,
)
from billing_app.ui.states.bank_reversals import ReversalLine

S = BankReviewState
MUTED = {"size": "2", "color_scheme": "gray"}


def _statement_filter() -> rx.Component:
    control = rx.el.select(
        rx.el.option("All statements", value=""),
        rx.foreach(S.statements, lambda option: rx.el.option(option["label"], value=option["id"])),
        id="review-statement", value=S.statement_ref, on_change=S.set_statement, class_name="native-select",
    )
    return filter_field("Statement", "review-statement", control, "340px")


def _toolbar() -> rx.Component:
    count = S.high_count.to_string()
    bulk = rx.alert_dialog.root(  # payments are recorded for each: asked once before
        rx.alert_dialog.trigger(rx.button(
            rx.icon("check-check", size=16), "Accept all high-confidence matches (" + count + ")",
            disabled=S.high_count == 0,
        )),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Accept " + count + " matches?"),
            rx.alert_dialog.description(
                "A payment is recorded for each of the " + count + " high-confidence lines shown "
                "by this filter, on the invoices it names. A match that no longer fits is "
                "skipped and stays in the queue."),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Accept " + count + " matches",
                                                 on_click=S.accept_confident)),
                justify="end", spacing="3", padding_top="1em",
            ),
            max_width="460px",
        ),
    )
    return rx.vstack(
        filter_row(
            _statement_filter(),
            filter_select("Confidence", "review-confidence", CONFIDENCE_OPTIONS, S.confidence, S.set_confidence,
                          "200px"),
            rx.spacer(),
            rx.cond(S.can_write, rx.box(bulk, padding_bottom="1px")),
        ),
        rx.cond(
            S.skipped.length() > 0,
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.callout.text(rx.vstack(
                    rx.text("Skipped, still waiting for you:", weight="medium"),
                    rx.el.ul(rx.foreach(S.skipped, lambda reason: rx.el.li(reason)),
                             margin="0", padding_left="1.2em"),
                    spacing="1",
                )),
                color_scheme="amber", width="100%", role="status",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _payment(line: ReviewLine) -> rx.Component:
    return rx.vstack(
        rx.text(line.date, **MUTED),
        rx.heading(line.amount, size="5", as_="p"),
        rx.text(rx.cond(line.payer != "", line.payer, "Payer not named"), weight="medium"),
        rx.cond(line.iban != "", rx.text(line.iban, size="1", font_family="monospace", color_scheme="gray")),
        rx.text(rx.text.span("Reference: ", color=rx.color("gray", 11)),
                rx.cond(line.reference != "", line.reference, "—"), size="2"),
        spacing="1",
        min_width="0",
    )


def _invoice(invoice: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(invoice["number"], href=invoice["href"])),
        rx.table.cell(invoice["amount"], text_align="right"),
        rx.table.cell(invoice["balance"], text_align="right", color=rx.color("gray", 11)),
    )


def _proposal(line: ReviewLine) -> rx.Component:
    invoices = rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell("Invoice"),
            rx.table.column_header_cell("Pays", text_align="right"),
            rx.table.column_header_cell("Open now", text_align="right"),
        )),
        rx.table.body(rx.foreach(line.invoices, _invoice)),
        size="1",
        variant="surface",
        width="100%",
    )
    return rx.vstack(
        rx.hstack(
            rx.text("Proposed: ", rx.link(line.client, href=line.client_href, weight="medium")),
            rx.badge(line.confidence, color_scheme=rx.cond(line.high, "green", "amber"), variant="soft",
                     size="2", aria_label="Confidence"),
            align="center",
            justify="between",
            width="100%",
        ),
        rx.cond(line.invoices.length() > 0, invoices),
        rx.cond(line.credit != "", rx.text(line.credit, " stays as the client's credit.", **MUTED)),
        rx.el.ul(rx.foreach(line.evidence, lambda sentence: rx.el.li(sentence)),
                 margin="0", padding_left="1.2em", font_size="14px", list_style_type="disc",
                 aria_label="Evidence"),
        spacing="2",
        width="100%",
    )


def _unmatched() -> rx.Component:
    return rx.vstack(
        rx.badge("No match", color_scheme="gray", variant="soft", size="2"),
        rx.text("Nothing in this payment points to a client: match it by hand, or set it aside if it is "
                "not a client's payment.", **MUTED),
        spacing="2",
    )


def _buttons(line: ReviewLine, proposed) -> rx.Component:
    return rx.hstack(
        rx.cond(proposed, rx.button(rx.icon("check", size=16), "Accept", on_click=S.accept(line.proposal_id))),
        rx.cond(proposed, rx.button("Reject", variant="soft", color_scheme="gray",
                                    on_click=S.reject(line.proposal_id))),
        rx.button(rx.cond(proposed, "Change…", "Match…"), variant="soft", on_click=S.open_match(line.line_id)),
        confirm_button("Ignore", title="Set this payment aside?",
                       description="It leaves the review queue and no payment is recorded: for money that is "
                                   "not a client's payment, such as a refund or a transfer between accounts.",
                       confirm_label="Set aside", on_confirm=S.ignore(line.line_id)),
        spacing="2",
        justify="end",
        width="100%",
    )


def _line(line: ReviewLine) -> rx.Component:
    return rx.el.article(
        rx.card(
            rx.vstack(
                rx.grid(
                    _payment(line),
                    rx.cond(line.proposal_id != "", _proposal(line), _unmatched()),
                    columns=rx.breakpoints(initial="1", md="minmax(220px, 1fr) 2fr"),
                    spacing="5",
                    width="100%",
                ),
                rx.cond(S.can_write, _buttons(line, line.proposal_id != "")),
                spacing="3",
                width="100%",
            ),
            width="100%",
        ),
        aria_label="Payment of " + line.amount + " on " + line.date,
        width="100%",
    )


def _lines() -> rx.Component:
    empty = rx.center(
        rx.vstack(rx.icon("inbox", size=28, color=rx.color("gray", 9)),
                  rx.text("No payments wait for review here.", color_scheme="gray"), align="center"),
        padding="2em", width="100%", class_name="empty-state",
    )
    listing = rx.cond(S.lines.length() > 0, rx.vstack(rx.foreach(S.lines, _line), spacing="3", width="100%"), empty)
    return rx.cond(S.loading, rx.center(rx.spinner(size="3"), padding="2em", width="100%"), listing)


def _reversal(line: ReversalLine) -> rx.Component:
    buttons = rx.hstack(
        rx.button(line.action, on_click=S.accept_reversal(line.proposal_id)),
        rx.cond(line.can_dismiss, rx.button("Not this: set aside", variant="soft", color_scheme="gray",
                                            on_click=S.dismiss_reversal(line.proposal_id))),
        spacing="2", justify="end", width="100%",
    )
    return rx.el.article(
        rx.card(rx.vstack(
            rx.hstack(rx.text(line.date, **MUTED), rx.heading(line.amount, size="4", as_="p"),
                      rx.text(line.party, weight="medium"), spacing="3", align="center", wrap="wrap"),
            rx.text(line.explanation),
            rx.cond(line.payment_href != "", rx.link("Open the payment", href=line.payment_href, size="2")),
            rx.cond(S.can_write, buttons),
            spacing="2", width="100%",
        ), width="100%"),
        aria_label="Bank line of " + line.amount + " on " + line.date,
        width="100%",
    )


def _reversals() -> rx.Component:
    """Reversed and returned lines: never money received; each says what it undoes."""
    return rx.cond(S.reversals.length() > 0, rx.vstack(
        rx.heading("Reversals and returns", size="4", as_="h2"),
        rx.text("The bank took back a payment, or money we paid came back. Nothing changes until you "
                "decide.", **MUTED),
        rx.foreach(S.reversals, _reversal),
        spacing="3", width="100%",
    ))


def _match_dialog() -> rx.Component:
    line = S.match_line
    body = rx.vstack(
        rx.text(rx.text.strong(line["amount"]), " received on ", line["date"],
                rx.cond(line["payer"] != "", rx.text.span(" from ", line["payer"])), size="2"),
        rx.cond(line["reference"] != "", rx.text("Reference: ", line["reference"], **MUTED)),
        client_picker("match-client", S.match_client_text, S.match_client_options, S.set_match_client, ""),
        rx.cond(
            S.allocation_rows.length() > 0,
            rx.vstack(allocation_table(S), allocation_buttons(S), spacing="2", width="100%"),
            rx.text(rx.cond(S.match_client_text != "", "This client has no open invoices in this currency; "
                            "the whole payment becomes its credit.", "Choose the client who paid."), **MUTED),
        ),
        allocation_summary(S),
        spacing="3",
        width="100%",
    )
    return form_dialog("Match this payment", body, submit_label="Record payment", on_submit=S.save_match,
                       error=S.match_error, open=S.match_open, on_open_change=S.set_match_open, max_width="640px")


@private_page(routes.BANK_REVIEW, on_load=[S.load])
def bank_review_page() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        _reversals(),
        _lines(),
        pager(S.page_label, S.has_previous, S.has_next, S.previous_page, S.next_page),
        _match_dialog(),
        spacing="4",
        width="100%",
    )
