"""The domain is pure: the standard library, Babel, the error types and itself; no database, no UI.
Statement parsers may also use the XML, text-encoding and validation libraries."""

import ast
import sys

import pytest

from billing_app.settings import PROJECT_ROOT

DOMAIN = PROJECT_ROOT / "billing_app" / "domain"
ALLOWED = {"babel", "billing_app"}
PARSING = {"lxml", "charset_normalizer", "pydantic"}  # for domain/statements only
OWN = ("billing_app.domain", "billing_app.errors")  # errors.py is plain exceptions


def top_level_imports(path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(DOMAIN.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(DOMAIN)))
def test_domain_modules_import_only_the_standard_library_babel_and_the_domain(path):
    allowed = ALLOWED | (PARSING if path.parent.name == "statements" else set())
    for module in top_level_imports(path):
        root = module.split(".")[0]
        assert root in sys.stdlib_module_names or root in allowed, f"{path.name} imports {module}"
        if root == "billing_app":
            assert module.startswith(OWN), f"{path.name} imports {module}"
