import reflex as rx
from reflex_base.components.component import field
from reflex_base.vars.function import FunctionStringVar
from reflex_components_core.el.elements.base import BaseHTML

FORGET_CLIENT_TOKEN = FunctionStringVar.create(
    '() => window.sessionStorage.removeItem("token")')
"""On the submit button of sign-in and sign-out forms: the page after them connects with a new
Reflex client token (the "token" key of reflex's state.js), so no state of the previous user
is tied to this tab any more. Runs in the click, before the browser submits the form."""


class NativeForm(BaseHTML):
    """A plain HTML form the browser submits itself, for HTTP endpoints that set cookies.

    rx.el.form always cancels the browser's submit to hand the data to a state handler.
    """

    tag = "form"

    action: rx.Var[str] = field(doc="URL the form posts to")
    method: rx.Var[str] = field(doc="HTTP method")


native_form = NativeForm.create
