"""The shape the design promises: layers import one way, every page declares its guard."""

import ast
from pathlib import Path

import pytest

from billing_app.auth.permissions import Action
from billing_app.settings import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "billing_app"
BELOW_THE_EDGES = ["models", "domain", "auth", "services", "queries", "reports", "documents", "mail"]
EDGES = ["ui", "api", "tasks"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def python_files(*folders: str) -> list[Path]:
    return [p for folder in folders for p in (PACKAGE / folder).rglob("*.py")]


@pytest.mark.parametrize("path", python_files(*BELOW_THE_EDGES), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_core_layers_never_import_the_ui_framework_or_the_edges(path):
    for module in imported_modules(path):
        assert not module.startswith("reflex"), f"{path} imports {module}"
        assert not any(module.startswith(f"billing_app.{edge}") for edge in EDGES), f"{path} imports {module}"


def test_settings_are_read_in_one_place():
    offenders = [
        str(p.relative_to(PROJECT_ROOT))
        for p in PACKAGE.rglob("*.py")
        if p.name != "settings.py" and ("os.getenv" in p.read_text() or "os.environ" in p.read_text())
    ]
    assert offenders == []


def test_every_private_page_is_registered_once_with_a_permission_and_the_guard():
    import billing_app.ui.pages  # noqa: F401
    from billing_app.ui import routes
    from billing_app.ui.layout.page import REGISTRY
    from billing_app.ui.states.auth import PAGE_LOADS, AuthState

    registered = [page.spec.route for page in REGISTRY]
    assert len(registered) == len(set(registered)), "duplicate routes"
    assert set(registered) == {spec.route for spec in routes.GUARDED_PAGES}
    for page in REGISTRY:
        assert isinstance(page.spec.action, Action)
        assert page.on_load == [AuthState.guard_page], f"{page.spec.route} has no guard"
        assert PAGE_LOADS[page.spec.route] == page.page_loads  # run by the guard, once allowed
    public = {routes.LOGIN, routes.NOT_ALLOWED}
    assert public.isdisjoint(registered)
