import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.buttons import link_button
from billing_app.ui.components.cards import stat_card
from billing_app.ui.components.client_fields import address_fields, client_fields, contact_fields
from billing_app.ui.components.confirm import confirm_button
from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.downloads import download_link
from billing_app.ui.components.filters import filter_field
from billing_app.ui.components.form_inputs import FormInputs
from billing_app.ui.components.forms import ISO_DATE, field, form_error, required_note
from billing_app.ui.components.payment_status import payment_status_badge
from billing_app.ui.components.reminders import client_reminders
from billing_app.ui.components.reports import export_buttons
from billing_app.ui.components.status import status_badge
from billing_app.ui.components.tables import clipped, data_table, pager, text_cell, text_row
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.client_detail import ClientDetailState
from billing_app.ui.states.reminders import ClientRemindersState

State = ClientDetailState


def _writer(component: rx.Component) -> rx.Component:
    return rx.cond(State.can_write, component)


def _section(title: str, *children, action=None) -> rx.Component:
    heading = rx.hstack(rx.heading(title, size="4", as_="h2"), rx.spacer(), action or rx.fragment(),
                        width="100%", align="center")
    return rx.card(rx.vstack(heading, *children, spacing="3", width="100%"), width="100%")


def _header() -> rx.Component:
    return rx.hstack(
        rx.heading(State.client["name"], size="6", as_="h2"),
        rx.badge(State.client["kind_label"], variant="soft"),
        rx.cond(State.archived, rx.badge("Archived", color_scheme="gray", variant="solid")),
        rx.spacer(),
        rx.cond(State.can_take_payments,
                link_button("Record payment", State.record_href, icon="banknote", variant="soft")),
        rx.cond(State.can_invoice & ~State.archived,
                link_button("New invoice", State.client["new_invoice_href"], icon="file-plus")),
        rx.cond(State.can_privacy, rx.fragment(
            download_link("Export client data (GDPR)", State.personal_data_href, icon="file-archive"),
            rx.button("Anonymise client", color_scheme="red", variant="soft",
                      on_click=State.set_anonymise_open(True)),
        )),
        _writer(rx.cond(
            State.archived,
            rx.button("Restore client", variant="soft", on_click=State.restore_client),
            confirm_button(
                "Archive client", title="Archive this client?",
                description="Archived clients are hidden from the client list and cannot get new "
                            "invoices. Their invoices and payments stay.",
                confirm_label="Archive client", on_confirm=State.archive_client,
            ),
        )),
        width="100%",
        align="center",
        wrap="wrap",
    )


def _figures() -> rx.Component:
    f = State.figures
    return rx.grid(
        stat_card("Total invoiced", f["total_invoiced"]),
        stat_card("Paid", f["paid"]),
        stat_card("Outstanding", f["outstanding"]),
        stat_card("Overdue", f["overdue"]),
        stat_card("Credit limit left", f["credit_limit_left"]),
        rx.cond(State.can_read_payments,
                stat_card("Client credit", State.client_credit_label, "Paid and not yet on an invoice")),
        stat_card("Average days to pay", f["average_days"], f["average_days_detail"]),
        columns=rx.breakpoints(initial="2", md="4", xl="7"),
        spacing="4",
        width="100%",
    )


def _details() -> rx.Component:
    c = State.client
    items = [("Kind", c["kind_label"]), ("Email", c["email"]), ("Phone", c["phone"]),
             ("Tax ID", c["tax_id"]), ("Currency", c["currency"]), ("Payment terms", c["terms_label"]),
             ("Credit limit", c["credit_limit_label"]), ("Notes", c["notes"])]
    view = rx.data_list.root(
        *[rx.data_list.item(rx.data_list.label(label), rx.data_list.value(rx.cond(value != "", value, "—")))
          for label, value in items],
        orientation=rx.breakpoints(initial="vertical", md="horizontal"),
    )
    form = rx.form(
        rx.vstack(
            required_note(),
            client_fields("client-", c, State.details_field_errors),
            form_error(State.details_error),
            rx.hstack(
                rx.button("Cancel", type="button", variant="soft", color_scheme="gray",
                          on_click=State.set_editing(False)),
                rx.button("Save changes", type="submit"),
                justify="end", width="100%",
            ),
            spacing="3", width="100%",
        ),
        on_submit=State.save_details,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
    )
    edit = _writer(rx.cond(~State.editing, rx.button("Edit details", variant="soft",
                                                     on_click=State.set_editing(True))))
    return _section("Details", rx.cond(State.editing, form, view), action=edit)


def _contact_row(contact: dict) -> rx.Component:
    actions = rx.hstack(
        rx.button("Edit", size="1", variant="soft", on_click=State.open_edit_contact(contact["id"])),
        rx.cond(contact["primary"] == "",
                rx.button("Make primary", size="1", variant="soft",
                          on_click=State.make_primary(contact["id"]))),
        confirm_button("Remove", title="Remove this contact?",
                       description=contact["name"] + " will no longer be a contact of this client.",
                       confirm_label="Remove contact", on_confirm=State.remove_contact(contact["id"]),
                       size="1"),
    )
    return rx.table.row(
        rx.table.row_header_cell(rx.hstack(
            clipped(contact["name"], width="16em"),
            rx.cond(contact["primary"] != "", rx.badge("Primary", color_scheme="green")),
            align="center",
            white_space="nowrap",
        )),
        text_cell(contact["job_title"], width="12em"),
        text_cell(contact["email"], width="18em"),
        rx.table.cell(contact["phone"], white_space="nowrap"),
        rx.cond(State.can_write, rx.table.cell(actions)),
    )


def _contacts() -> rx.Component:
    headers = ["Name", "Job title", "Email", "Phone"]
    table = rx.cond(
        State.can_write,
        data_table([*headers, "Actions"], State.contacts, _contact_row, empty_text="No contacts yet."),
        data_table(headers, State.contacts, _contact_row, empty_text="No contacts yet."),
    )
    add = _writer(rx.button(rx.icon("plus", size=16), "Add contact", variant="soft",
                            on_click=State.open_new_contact))
    return _section("Contacts", table, action=add)


def _address_card(title: str, kind: str, address) -> rx.Component:
    exists = address["lines"]
    noun = f"{kind} address"
    buttons = _writer(rx.hstack(
        rx.button(rx.cond(exists, f"Edit {noun}", f"Add {noun}"), size="1", variant="soft",
                  on_click=State.open_address(kind)),
        rx.cond(exists, confirm_button(f"Remove {noun}", title=f"Remove the {noun}?",
                                       description="Invoices already issued keep their copy.",
                                       confirm_label=f"Remove {noun}",
                                       on_confirm=State.remove_address(kind), size="1")),
    ))
    return rx.card(
        rx.vstack(
            rx.heading(title, size="3", as_="h3"),
            rx.cond(exists, rx.text(address["lines"], white_space="pre-line"),
                    rx.text(f"No {noun}.", color_scheme="gray")),
            buttons,
            spacing="2",
        ),
        width="100%",
        aria_label=title,
    )


def _addresses() -> rx.Component:
    return _section("Addresses", rx.grid(
        _address_card("Billing address", "billing", State.billing),
        _address_card("Shipping address", "shipping", State.shipping),
        columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%",
    ))


def _invoice_row(inv: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(inv["number"], href=inv["href"])),
        rx.table.cell(inv["issue_date"]),
        rx.table.cell(inv["due_date"]),
        rx.table.cell(status_badge(inv["status"], inv["status_label"])),
        rx.table.cell(inv["total"], text_align="right"),
        rx.table.cell(inv["balance"], text_align="right"),
    )


def _invoices() -> rx.Component:
    return _section(
        "Invoice history",
        data_table(["Number", "Issued", "Due", "Status", "Total", "Balance due"], State.invoices,
                   _invoice_row, empty_text="This client has no invoices yet."),
        pager(State.page_label, State.has_previous, State.has_next, State.previous_page, State.next_page),
    )


def _payment_row(payment: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.link(payment["date"], href=payment["href"])),
        rx.table.cell(payment["label"]),
        rx.table.cell(payment["method"]),
        rx.table.cell(payment["amount"], text_align="right"),
        rx.table.cell(payment["unallocated"], text_align="right"),
        rx.table.cell(payment_status_badge(payment["status"], payment["status_label"])),
    )


def _credit_refund_dialog() -> rx.Component:
    errors = State.credit_refund_errors
    body = rx.vstack(
        rx.text("Give the client back money it paid that is on no invoice (its credit), the oldest "
                "payments' credit first. Invoices are not changed.", size="2"),
        rx.cond(State.credit_currencies.length() > 1, field("Currency", rx.el.select(
            rx.foreach(State.credit_currencies, lambda code: rx.el.option(code, value=code)),
            id="credit-refund-currency", name="currency", class_name="native-select",
        ), html_for="credit-refund-currency", error=errors.get("currency", ""))),
        field("Amount to refund", rx.input(id="credit-refund-amount", name="amount", input_mode="decimal",
                                           default_value=State.credit_refund_default, width="100%"),
              html_for="credit-refund-amount", error=errors.get("amount", "")),
        rx.text("The client's credit: ", State.client_credit_label, ".", size="1", color_scheme="gray"),
        field("Reason", rx.text_area(id="credit-refund-reason", name="reason", rows="2", width="100%"),
              html_for="credit-refund-reason", error=errors.get("reason", "")),
        form_error(errors.get("form", "")),
        spacing="3", width="100%",
    )
    return form_dialog("Refund credit", body, submit_label="Refund", on_submit=State.refund_credit,
                       error="", open=State.credit_refund_open,
                       on_open_change=State.set_credit_refund_open, max_width="480px")


def _payments() -> rx.Component:
    more = rx.cond(State.payments_count > State.latest_payments.length(),
                   rx.text("The latest ", State.latest_payments.length(), " of ", State.payments_count, ".",
                           size="2", color_scheme="gray"))
    refund = rx.cond(State.can_take_payments & (State.credit_currencies.length() > 0),
                     rx.button("Refund credit", variant="soft", color_scheme="amber",
                               on_click=State.set_credit_refund_open(True)))
    return _section(
        "Payments",
        _credit_refund_dialog(),
        data_table(["Date", "Reference", "Method", "Amount", "Client credit", "Status"], State.latest_payments,
                   _payment_row, empty_text="No payments from this client yet."),
        more,
        action=refund,
    )


def _statement_row(entry: dict) -> rx.Component:
    return text_row(entry, ["date", "document", "kind", "debit", "credit", "balance"], header="document",
                    right=("debit", "credit", "balance"))


def _statement_date(label: str, name: str) -> rx.Component:
    control_id = name.replace("_", "-")
    control = rx.input(id=control_id, **ISO_DATE, value=getattr(State, name),
                       on_change=lambda value: State.set_statement_date(name, value))
    return filter_field(label, control_id, control, "160px", error=State.statement_errors.get(name, ""))


def _statement() -> rx.Component:
    currency = rx.cond(State.statement_currencies.length() > 1, filter_field(
        "Currency", "statement-currency",
        rx.el.select(rx.foreach(State.statement_currencies, lambda code: rx.el.option(code, value=code)),
                     id="statement-currency", class_name="native-select", value=State.statement_currency,
                     on_change=State.set_statement_currency),
        "110px"))

    def balance(label: str, key: str) -> rx.Component:
        return rx.hstack(rx.text(label, size="2"), rx.spacer(),
                         rx.text(State.statement_summary[key], size="2", weight="bold"),
                         width="100%", aria_label=label)

    return _section(
        "Account statement",
        rx.flex(_statement_date("From", "statement_from"), _statement_date("To", "statement_to"), currency,
                gap="1em", align="end", wrap="wrap"),
        balance("Opening balance", "opening"),
        data_table(["Date", "Document", "Kind", "Debit", "Credit", "Balance"], State.statement_rows,
                   _statement_row, empty_text="Nothing in these dates."),
        balance("Closing balance", "closing"),
        rx.hstack(download_link("Download statement PDF", State.statement_pdf_href),
                  export_buttons("statement", State.statement_export_query), spacing="2", wrap="wrap"),
        rx.text("A positive balance is what the client owes; a negative one is credit the client has.",
                size="1", color_scheme="gray"),
    )


def _account() -> rx.Component:
    return rx.cond(State.can_read_payments, rx.fragment(_payments(), _statement()))


def _dialogs() -> rx.Component:
    return rx.fragment(
        form_dialog(
            rx.cond(State.contact_editing, "Edit contact", "Add contact"),
            rx.vstack(required_note(), contact_fields("contact-", State.contact_values, State.contact_field_errors),
                      width="100%"),
            submit_label="Save contact", on_submit=State.save_contact, error=State.contact_error,
            open=State.contact_open, on_open_change=State.set_contact_open,
        ),
        form_dialog(
            rx.cond(State.address_kind == "billing", "Billing address", "Shipping address"),
            rx.vstack(required_note(), address_fields("address-", State.address_values, State.address_field_errors),
                      width="100%"),
            submit_label="Save address", on_submit=State.save_address, error=State.address_error,
            open=State.address_kind != "", on_open_change=State.set_address_open,
        ),
    )


def _anonymise_dialog() -> rx.Component:
    errors = State.anonymise_errors
    inputs = FormInputs("confirm-", None, errors, error_prefix="confirm_")
    return form_dialog(
        "Anonymise this client?",
        rx.vstack(
            rx.text("Names, contacts, addresses, emails, phone numbers, tax ID and notes are "
                    "replaced for good, and the client's sign-ins are closed. Invoices, payments "
                    "and balances stay as they are. This cannot be undone."),
            rx.text("The client's name: ", rx.text.strong(State.client["name"])),
            inputs.text("Type the client's name to confirm", "name", auto_complete="off"),
            spacing="3", width="100%",
        ),
        submit_label="Anonymise client", on_submit=State.anonymise_client, destructive=True,
        error=errors.get("form", ""), open=State.anonymise_open,
        on_open_change=State.set_anonymise_open,
    )


def _not_found() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text("Client not found", weight="bold"),
            rx.text("There is no client at this address. It may have been mistyped."),
            rx.link("Back to the client list", href=routes.CLIENTS.route),
        ),
        icon="search-x",
        color_scheme="gray",
        width="100%",
        max_width="560px",
    )


@private_page(routes.CLIENT, on_load=[ClientDetailState.load, ClientRemindersState.load_client_reminders])
def client_detail_page() -> rx.Component:
    content = rx.vstack(_header(), _figures(), _details(), _contacts(), _addresses(), _invoices(), _account(),
                        client_reminders(), _dialogs(), rx.cond(State.can_privacy, _anonymise_dialog()),
                        spacing="4", width="100%")
    return rx.cond(
        State.loading,
        rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
        rx.cond(State.not_found, _not_found(), content),
    )
