"""User administration: every handler checks USERS_MANAGE on the server, shown or not."""

import reflex as rx
from sqlmodel import select

from billing_app.auth.permissions import Action, can
from billing_app.models.clients import Client
from billing_app.models.users import Role
from billing_app.queries.users import users_page
from billing_app.services.users import (
    user_change_role,
    user_create,
    user_reset_password,
    user_set_active,
)
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.paging import Paging

CLIENT_CHOICES_LIMIT = 500


def _int_or_none(value) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or 0 < number < 2**31 else None


class UsersState(Paging, AuthState):
    rows: list[dict[str, str]] = []
    search: str = ""
    loading: bool = False
    client_choices: list[dict[str, str]] = []
    pending: dict[str, str] = {}  # a role change or (de)activation waiting to be confirmed

    create_open: bool = False
    create_role: str = Role.ACCOUNTANT.value
    create_error: str = ""
    create_field_errors: dict[str, str] = {}

    reset_user_id: int = 0
    reset_user_name: str = ""
    reset_error: str = ""

    def _reload(self):
        def read(db, actor):
            rows, total = users_page(db, actor=actor, search=self.search,
                                     offset=self.offset, limit=self.page_size)
            return [
                {
                    "id": str(user.id),
                    "name": user.name,
                    "email": user.email,
                    "role": Role(user.role).value,
                    "client": client_name or "",
                    "active": "yes" if user.is_active else "no",
                    "last_login": user.last_login_at.strftime("%Y-%m-%d %H:%M") if user.last_login_at else "never",
                }
                for user, client_name in rows
            ], total

        result, error = self._run(Action.USERS_MANAGE, read)
        self.loading = False
        if error:
            return rx.toast.error(error.message)
        self.rows, self.total = result
        return None

    @rx.event
    def load(self):
        self.offset = 0
        self.loading = True
        yield
        yield self._reload()

    @rx.event
    def set_search(self, value: str):
        self.search = value[:100]
        self.offset = 0
        return self._reload()

    # --- create -------------------------------------------------------------------------
    @rx.event
    def open_create(self):
        def clients(db, _actor):
            return [
                {"id": str(cid), "name": name}
                for cid, name in db.exec(
                    select(Client.id, Client.name).where(~Client.is_archived)
                    .order_by(Client.name).limit(CLIENT_CHOICES_LIMIT)
                ).all()
            ]

        choices, error = self._run(Action.USERS_MANAGE, clients)
        if error:
            return rx.toast.error(error.message)
        self.client_choices = choices
        self.create_error = ""
        self.create_field_errors = {}
        self.create_role = Role.ACCOUNTANT.value
        self.create_open = True
        return None

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open = value

    @rx.event
    def set_create_role(self, value: str):
        self.create_role = value if value in {r.value for r in Role} else Role.VIEWER.value

    @rx.event
    def create_user(self, form: dict):
        if refusal := self._refusal(Action.USERS_MANAGE):
            return rx.toast.error(refusal.message)
        if not self.create_open:  # a second click's submit, after the first made the user
            return None
        data = {
            "email": str(form.get("email", "")).strip(),
            "name": str(form.get("name", "")).strip(),
            "role": str(form.get("role", "")),
            "password": str(form.get("password", "")),
            "client_id": _int_or_none(form.get("client_id")),
            "phone": str(form.get("phone", "")).strip() or None,
        }
        if data["role"] != Role.CLIENT.value:
            data["client_id"] = None
        created, error = self._run(Action.USERS_MANAGE, lambda db, actor: user_create(db, actor=actor, **data).name)
        if error:
            self.create_error = error.message
            self.create_field_errors = {error.field: error.message} if error.field else {}
            return None
        self.create_open = False
        yield self._reload()
        yield rx.toast.success(f"User {created} created.")

    # --- row actions ----------------------------------------------------------------------
    @rx.event
    def change_role(self, user_id: str, role: str):
        uid = _int_or_none(user_id)
        _, error = self._run(
            Action.USERS_MANAGE,
            lambda db, actor: user_change_role(db, actor=actor, user_id=uid, role=role),
        )
        yield self._reload()
        yield rx.toast.error(error.message) if error else rx.toast.success("Role changed.")

    @rx.event
    def ask_role(self, user_id: str, role: str):
        """A role change waits for "Change role": it changes what the person may do at once."""
        row = self._row(user_id)
        if row is None or role not in {r.value for r in Role} or role == row["role"]:
            return None
        self.rows = [dict(r) for r in self.rows]  # the select shows the stored role meanwhile
        self.pending = {"action": "role", "user_id": user_id, "value": role, "confirm": "Change role",
                        "question": f"Change the role of {row['name']} from {row['role'].title()} to "
                                    f"{role.title()}? Their sessions end; they sign in again."}

    @rx.event
    def ask_active(self, user_id: str, active: bool):
        row = self._row(user_id)
        if row is None:
            return
        self.pending = {"action": "active", "user_id": user_id, "value": "yes" if active else "",
                        "confirm": "Activate" if active else "Deactivate",
                        "question": f"Activate {row['name']}? They can sign in again." if active else
                                    f"Deactivate {row['name']}? They are signed out everywhere and "
                                    "can no longer sign in; their records stay."}

    @rx.event
    def confirm_pending(self):
        if refusal := self._refusal(Action.USERS_MANAGE):
            return rx.toast.error(refusal.message)
        pending, self.pending = self.pending, {}
        if pending.get("action") == "role":
            yield from self.change_role(pending["user_id"], pending["value"])
        elif pending.get("action") == "active":
            yield from self.set_active(pending["user_id"], pending["value"] == "yes")

    @rx.event
    def set_pending_open(self, open: bool):
        if not open:
            self.pending = {}

    def _row(self, user_id: str) -> dict[str, str] | None:
        """A row of the page as loaded; nothing for a user who may not manage users."""
        if not can(self.user_role, Action.USERS_MANAGE):
            return None
        return next((row for row in self.rows if row["id"] == str(user_id)), None)

    @rx.event
    def set_active(self, user_id: str, active: bool):
        uid = _int_or_none(user_id)
        _, error = self._run(
            Action.USERS_MANAGE,
            lambda db, actor: user_set_active(db, actor=actor, user_id=uid, active=bool(active)),
        )
        yield self._reload()
        if error:
            yield rx.toast.error(error.message)
        else:
            yield rx.toast.success("User activated." if active else "User deactivated.")

    @rx.event
    def open_reset(self, user_id: str, name: str):
        self.reset_user_id = _int_or_none(user_id) or 0
        self.reset_user_name = name
        self.reset_error = ""

    @rx.event
    def close_reset(self):
        self.reset_user_id = 0

    @rx.event
    def set_reset_open(self, value: bool):
        if not value:
            self.reset_user_id = 0

    @rx.event
    def reset_password(self, form: dict):
        password = str(form.get("password", ""))
        _, error = self._run(
            Action.USERS_MANAGE,
            lambda db, actor: user_reset_password(db, actor=actor, user_id=self.reset_user_id,
                                                  password=password),
        )
        if error:
            self.reset_error = error.message
            return None
        self.reset_user_id = 0
        return rx.toast.success(f"Password of {self.reset_user_name} reset; their sessions ended.")
