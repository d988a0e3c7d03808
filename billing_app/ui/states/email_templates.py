"""The "Email templates" tab of Settings: edit a template's subject and bodies with a live
preview on sample data; a template that does not render is refused with the reason next to
its field. Every handler checks SETTINGS_MANAGE on the server."""

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.mail.templates_store import (
    PARTS,
    TemplateSource,
    template_check,
    template_keys,
    template_source,
    template_spec,
)
from billing_app.services.email_templates import email_template_reset, email_template_save
from billing_app.ui.states.auth import AuthState

TEMPLATE_PREFIX = "template-"


class EmailTemplatesState(AuthState):
    templates_loaded: bool = False
    template_options: list[dict[str, str]] = []  # {"id": key, "label"}
    template_key: str = "invoice_sent"
    template_values: dict[str, str] = {}  # subject, body_text, body_html as stored
    template_edited: bool = False
    template_errors: dict[str, str] = {}
    placeholders: list[dict[str, str]] = []  # {"name", "description"}
    preview: dict[str, str] = {}  # subject, text, html
    editor_version: int = 0  # remounts the uncontrolled inputs when another template is shown
    _draft: dict[str, str] = {}

    def _show(self, key: str) -> None:
        def read(db, actor):
            return template_keys(db), template_source(db, key)

        result, error = self._run(Action.SETTINGS_MANAGE, read)
        if error:
            return
        keys, source = result
        self.template_options = [{"id": k, "label": label} for k, label in keys]
        self.template_key, self.template_edited = key, source.edited
        self.template_values = {part: getattr(source, part) for part in PARTS}
        self.placeholders = [{"name": "{{ " + name + " }}", "description": text}
                             for name, text in template_spec(key).placeholders.items()]
        self._draft = dict(self.template_values)
        self.editor_version += 1
        self._render_preview()

    def _render_preview(self) -> None:
        key, draft = self.template_key, self._draft
        rendered, error = self._run(Action.SETTINGS_MANAGE, lambda db, actor: template_check(
            key, TemplateSource(**draft, edited=True)))
        if error:
            self.template_errors = {error.field or "subject": error.message}
            return
        self.template_errors = {}
        self.preview = {"subject": rendered.subject, "text": rendered.text, "html": rendered.html}

    @rx.event
    def load_templates(self):
        self._show(self.template_key if self.templates_loaded else "invoice_sent")
        self.templates_loaded = True

    @rx.event
    def choose_template(self, key: str):
        if key in {option["id"] for option in self.template_options}:
            self._show(key)

    @rx.event
    def edit_template(self, part: str, value: str):
        """Redraw the preview with what is typed, before anything is saved."""
        if part in PARTS:
            self._draft = {**self._draft, part: str(value)}
            self._render_preview()

    @rx.event
    def save_template(self, form: dict):
        key = self.template_key
        values = {part: str(form.get(TEMPLATE_PREFIX + part, "")) for part in PARTS}
        _, error = self._run(Action.SETTINGS_MANAGE, lambda db, actor: email_template_save(
            db, actor=actor, key=key, **values))
        if error:
            self.template_errors = {error.field or "subject": error.message}
            return rx.toast.error("The template was not saved: " + error.message)
        self._show(key)
        return rx.toast.success("Email template saved.")

    @rx.event
    def reset_template(self):
        key = self.template_key
        _, error = self._run(Action.SETTINGS_MANAGE, lambda db, actor: email_template_reset(
            db, actor=actor, key=key))
        if error:
            return rx.toast.error(error.message)
        self._show(key)
        return rx.toast.success("The default template is back.")
