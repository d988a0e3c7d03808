"""Importing this package registers every private page."""

from billing_app.ui.pages import audit, home, my_invoices, users  # noqa: F401
