from billing_app.auth.permissions import PERMISSIONS, Action, can, require
from billing_app.models.users import Role, User

SYSTEM_ACTOR = User(id=None, email="system@localhost", name="System", role=Role.ADMIN,
                    password_hash="!", is_active=True)
"""The actor of command-line and scheduled work; never stored, never able to log in."""

__all__ = ["PERMISSIONS", "SYSTEM_ACTOR", "Action", "can", "require"]
