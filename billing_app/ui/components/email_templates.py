"""The "Email templates" tab of Settings: pick a template, edit its subject and bodies with
placeholders, see the email it writes for sample data, save or go back to the default."""

import reflex as rx

from billing_app.ui.components.forms import field
from billing_app.ui.states.email_templates import TEMPLATE_PREFIX
from billing_app.ui.states.email_templates import EmailTemplatesState as S

PART_LABELS = {"subject": "Subject", "body_text": "Text body", "body_html": "HTML body"}


def _editor(part: str) -> rx.Component:
    control_id = TEMPLATE_PREFIX + part
    props = dict(id=control_id, name=control_id, width="100%", default_value=S.template_values[part],
                 on_change=lambda value: S.edit_template(part, value).debounce(400),
                 font_family="monospace")
    control = rx.input(**props) if part == "subject" else rx.text_area(rows="9", **props)
    return field(PART_LABELS[part], control, html_for=control_id,
                 error=S.template_errors.get(part, ""))


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _editor("subject"),
            _editor("body_text"),
            _editor("body_html"),
            rx.hstack(
                rx.cond(S.template_edited,
                        rx.button("Go back to the default", variant="soft", color_scheme="gray",
                                  type="button", on_click=S.reset_template)),
                rx.button("Save template", type="submit"),
                justify="end", width="100%", spacing="3",
            ),
            spacing="3", width="100%",
            key=S.template_key + "-" + S.editor_version.to_string(),
        ),
        on_submit=S.save_template, reset_on_submit=False, no_validate=True, width="100%",
    )


def _placeholder(row: dict) -> rx.Component:
    return rx.hstack(rx.code(row["name"]), rx.text(row["description"], size="1"), spacing="2",
                     align="center")


def _preview() -> rx.Component:
    return rx.vstack(
        rx.heading("Preview", size="3", as_="h3"),
        rx.text("Subject: ", rx.text.strong(S.preview["subject"]), size="2",
                aria_label="Preview subject"),
        rx.box(rx.text(S.preview["text"], white_space="pre-wrap", size="2"),
               padding="0.75em", border="1px solid var(--gray-6)", width="100%",
               aria_label="Preview of the text body"),
        rx.el.iframe(src_doc=S.preview["html"], sandbox="", title="Preview of the HTML body",
                     width="100%", height="240px", border="1px solid var(--gray-6)"),
        rx.heading("Placeholders", size="3", as_="h3"),
        rx.vstack(rx.foreach(S.placeholders, _placeholder), spacing="1"),
        spacing="2", width="100%", max_width="440px",
    )


def email_templates_tab() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Email templates", size="4", as_="h2"),
            rx.text("Subject and bodies of the emails the product sends. Placeholders in "
                    "{{ double braces }} are filled in for each email; a template that does not "
                    "render is not saved.", size="2", color_scheme="gray"),
            rx.cond(
                S.templates_loaded,
                rx.vstack(
                    field("Template", rx.el.select(
                        rx.foreach(S.template_options,
                                   lambda o: rx.el.option(o["label"], value=o["id"])),
                        id="template-key", value=S.template_key, class_name="native-select",
                        on_change=S.choose_template), html_for="template-key"),
                    rx.text(rx.cond(S.template_edited, "Edited (the default is kept)",
                                    "The default template"), size="1", color_scheme="gray"),
                    rx.flex(rx.box(_form(), flex="1", min_width="0"), _preview(), spacing="5",
                            width="100%", direction=rx.breakpoints(initial="column", md="row")),
                    spacing="3", width="100%",
                ),
                rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
            ),
            spacing="3", width="100%",
        ),
        width="100%", on_mount=S.load_templates,
    )
