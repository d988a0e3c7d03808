"""Company settings, tax rates and the logo: every handler checks SETTINGS_MANAGE on the server."""

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.errors import ValidationFailed
from billing_app.models.company import Company, TaxRate
from billing_app.queries.catalog import tax_rates_list
from billing_app.queries.company import company_public, company_settings, company_today
from billing_app.services.company import company_update, number_preview
from billing_app.services.numbering import next_sequence_value
from billing_app.services.logo import MAX_BYTES, NOT_AN_IMAGE, company_remove_logo, company_set_logo
from billing_app.services.tax_rates import (
    tax_rate_activate,
    tax_rate_create,
    tax_rate_deactivate,
    tax_rate_update,
)
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.form_values import field_errors, form_fields, positive_int, typed_numbers

COMPANY_FIELDS = ("name", "address_line1", "address_line2", "postal_code", "city", "country",
                  "tax_id", "email", "phone", "website")
INVOICING_FIELDS = ("default_currency", "default_payment_terms_days", "invoice_number_pattern",
                    "credit_note_number_pattern", "tax_rounding", "default_notes", "default_terms",
                    "invoice_footer")
PREVIEW_FIELDS = {"invoice_number_pattern": "invoice", "credit_note_number_pattern": "credit_note"}
RATE_FIELDS = ("name", "rate", "description")
COMPANY_PREFIX, INVOICING_PREFIX, RATE_PREFIX = "company-", "invoicing-", "tax-rate-"
SECURITY_PREFIX = "security-"
LOGO_UPLOAD_ID = "logo"
LOGO_TOO_BIG = f"The logo must be at most {MAX_BYTES // (1024 * 1024)} MB."


def _checked(value) -> bool:
    """A ticked checkbox: a Radix one with an id reads True through its ref, else "on"."""
    return value is True or value == "on"


def _strings(row, fields) -> dict[str, str]:
    return {name: "" if getattr(row, name) is None else str(getattr(row, name)) for name in fields}


def _company_view(company: Company) -> dict[str, str]:
    view = _strings(company, COMPANY_FIELDS + INVOICING_FIELDS)
    view["prices_include_tax"] = "yes" if company.prices_include_tax else ""
    view["require_admin_two_factor"] = "yes" if company.require_admin_two_factor else ""
    return view


def _shown(db, company: Company) -> tuple[dict[str, str], dict[str, str]]:
    """The form's values and the next number of each pattern."""
    view = _company_view(company)
    return view, {name: _preview(db, company.id, name, view[name])[0] for name in PREVIEW_FIELDS}


def _preview(db, company_id: int, name: str, pattern: str) -> tuple[str, str]:
    """(the next number the pattern gives today, "") or ("", why it cannot number documents)."""
    pattern, today = pattern[:100].strip(), company_today(db)
    try:
        sequence = next_sequence_value(db, company_id=company_id, kind=PREVIEW_FIELDS[name],
                                       pattern=pattern, issue_date=today)
    except ValueError:
        sequence = 1  # number_preview words the problem
    try:
        return number_preview(pattern, today, sequence), ""
    except ValidationFailed as error:
        return "", error.message


class CompanySettingsState(AuthState):
    """The "Company", "Invoicing" and "Logo" tabs."""

    loaded: bool = False
    company: dict[str, str] = {}
    errors: dict[str, str] = {}
    previews: dict[str, str] = {}
    logo_url: str = ""
    logo_error: str = ""

    def _show(self, shown: tuple[dict[str, str], dict[str, str]]) -> None:
        self.company, self.previews = shown

    @rx.event
    def load(self):
        self.loaded = False
        self.errors = {}
        self.logo_error = ""
        result, error = self._run(
            Action.SETTINGS_MANAGE,
            lambda db, actor: (_shown(db, company_settings(db, actor=actor)),
                               company_public(db).logo_url or ""),
        )
        if error:
            return rx.toast.error(error.message)
        shown, self.logo_url = result
        self._show(shown)
        self.loaded = True
        return None

    @rx.event
    def preview_pattern(self, name: str, pattern: str):
        """Live preview while typing; nothing is written. Admins only, like the form."""
        if name not in PREVIEW_FIELDS:
            return
        preview, error = self._run(Action.SETTINGS_MANAGE, lambda db, actor: _preview(
            db, company_settings(db, actor=actor).id, name, str(pattern)))
        if error:
            return rx.toast.error(error.message)
        number, problem = preview
        self.previews = {**self.previews, name: number}
        self.errors = {**{k: v for k, v in self.errors.items() if k != name},
                       **({name: problem} if problem else {})}

    def _save(self, data: dict, success: str):
        saved, error = self._run(
            Action.SETTINGS_MANAGE,
            lambda db, actor: _shown(db, company_update(db, actor=actor, data=data)),
        )
        self.errors = field_errors(error) if error else {}
        if error:
            return None if error.field else rx.toast.error(error.message)
        self._show(saved)
        return rx.toast.success(success)

    @rx.event
    def save_company(self, form: dict):
        return self._save(form_fields(form, COMPANY_PREFIX, COMPANY_FIELDS), "Company details saved.")

    @rx.event
    def save_invoicing(self, form: dict):
        data = form_fields(form, INVOICING_PREFIX, INVOICING_FIELDS)
        data["prices_include_tax"] = _checked(form.get(INVOICING_PREFIX + "prices_include_tax"))
        return self._save(data, "Invoicing settings saved.")

    @rx.event
    def save_security(self, form: dict):
        required = _checked(form.get(SECURITY_PREFIX + "require_admin_two_factor"))
        return self._save({"require_admin_two_factor": required}, "Security settings saved.")

    # --- logo -----------------------------------------------------------------------------
    def _change_logo(self, change, success: str):
        """Run `change(db, actor)` on the logo, then show the logo the company now has."""
        def work(db, actor) -> str:
            change(db, actor)
            return company_public(db).logo_url or ""

        url, error = self._run(Action.SETTINGS_MANAGE, work)
        if error:
            self.logo_error = error.message
            return rx.clear_selected_files(LOGO_UPLOAD_ID)
        self.logo_url, self.logo_error = url, ""
        return [rx.clear_selected_files(LOGO_UPLOAD_ID), rx.toast.success(success)]

    @rx.event
    def upload_logo(self, files: list[rx.UploadFile]):
        if refusal := self._refusal(Action.SETTINGS_MANAGE):
            self.logo_error = refusal.message
            return None
        if not files:
            self.logo_error = "Choose an image file for the logo."
            return None
        upload = files[0]
        content = upload.file.read(MAX_BYTES + 1)  # enough for the service to see it is too big
        return self._change_logo(
            lambda db, actor: company_set_logo(db, actor=actor, filename=upload.filename or "",
                                               content=content),
            "Logo uploaded.",
        )

    @rx.event
    def remove_logo(self):
        return self._change_logo(lambda db, actor: company_remove_logo(db, actor=actor), "Logo removed.")

    @rx.event
    def logo_rejected(self, codes: str):
        """The browser refused the file before uploading it; `codes` are react-dropzone's reasons."""
        reasons = str(codes).split()
        if "file-too-large" in reasons:
            self.logo_error = LOGO_TOO_BIG
        elif "too-many-files" in reasons:
            self.logo_error = "Choose one image file."
        else:
            self.logo_error = NOT_AN_IMAGE


def _rate_view(rate: TaxRate) -> dict[str, str]:
    return {
        "id": str(rate.id),
        "name": rate.name,
        "rate": format(rate.rate.normalize(), "f"),
        "description": rate.description or "",
        "default": "yes" if rate.is_default else "",
        "active": "yes" if rate.is_active else "",
    }


class TaxRatesState(AuthState):
    """The "Tax rates" tab: list, add/edit dialog, default and active flags."""

    rates: list[dict[str, str]] = []
    loading: bool = True
    dialog_open: bool = False
    editing: dict[str, str] = {}  # the rate being edited; empty while adding one
    errors: dict[str, str] = {}
    form_error: str = ""

    def _reload(self):
        rates, error = self._run(
            Action.SETTINGS_MANAGE,
            lambda db, actor: [_rate_view(rate) for rate in
                               tax_rates_list(db, actor=actor, include_inactive=True)],
        )
        self.loading = False
        if error:
            return rx.toast.error(error.message)
        self.rates = rates
        return None

    @rx.event
    def load(self):
        self.loading = True
        self.dialog_open = False
        return self._reload()

    def _open(self, editing: dict[str, str]):
        self.editing = editing
        self.errors = {}
        self.form_error = ""
        self.dialog_open = True

    @rx.event
    def open_add(self):
        self._open({})

    @rx.event
    def open_edit(self, rate_id: str):
        """Only a rate this page has shown (and so was allowed to read) can be opened."""
        found = [rate for rate in self.rates if rate["id"] == str(rate_id)]
        if found:
            self._open(found[0])

    @rx.event
    def set_dialog_open(self, value: bool):
        self.dialog_open = bool(value)

    def _write(self, work, success: str):
        """Run `work`, show the rates as they are now, and say how it went."""
        _, error = self._run(Action.SETTINGS_MANAGE, work)
        failed_reload = self._reload()
        if error:
            return rx.toast.error(error.message)
        return failed_reload or rx.toast.success(success)

    @rx.event
    def save_rate(self, form: dict):
        if refusal := self._refusal(Action.SETTINGS_MANAGE):
            return rx.toast.error(refusal.message)
        if not self.dialog_open:  # a second click's submit, after the first saved and closed the dialog
            return None
        data = form_fields(form, RATE_PREFIX, RATE_FIELDS)
        rate_id = positive_int(self.editing.get("id"))
        if rate_id is None:
            data["is_default"] = _checked(form.get(RATE_PREFIX + "is_default"))

        def store(db, actor):
            values = typed_numbers(db, data, "rate")
            if rate_id is None:
                return tax_rate_create(db, actor=actor, data=values)
            return tax_rate_update(db, actor=actor, tax_rate_id=rate_id, data=values)

        _, error = self._run(Action.SETTINGS_MANAGE, store)
        if error:
            self.errors = field_errors(error) if error.field in RATE_FIELDS else {}
            self.form_error = "" if self.errors else error.message
            return None
        self.dialog_open = False
        return self._reload() or rx.toast.success(f"Tax rate {data['name'].strip()} saved.")

    @rx.event
    def make_default(self, rate_id: str):
        tid = positive_int(rate_id)
        if tid is None:
            return None
        return self._write(
            lambda db, actor: tax_rate_update(db, actor=actor, tax_rate_id=tid, data={"is_default": True}),
            "Default tax rate changed.",
        )

    @rx.event
    def set_active(self, rate_id: str, active: bool):
        tid = positive_int(rate_id)
        if tid is None:
            return None
        change = tax_rate_activate if active is True else tax_rate_deactivate
        return self._write(
            lambda db, actor: change(db, actor=actor, tax_rate_id=tid),
            "Tax rate activated." if active is True else "Tax rate deactivated.",
        )
