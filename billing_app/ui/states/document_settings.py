"""The "Documents" tab of Settings: layout, accent colour, language and bank details of the
PDFs, with a live preview of a sample invoice. Every handler checks SETTINGS_MANAGE."""

import reflex as rx
from sqlmodel import Session

from billing_app.auth.permissions import Action
from billing_app.documents.sample import first_page_png_data_url, sample_invoice_pdf
from billing_app.domain.documents import check_language, check_layout, normalise_accent
from billing_app.models.company import Company
from billing_app.models.users import User
from billing_app.queries.company import company_settings, company_today
from billing_app.services.company import company_update
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.form_values import field_errors, form_fields

DOCUMENT_PREFIX = "documents-"
LOOK_CHECKS = {"document_layout": check_layout, "accent_color": normalise_accent,
               "document_language": check_language}
"""What the preview follows while the admin chooses, before anything is saved."""
DOCUMENT_FIELDS = (*LOOK_CHECKS, "iban", "bic", "payment_instructions")


def _view(company: Company) -> dict[str, str]:
    return {name: getattr(company, name) or "" for name in DOCUMENT_FIELDS}


def _preview(db: Session, company: Company, look: dict[str, str]) -> str:
    """The sample invoice in the saved settings with the chosen `look` laid over them; the
    company row itself is left untouched (a copy is changed)."""
    sample = Company(**{**company.model_dump(), **look})
    return first_page_png_data_url(sample_invoice_pdf(sample, company_today(db)))


class DocumentSettingsState(AuthState):
    doc_loaded: bool = False
    doc_values: dict[str, str] = {}
    doc_errors: dict[str, str] = {}
    preview_url: str = ""
    _look: dict[str, str] = {}

    def _read(self, db: Session, actor: User) -> tuple[dict[str, str], str]:
        company = company_settings(db, actor=actor)
        return _view(company), _preview(db, company, self._look)

    @rx.event
    def load(self):
        self.doc_loaded, self.doc_errors, self._look = False, {}, {}
        result, error = self._run(Action.SETTINGS_MANAGE, self._read)
        if error:
            return rx.toast.error(error.message)
        self.doc_values, self.preview_url = result
        self.doc_loaded = True
        return None

    @rx.event
    def choose_look(self, name: str, value: str):
        """Redraw the preview with a layout, colour or language not saved yet."""
        check = LOOK_CHECKS.get(name)
        if check is None:
            return None
        try:
            chosen = check(str(value)[:20])
        except ValueError as problem:
            self.doc_errors = {**self.doc_errors, name: str(problem)}
            return None
        self.doc_errors = {key: text for key, text in self.doc_errors.items() if key != name}
        self._look = {**self._look, name: chosen}
        result, error = self._run(Action.SETTINGS_MANAGE, self._read)
        if error:
            return rx.toast.error(error.message)
        self.preview_url = result[1]
        return None

    @rx.event
    def save(self, form: dict):
        data = form_fields(form, DOCUMENT_PREFIX, DOCUMENT_FIELDS)

        def store(db: Session, actor: User) -> tuple[dict[str, str], str]:
            company = company_update(db, actor=actor, data=data)
            self._look = {}
            return _view(company), _preview(db, company, {})

        result, error = self._run(Action.SETTINGS_MANAGE, store)
        self.doc_errors = field_errors(error) if error else {}
        if error:
            return None if error.field else rx.toast.error(error.message)
        self.doc_values, self.preview_url = result
        return rx.toast.success("Document settings saved.")
