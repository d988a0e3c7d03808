"""The text of the type-to-search client picker (ui/components/client_picker.py): options
read "Name (#12)", and a text ending so picks that client."""

import re

from sqlmodel import Session

from billing_app.models.users import User
from billing_app.queries.clients import client_choices

MAX_TEXT = 250
_PICKED = re.compile(r"\(#(\d{1,9})\)\s*$")


def client_option(client_id: int, name: str) -> str:
    return f"{name} (#{client_id})"


def picked_client(text: str) -> int | None:
    """The id of the client the text names as an option does; None while still typing."""
    match = _PICKED.search(text)
    return int(match.group(1)) if match else None


def client_options(db: Session, actor: User, search: str = "") -> list[str]:
    """The options for what was typed so far (clients the actor may choose)."""
    return [client_option(client_id, name)
            for client_id, name in client_choices(db, actor=actor, search=search)]
