"""Links in emails point where the recipient, a client, can open them: its own pages."""

from billing_app.settings import get_settings


def client_invoice_link(invoice_id: int) -> str:
    return f"{get_settings().app_url.rstrip('/')}/my/invoices/{invoice_id}"


def password_reset_link(token: str) -> str:
    return f"{get_settings().app_url.rstrip('/')}/reset-password?token={token}"
