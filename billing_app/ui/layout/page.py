"""`@private_page(spec)` registers a page with the layout and the role guard."""

from collections.abc import Callable
from dataclasses import dataclass, field

import reflex as rx

from billing_app.ui.layout.shell import PRODUCT_NAME, shell
from billing_app.ui.routes import PageSpec
from billing_app.ui.states.auth import PAGE_LOADS, AuthState


@dataclass
class RegisteredPage:
    """A page as the app registers it: its on_load is the guard alone, which runs the page's
    own loads (`page_loads`) only for a user allowed to see it, so a refused page reads nothing
    and says "not allowed" once."""

    spec: PageSpec
    component: Callable[[], rx.Component]
    page_loads: list = field(default_factory=list)

    @property
    def on_load(self) -> list:
        return [AuthState.guard_page]


REGISTRY: list[RegisteredPage] = []


def private_page(spec: PageSpec, on_load: list | None = None):
    def register(build: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def component() -> rx.Component:
            return shell(spec.title, build())

        component.__name__ = build.__name__
        REGISTRY.append(RegisteredPage(spec, component, list(on_load or [])))
        PAGE_LOADS[spec.route] = list(on_load or [])
        return build

    return register


def add_private_pages(app: rx.App) -> None:
    for page in REGISTRY:
        app.add_page(
            page.component,
            route=page.spec.route,
            title=f"{page.spec.title} · {PRODUCT_NAME}",
            on_load=page.on_load,
        )
