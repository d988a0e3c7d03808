"""Browser paths of pages with [param] segments, built from their PageSpec."""

from billing_app.ui.routes import PageSpec


def href(spec: PageSpec, **params) -> str:
    """href(routes.CLIENT, client_id=7) -> "/clients/7"."""
    path = spec.route
    for name, value in params.items():
        path = path.replace(f"[{name}]", str(value))
    return path
