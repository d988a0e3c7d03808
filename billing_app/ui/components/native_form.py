import reflex as rx
from reflex_base.components.component import field
from reflex_components_core.el.elements.base import BaseHTML


class NativeForm(BaseHTML):
    """A plain HTML form the browser submits itself, for HTTP endpoints that set cookies.

    rx.el.form always cancels the browser's submit to hand the data to a state handler.
    """

    tag = "form"

    action: rx.Var[str] = field(doc="URL the form posts to")
    method: rx.Var[str] = field(doc="HTTP method")


native_form = NativeForm.create
