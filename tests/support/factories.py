"""Small builders for test data, going through the real services."""

import itertools
import uuid

from sqlmodel import Session

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.models.clients import Client
from billing_app.models.users import Role, User
from billing_app.services.users import user_create

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def make_client(session: Session, name: str | None = None) -> Client:
    client = Client(name=name or f"Client {next(_counter)}", email="ap@example.com")
    session.add(client)
    session.flush()
    return client


def make_user(session: Session, role: Role | str, *, email: str | None = None,
              client_id: int | None = None) -> User:
    role = Role(role)
    if role == Role.CLIENT and client_id is None:
        client_id = make_client(session).id
    return user_create(
        session,
        actor=SYSTEM_ACTOR,
        email=email or f"{role.value}{next(_counter)}@example.com",
        name=f"Test {role.value.title()}",
        role=role,
        password=PASSWORD,
        client_id=client_id,
    )


def committed_user(engine, role: Role | str, prefix: str) -> str:
    """A new user of `role` committed for a live app to see; its email (prefix-<random>@...)."""
    email = f"{prefix}-{uuid.uuid4().hex[:8]}@example.com"
    with Session(engine) as session:
        make_user(session, role, email=email)
        session.commit()
    return email
