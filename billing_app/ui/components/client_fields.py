"""The inputs of a client, a contact and an address, for the new-client page and the client page."""

import reflex as rx

from billing_app.documents.labels import language_name
from billing_app.domain.documents import LANGUAGES as DOCUMENT_LANGUAGES
from billing_app.models.clients import AddressIn, ClientCreate, ClientKind, ContactIn
from billing_app.models.inputs import country_names, currency_names
from billing_app.ui.components.form_inputs import FormInputs, field_grid

LANGUAGE_OPTIONS = [("", "The company's language"),
                    *((code, language_name(code)) for code in DOCUMENT_LANGUAGES)]
KIND_OPTIONS = [(ClientKind.COMPANY.value, "Company"), (ClientKind.INDIVIDUAL.value, "Individual")]
COUNTRY_OPTIONS = [("", "Choose a country…"), *country_names()]


def client_fields(prefix, values, errors) -> rx.Component:
    inputs = FormInputs(prefix, values, errors, shape=ClientCreate)
    return rx.vstack(
        field_grid(
            inputs.select("Kind", "kind", KIND_OPTIONS),
            inputs.text("Name", "name", max_length=200, required=True),
            inputs.text("Email", "email", type="email", max_length=254),
            inputs.text("Phone", "phone", max_length=50),
            inputs.text("Tax ID", "tax_id", max_length=50, hint="VAT or other tax number."),
            inputs.select("Currency", "currency", list(currency_names()), required=True),
            inputs.text("Payment terms (days)", "payment_terms_days", input_mode="numeric",
                        hint="Days from the issue date to the due date."),
            inputs.text("Credit limit", "credit_limit", input_mode="decimal",
                        hint="In the client's currency. Leave empty for no limit."),
            inputs.select("Document language", "document_language", LANGUAGE_OPTIONS,
                          hint="Invoices and statements to this client are printed in it."),
        ),
        inputs.textarea("Notes", "notes"),
        spacing="3",
        width="100%",
    )


def contact_fields(prefix, values, errors, error_prefix="") -> rx.Component:
    inputs = FormInputs(prefix, values, errors, error_prefix, shape=ContactIn)
    return field_grid(
        inputs.text("Name", "name", max_length=200, required=True),
        inputs.text("Job title", "job_title", max_length=100),
        inputs.text("Email", "email", type="email", max_length=254),
        inputs.text("Phone", "phone", max_length=50),
    )


def address_fields(prefix, values, errors, error_prefix="") -> rx.Component:
    inputs = FormInputs(prefix, values, errors, error_prefix, shape=AddressIn)
    return field_grid(
        inputs.text("Street and number", "line1", max_length=200, required=True),
        inputs.text("Address line 2", "line2", max_length=200),
        inputs.text("Postal code", "postal_code", max_length=20),
        inputs.text("City", "city", max_length=100),
        inputs.text("Region or state", "region", max_length=100),
        inputs.select("Country", "country", COUNTRY_OPTIONS, required=True),
    )
