"""The "Documents" tab of Settings: how PDFs look and read, how clients pay, and a live
preview of a sample invoice that follows the choices before they are saved."""

import reflex as rx

from billing_app.documents.labels import language_name
from billing_app.domain.documents import LANGUAGES, LAYOUTS
from billing_app.services.company import CompanyUpdate
from billing_app.ui.components.form_inputs import FormInputs, field_grid
from billing_app.ui.components.forms import field, native_select
from billing_app.ui.states.document_settings import DOCUMENT_PREFIX, DocumentSettingsState as S

LAYOUT_OPTIONS = list(LAYOUTS.items())
LANGUAGE_OPTIONS = [(code, language_name(code)) for code in LANGUAGES]


def _look_select(label: str, name: str, options, hint: str) -> rx.Component:
    control = native_select(DOCUMENT_PREFIX + name, DOCUMENT_PREFIX + name, options,
                            default_value=S.doc_values[name],
                            on_change=lambda value: S.choose_look(name, value))
    return field(label, control, html_for=DOCUMENT_PREFIX + name, hint=hint,
                 error=S.doc_errors.get(name, ""))


def _accent() -> rx.Component:
    control = rx.input(id=DOCUMENT_PREFIX + "accent_color", name=DOCUMENT_PREFIX + "accent_color",
                       type="color", default_value=S.doc_values["accent_color"], width="6em",
                       on_change=lambda value: S.choose_look("accent_color", value).debounce(300))
    return field("Accent colour", control, html_for=DOCUMENT_PREFIX + "accent_color",
                 hint="Headings and rules of every document.",
                 error=S.doc_errors.get("accent_color", ""))


def _form() -> rx.Component:
    inputs = FormInputs(DOCUMENT_PREFIX, S.doc_values, S.doc_errors, shape=CompanyUpdate)
    return rx.form(
        rx.vstack(
            field_grid(
                _look_select("Layout", "document_layout", LAYOUT_OPTIONS,
                             "Classic: quiet rules. Modern: a coloured band and table header."),
                _accent(),
                _look_select("Document language", "document_language", LANGUAGE_OPTIONS,
                             "Labels, dates and amounts; a client can have its own."),
                inputs.text("IBAN", "iban", hint="Printed with a payment QR code on EUR invoices."),
                inputs.text("BIC", "bic", hint="8 or 11 letters and digits."),
            ),
            inputs.textarea("Payment instructions", "payment_instructions"),
            rx.hstack(rx.button("Save document settings", type="submit"), justify="end",
                      width="100%"),
            spacing="4",
            width="100%",
        ),
        on_submit=S.save,
        reset_on_submit=False,
        no_validate=True,
        width="100%",
    )


def _preview() -> rx.Component:
    return rx.vstack(
        rx.text("Preview of a sample invoice", size="2", weight="medium"),
        rx.image(src=S.preview_url, alt="Preview of a sample invoice in the chosen layout",
                 width="100%", border=f"1px solid {rx.color('gray', 6)}", border_radius="4px",
                 box_shadow="0 1px 4px rgba(0,0,0,0.12)"),
        spacing="2",
        width="100%",
        max_width="420px",
    )


def document_settings_tab() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Documents", size="4", as_="h2"),
            rx.text("How invoices, credit notes, receipts and statements look as PDFs.",
                    size="2", color_scheme="gray"),
            rx.cond(
                S.doc_loaded,
                rx.flex(
                    rx.box(_form(), flex="1", min_width="0"),
                    _preview(),
                    spacing="5",
                    direction=rx.breakpoints(initial="column", md="row"),
                    width="100%",
                ),
                rx.center(rx.spinner(size="3"), padding="2em", width="100%",
                          aria_label="Loading document settings"),
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        on_mount=S.load,
    )
