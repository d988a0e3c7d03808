"""The email log: what was sent to whom, its state, and what it said."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.downloads import download_anchor
from billing_app.ui.components.forms import field, native_select
from billing_app.ui.components.invoice_email import email_status_badge
from billing_app.ui.components.tables import data_table, pager
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.emails import STATUS_OPTIONS
from billing_app.ui.states.emails import EmailLogState as S


def _linked(row: dict) -> rx.Component:
    return rx.cond(row["invoice_href"] != "",
                   rx.link(rx.cond(row["invoice"] != "", row["invoice"], "Draft invoice"),
                           href=row["invoice_href"]),
                   rx.cond(row["payment_href"] != "", rx.link("Payment", href=row["payment_href"]),
                           rx.text("—")))


def _row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["at"]),
        rx.table.cell(row["to"]),
        rx.table.cell(row["subject"]),
        rx.table.cell(row["kind"]),
        rx.table.cell(_linked(row)),
        rx.table.cell(email_status_badge(row["status"], row["status_label"])),
        rx.table.cell(row["attempts"], text_align="right"),
        rx.table.cell(rx.text(row["error"], size="1", color_scheme="red")),
        rx.table.cell(rx.hstack(
            rx.button("View", size="1", variant="soft", on_click=S.view(row["id"]),
                      aria_label="View email " + row["id"]),
            rx.cond(S.can_retry & (row["status"] == "failed"),
                    rx.button("Retry", size="1", on_click=S.retry(row["id"]),
                              aria_label="Retry email " + row["id"])),
            spacing="2",
        )),
    )


def _view_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(S.shown["subject"]),
            rx.dialog.description("To " + S.shown["to"] + " · " + S.shown["status_label"]
                                  + " · " + S.shown["at"]),
            rx.vstack(
                rx.heading("Text", size="3", as_="h3"),
                rx.box(rx.text(S.shown["body_text"], white_space="pre-wrap", size="2"),
                       padding="0.75em", border="1px solid var(--gray-6)", width="100%"),
                rx.cond(S.shown["body_html"] != "", rx.fragment(
                    rx.heading("HTML", size="3", as_="h3"),
                    # sandboxed: the email's HTML is shown as it is, but runs nothing
                    rx.el.iframe(src_doc=S.shown["body_html"], sandbox="", title="HTML body",
                                 width="100%", height="260px", border="1px solid var(--gray-6)"),
                )),
                rx.cond(S.shown_attachments.length() > 0, rx.fragment(
                    rx.heading("Attachments", size="3", as_="h3"),
                    rx.foreach(S.shown_attachments,
                               lambda a: download_anchor(a["filename"], href=a["href"])),
                )),
                rx.hstack(rx.dialog.close(rx.button("Close", variant="soft")), justify="end",
                          width="100%"),
                spacing="3", width="100%",
            ),
            max_width="760px",
        ),
        open=S.view_open,
        on_open_change=S.set_view_open,
    )


@private_page(routes.EMAILS, on_load=[S.load])
def emails_page() -> rx.Component:
    return rx.vstack(
        rx.box(field("Status", native_select("email-status", "email-status", STATUS_OPTIONS,
                                             value=S.status, on_change=S.set_status),
                     html_for="email-status"), max_width="240px"),
        data_table(["When", "To", "Subject", "Kind", "For", "Status", "Attempts", "Error", "Actions"],
                   S.rows, _row, empty_text="No email has been written yet.", loading=S.loading),
        pager(S.page_label, S.has_previous, S.has_next, S.previous_page, S.next_page),
        _view_dialog(),
        spacing="4",
        width="100%",
    )
