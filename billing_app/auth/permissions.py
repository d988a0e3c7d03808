"""The one permission table. Services, pages, event handlers and the API all ask it."""

from enum import StrEnum

from billing_app.errors import PermissionDenied
from billing_app.models.users import Role, User


class Action(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"
    USERS_MANAGE = "users.manage"
    SETTINGS_MANAGE = "settings.manage"
    CLIENTS_READ = "clients.read"
    CLIENTS_WRITE = "clients.write"
    INVOICES_READ = "invoices.read"
    INVOICES_WRITE = "invoices.write"
    PAYMENTS_READ = "payments.read"
    PAYMENTS_WRITE = "payments.write"
    REPORTS_VIEW = "reports.view"
    AUDIT_READ = "audit.read"
    OWN_INVOICES_READ = "own_invoices.read"
    CREDIT_LIMIT_OVERRIDE = "credit_limit.override"
    PRODUCTS_WRITE = "products.write"
    EMAILS_READ = "emails.read"  # the email log and what each email said
    EMAILS_SEND = "emails.send"  # send invoices, retry failed emails
    OWN_ACCOUNT = "own_account.manage"  # one's own password and sessions: every role
    CLIENT_PRIVACY = "clients.privacy"  # GDPR: export or anonymise a client's personal data


_STAFF_READ = {
    Action.DASHBOARD_VIEW,
    Action.CLIENTS_READ,
    Action.INVOICES_READ,
    Action.PAYMENTS_READ,
    Action.REPORTS_VIEW,
    Action.EMAILS_READ,
}

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action) - {Action.OWN_INVOICES_READ},
    Role.ACCOUNTANT: frozenset(
        _STAFF_READ
        | {Action.CLIENTS_WRITE, Action.INVOICES_WRITE, Action.PAYMENTS_WRITE, Action.PRODUCTS_WRITE,
           Action.EMAILS_SEND, Action.OWN_ACCOUNT}
    ),
    Role.VIEWER: frozenset(_STAFF_READ | {Action.OWN_ACCOUNT}),
    Role.CLIENT: frozenset({Action.OWN_INVOICES_READ, Action.OWN_ACCOUNT}),
}


def can(role: Role | str | None, action: Action) -> bool:
    if role is None:
        return False
    try:
        return action in PERMISSIONS[Role(role)]
    except ValueError:
        return False


def require(actor: User | None, action: Action) -> User:
    """Return the actor if it is an active user allowed to do `action`, else raise."""
    if actor is None or not actor.is_active:
        raise PermissionDenied("Please sign in first.")
    if not can(actor.role, action):
        raise PermissionDenied("You are not allowed to do this.")
    return actor


SYSTEM_ACTOR = User(id=None, email="system@localhost", name="System", role=Role.ADMIN,
                    password_hash="!", is_active=True)
"""The actor of command-line and scheduled work; never stored, never able to log in."""
