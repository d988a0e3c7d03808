"""Company settings: company details, invoicing defaults, tax rates and the logo, one tab each."""

from typing import Any

import reflex as rx
from reflex.vars import ArrayVar, ObjectVar

from billing_app.models.company import TaxRounding
from billing_app.models.inputs import country_names, currency_names
from billing_app.services.company import CompanyUpdate
from billing_app.services.logo import MAX_BYTES
from billing_app.services.tax_rates import TaxRateIn
from billing_app.ui import routes
from billing_app.ui.components.dialogs import form_dialog
from billing_app.ui.components.document_settings import document_settings_tab
from billing_app.ui.components.email_templates import email_templates_tab
from billing_app.ui.components.reminder_settings import reminder_settings_tab
from billing_app.ui.components.file_drop import file_drop
from billing_app.ui.components.form_inputs import FormInputs, check_field, field_grid
from billing_app.ui.components.tables import data_table
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.settings import (
    COMPANY_PREFIX,
    INVOICING_PREFIX,
    LOGO_UPLOAD_ID,
    RATE_PREFIX,
    SECURITY_PREFIX,
    CompanySettingsState,
    TaxRatesState,
)

S = CompanySettingsState
CURRENCY_OPTIONS = list(currency_names())
COUNTRY_OPTIONS = [("", "—"), *country_names()]
ROUNDING_OPTIONS = [(TaxRounding.DOCUMENT.value, "Per document and rate (EN 16931)"),
                    (TaxRounding.LINE.value, "Per line")]
LOGO_TYPES = {"image/png": [".png"], "image/jpeg": [".jpg", ".jpeg"], "image/webp": [".webp"]}
PLACEHOLDERS = [("{YYYY}", "year of issue, 2026"), ("{YY}", "short year, 26"), ("{MM}", "month, 03"),
                ("{SEQ:05}", "running number padded to 5 digits, 00001; {SEQ} has no padding")]


def _section(title: str, description: str, *children) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(title, size="4", as_="h2"),
            rx.text(description, size="2", color_scheme="gray"),
            *children,
            spacing="4",
            width="100%",
        ),
        width="100%",
        max_width="820px",
    )


def _form(on_submit, submit_label: str, *fields) -> rx.Component:
    return rx.form(
        rx.vstack(
            field_grid(*fields),
            rx.hstack(rx.button(submit_label, type="submit"), justify="end", width="100%"),
            spacing="4",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=False,
        no_validate=True,  # the server's messages, next to each field, rather than browser bubbles
        width="100%",
    )


def _company_tab() -> rx.Component:
    inputs = FormInputs(COMPANY_PREFIX, S.company, S.errors, shape=CompanyUpdate)
    return _section(
        "Company",
        "Who issues the invoices: printed at the top of every invoice.",
        _form(
            S.save_company,
            "Save company details",
            inputs.text("Company name", "name"),
            inputs.text("Tax id", "tax_id", hint="VAT or tax number, e.g. DE123456789."),
            inputs.text("Address line 1", "address_line1"),
            inputs.text("Address line 2", "address_line2"),
            inputs.text("Postal code", "postal_code"),
            inputs.text("City", "city"),
            inputs.select("Country", "country", COUNTRY_OPTIONS),
            inputs.text("Email", "email", type="email"),
            inputs.text("Phone", "phone", type="tel"),
            inputs.text("Website", "website"),
        ),
    )


def _pattern(inputs: FormInputs, label: str, name: str, kind: str) -> rx.Component:
    """The pattern's input with the number it would give today, updated while typing."""
    return rx.vstack(
        inputs.text(label, name, on_change=lambda value: S.preview_pattern(name, value).debounce(200)),
        rx.cond(S.previews[name] != "",
                rx.text(f"Next {kind} number will look like ", rx.code(S.previews[name]), size="2")),
        spacing="1",
        width="100%",
    )


def _placeholders() -> rx.Component:
    return rx.box(
        rx.text("Number patterns may use these placeholders:", size="2", weight="medium"),
        rx.el.ul(*[rx.el.li(rx.code(token), " – ", meaning) for token, meaning in PLACEHOLDERS],
                 style={"margin": "0.3em 0", "padding_left": "1.2em", "font_size": "14px"}),
        rx.text("The running number starts again every year when the pattern has a year, and every "
                "month when it has {MM} too.", size="1", color_scheme="gray"),
        padding="0.8em 1em",
        border_radius="8px",
        background=rx.color("accent", 2),
        border=f"1px solid {rx.color('accent', 5)}",
        grid_column="1 / -1",
    )


def _invoicing_tab() -> rx.Component:
    inputs = FormInputs(INVOICING_PREFIX, S.company, S.errors, shape=CompanyUpdate)
    return _section(
        "Invoicing",
        "The defaults every new invoice starts from; an issued invoice keeps what it was issued with.",
        _form(
            S.save_invoicing,
            "Save invoicing settings",
            inputs.select("Default currency", "default_currency", CURRENCY_OPTIONS),
            inputs.text("Default payment terms (days)", "default_payment_terms_days", input_mode="numeric",
                        hint="0 to 365 days after the issue date."),
            _pattern(inputs, "Invoice number pattern", "invoice_number_pattern", "invoice"),
            _pattern(inputs, "Credit note number pattern", "credit_note_number_pattern", "credit note"),
            _placeholders(),
            inputs.select("Tax rounding", "tax_rounding", ROUNDING_OPTIONS),
            rx.vstack(
                check_field("Prices include tax", INVOICING_PREFIX + "prices_include_tax",
                            name=INVOICING_PREFIX + "prices_include_tax",
                            default_checked=S.company["prices_include_tax"] == "yes"),
                rx.text("Unit prices are entered with tax included.", size="1", color_scheme="gray"),
                spacing="1",
                padding_top="1.6em",
            ),
            inputs.textarea("Default notes", "default_notes",
                            hint="Printed on new invoices; editable per invoice."),
            inputs.textarea("Default terms", "default_terms"),
            inputs.textarea("Invoice footer", "invoice_footer",
                            hint="Bank details, registration, and the like."),
        ),
    )


def _security_tab() -> rx.Component:
    name = SECURITY_PREFIX + "require_admin_two_factor"
    return _section(
        "Security",
        "How people sign in to this workspace.",
        _form(
            S.save_security,
            "Save security settings",
            rx.vstack(
                check_field("Require two-factor for admins", name, name=name,
                            default_checked=S.company["require_admin_two_factor"] == "yes"),
                rx.text("Admins without two-factor sign-in are sent to set it up on their "
                        "Account page before they can use anything else.", size="1",
                        color_scheme="gray"),
                spacing="1",
            ),
        ),
    )


# --- tax rates ------------------------------------------------------------------------------

def _rate_dialog() -> rx.Component:
    adding = ~TaxRatesState.editing.contains("id")
    inputs = FormInputs(RATE_PREFIX, TaxRatesState.editing, TaxRatesState.errors, shape=TaxRateIn)
    return form_dialog(
        rx.cond(adding, "Add tax rate", "Edit tax rate"),
        rx.vstack(
            inputs.text("Name", "name", placeholder="Standard rate", required=True),
            inputs.text("Rate (%)", "rate", input_mode="decimal", placeholder="19", required=True),
            inputs.text("Description (optional)", "description"),
            rx.cond(adding, check_field("Make this the default rate", RATE_PREFIX + "is_default",
                                        name=RATE_PREFIX + "is_default")),
            spacing="3",
            width="100%",
        ),
        submit_label="Save tax rate",
        on_submit=TaxRatesState.save_rate,
        error=TaxRatesState.form_error,
        open=TaxRatesState.dialog_open,
        on_open_change=TaxRatesState.set_dialog_open,
        max_width="440px",
    )


def _rate_row(rate: dict) -> rx.Component:
    is_default, active = rate["default"] == "yes", rate["active"] == "yes"
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(rx.text(rate["name"], weight="medium"),
                      rx.text(rate["description"], size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(rate["rate"] + " %"),
        rx.table.cell(rx.cond(is_default, rx.badge("Default", color_scheme="indigo"), "")),
        rx.table.cell(rx.cond(active, rx.badge("Active", color_scheme="green"),
                              rx.badge("Inactive", color_scheme="gray"))),
        rx.table.cell(
            rx.hstack(
                rx.button("Edit", size="1", variant="soft", on_click=TaxRatesState.open_edit(rate["id"]),
                          aria_label="Edit " + rate["name"]),
                rx.cond(~is_default & active,
                        rx.button("Make default", size="1", variant="soft",
                                  on_click=TaxRatesState.make_default(rate["id"]))),
                rx.cond(
                    active,
                    rx.cond(~is_default, rx.button("Deactivate", size="1", variant="soft", color_scheme="red",
                                                   on_click=TaxRatesState.set_active(rate["id"], False))),
                    rx.button("Activate", size="1", variant="soft", color_scheme="green",
                              on_click=TaxRatesState.set_active(rate["id"], True)),
                ),
            )
        ),
    )


def _tax_rates_tab() -> rx.Component:
    return _section(
        "Tax rates",
        "The rates invoice lines can carry. The default rate is preselected on new lines; a rate used on "
        "invoices can be deactivated but keeps its percentage.",
        rx.hstack(rx.spacer(),
                  rx.button(rx.icon("plus", size=16), "Add tax rate", on_click=TaxRatesState.open_add),
                  width="100%"),
        data_table(["Name", "Rate", "Default", "Status", "Actions"], TaxRatesState.rates, _rate_row,
                   empty_text="No tax rates yet.", loading=TaxRatesState.loading),
        _rate_dialog(),
    )


# --- logo -------------------------------------------------------------------------------------

def _logo_preview() -> rx.Component:
    return rx.center(
        rx.cond(S.logo_url != "",
                rx.image(src=S.logo_url, alt="Company logo", max_width="200px", max_height="120px"),
                rx.text("No logo yet", color_scheme="gray", size="2")),
        width="240px",
        height="150px",
        border=f"1px solid {rx.color('gray', 5)}",
        border_radius="8px",
        background="white",
        flex_shrink="0",
    )


def _error_codes(rejected) -> rx.Var:
    """The reasons react-dropzone refused the files, such as "file-too-large".

    Only these go to the server: the refused File objects would travel with the event.
    """
    errors = rejected.to(ArrayVar, list[dict[str, Any]]).map(
        lambda item: item.to(ObjectVar, dict[str, Any])["errors"].to(ArrayVar, list[dict[str, Any]])
        .map(lambda problem: problem.to(ObjectVar, dict[str, Any])["code"]).join(" "))
    return errors.join(" ")


def _logo_tab() -> rx.Component:
    chosen = rx.selected_files(LOGO_UPLOAD_ID)
    return _section(
        "Logo",
        "Shown on invoices, statements and the sign-in page.",
        rx.flex(
            _logo_preview(),
            rx.vstack(
                file_drop(LOGO_UPLOAD_ID, icon="image-up", prompt="Drop an image here, or click to choose one",
                          limits=f"PNG, JPEG or WebP, at most {MAX_BYTES // (1024 * 1024)} MB",
                          accept=LOGO_TYPES, max_size=MAX_BYTES,
                          on_drop_rejected=lambda rejected: S.logo_rejected(_error_codes(rejected)),
                          error=S.logo_error, aria_label="Logo image file"),
                rx.hstack(
                    rx.button(rx.icon("upload", size=16), "Upload logo", disabled=chosen.length() == 0,
                              on_click=S.upload_logo(rx.upload_files(upload_id=LOGO_UPLOAD_ID))),
                    rx.cond(S.logo_url != "",
                            rx.button("Remove logo", variant="soft", color_scheme="red",
                                      on_click=S.remove_logo)),
                ),
                spacing="3",
                width="100%",
            ),
            spacing="5",
            direction=rx.breakpoints(initial="column", sm="row"),
            width="100%",
        ),
    )


@private_page(routes.SETTINGS, on_load=[CompanySettingsState.load, TaxRatesState.load])
def settings_page() -> rx.Component:
    return rx.cond(
        S.loaded,
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger("Company", value="company"),
                rx.tabs.trigger("Invoicing", value="invoicing"),
                rx.tabs.trigger("Tax rates", value="tax-rates"),
                rx.tabs.trigger("Logo", value="logo"),
                rx.tabs.trigger("Documents", value="documents"),
                rx.tabs.trigger("Reminders", value="reminders"),
                rx.tabs.trigger("Email templates", value="email-templates"),
                rx.tabs.trigger("Security", value="security"),
            ),
            rx.tabs.content(_company_tab(), value="company", padding_top="1.2em"),
            rx.tabs.content(_invoicing_tab(), value="invoicing", padding_top="1.2em"),
            rx.tabs.content(_tax_rates_tab(), value="tax-rates", padding_top="1.2em"),
            rx.tabs.content(_logo_tab(), value="logo", padding_top="1.2em"),
            rx.tabs.content(document_settings_tab(), value="documents", padding_top="1.2em"),
            rx.tabs.content(reminder_settings_tab(), value="reminders", padding_top="1.2em"),
            rx.tabs.content(email_templates_tab(), value="email-templates", padding_top="1.2em"),
            rx.tabs.content(_security_tab(), value="security", padding_top="1.2em"),
            default_value="company",
            width="100%",
        ),
        rx.center(rx.spinner(size="3"), padding="2em", width="100%", aria_label="Loading settings"),
    )
