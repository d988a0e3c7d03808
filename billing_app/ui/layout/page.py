"""`@private_page(spec)` registers a page with the layout and the role guard."""

from collections.abc import Callable
from dataclasses import dataclass, field

import reflex as rx

from billing_app.ui.layout.shell import PRODUCT_NAME, shell
from billing_app.ui.routes import PageSpec
from billing_app.ui.states.auth import AuthState


@dataclass
class RegisteredPage:
    spec: PageSpec
    component: Callable[[], rx.Component]
    on_load: list = field(default_factory=list)


REGISTRY: list[RegisteredPage] = []


def private_page(spec: PageSpec, on_load: list | None = None):
    def register(build: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        def component() -> rx.Component:
            return shell(spec.title, build())

        component.__name__ = build.__name__
        REGISTRY.append(RegisteredPage(spec, component, [AuthState.guard_page, *(on_load or [])]))
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
