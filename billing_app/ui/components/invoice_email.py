"""The invoice page's email part: "Send invoice" and "Mark as sent", and the emails sent for
this invoice. Filled by InvoiceEmailState.load_emails, which the invoice page runs on load."""

import reflex as rx

from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.form_inputs import fieldset
from billing_app.ui.components.forms import field
from billing_app.ui.components.tables import data_table
from billing_app.ui.states.invoice_detail import InvoiceDetailState as Invoice
from billing_app.ui.states.invoice_email import InvoiceEmailState as S

EMAIL_STATUS_COLORS = {"queued": "gray", "sending": "blue", "sent": "green", "failed": "red"}


def email_status_badge(status, label) -> rx.Component:
    return rx.match(status, *[(key, rx.badge(label, color_scheme=color, variant="soft"))
                              for key, color in EMAIL_STATUS_COLORS.items()],
                    rx.badge(label, variant="soft"))


def _recipient(recipient: dict, index) -> rx.Component:
    control_id = "recipient-" + index.to_string()
    return rx.hstack(
        rx.el.input(type="checkbox", id=control_id, name=control_id,
                    default_checked=recipient["primary"] == "yes"),
        rx.el.label(recipient["label"] + " <" + recipient["address"] + ">", html_for=control_id,
                    font_size="14px"),
        align="center", spacing="2",
    )


def _error(name: str):
    return S.send_field_errors.get(name, "")


def _send_dialog() -> rx.Component:
    return form_dialog(
        "Send invoice",
        rx.vstack(
            rx.text("The invoice PDF is attached; the exact file is kept. A draft is issued first.",
                    size="2", color_scheme="gray"),
            fieldset("Recipients",
                     rx.vstack(rx.foreach(S.recipients, _recipient), spacing="2"),
                     rx.cond(_error("recipients") != "",
                             rx.text(_error("recipients"), size="1", color_scheme="red",
                                     role="alert"))),
            field("Other addresses", rx.input(id="send-extra", name="send-extra", width="100%",
                                              placeholder="name@example.com, other@example.com"),
                  html_for="send-extra", hint="Separated by commas."),
            field("Subject", rx.input(id="send-subject", name="send-subject", width="100%",
                                      default_value=S.subject),
                  html_for="send-subject", error=_error("subject")),
            field("Message", rx.text_area(id="send-message", name="send-message", width="100%",
                                          rows="10", default_value=S.message),
                  html_for="send-message", error=_error("message")),
            spacing="3", width="100%",
        ),
        submit_label="Send invoice", on_submit=S.send, error=S.send_error, open=S.send_open,
        on_open_change=S.set_send_open, max_width="620px",
    )


def _email_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["at"]),
        rx.table.cell(row["to"]),
        rx.table.cell(row["subject"]),
        rx.table.cell(email_status_badge(row["status"], row["status_label"])),
        rx.table.cell(row["attempts"], text_align="right"),
        rx.table.cell(row["error"]),
    )


def invoice_emails() -> rx.Component:
    """The actions and the emails of this invoice, for staff who may read emails."""
    return rx.cond(
        S.can_read_emails,
        rx.vstack(
            rx.hstack(
                rx.cond(S.can_send & (Invoice.header["status"] != "cancelled"),
                        rx.button(rx.icon("mail", size=16), "Send invoice", on_click=S.open_send)),
                rx.cond(S.can_mark & (Invoice.header["status"] == "issued"),  # not delivered
                        rx.button("Mark as sent", variant="soft", on_click=S.mark_sent)),
                spacing="3", wrap="wrap",
            ),
            rx.cond(S.can_send, _send_dialog()),
            rx.hstack(
                rx.heading("Emails", size="4", as_="h2"),
                rx.button("Refresh", size="1", variant="ghost", on_click=S.refresh_emails),
                align="center", spacing="3",
            ),
            data_table(["When", "To", "Subject", "Status", "Attempts", "Error"], S.email_rows,
                       _email_row, empty_text="No email was sent for this invoice yet."),
            spacing="3", width="100%",
        ),
    )
