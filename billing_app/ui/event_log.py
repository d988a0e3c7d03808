"""Each websocket event (a call of a State's handler) gets a request id, and the signed-in
user's id, in the log context, as each HTTP request does (api/request_log.py): a line that a
handler logs can be tied to its event and to who sent it.

Reflex 0.10 runs every event in an asyncio task of its own and awaits the app's middleware in
that task just before the handler (background handlers too), so what is set here lasts exactly
as long as the event and needs no reset. The user's id is the one the tab was signed in as
(looked up once per tab and sign-in, kept in AuthState._user_id): a database query on every
keystroke's event would cost more than the line it labels.
"""

import asyncio
import uuid

from reflex.middleware import Middleware
from sqlalchemy.exc import SQLAlchemyError

from billing_app import log_setup
from billing_app.auth.sessions import session_user
from billing_app.db import session_scope
from billing_app.ui.states.auth import AuthState


class EventLogContext(Middleware):
    async def preprocess(self, app, state, event):
        log_setup.request_id.set(uuid.uuid4().hex)
        auth = await state.get_state(AuthState)
        token = auth._session_token()
        if token and not auth._user_id:
            auth._user_id = await asyncio.to_thread(_user_id, token) or ""
        log_setup.user_id.set(auth._user_id or None)
        return None


def _user_id(token: str) -> str | None:
    try:
        with session_scope() as db:
            user = session_user(db, token)
    except SQLAlchemyError:  # a detail of the logs must not fail the event; its handler will say
        return None
    return str(user.id) if user else None
