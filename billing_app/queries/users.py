"""Reads of users, shared by the admin UI and the API."""

from sqlalchemy import func, or_
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.models.clients import Client
from billing_app.models.users import User
from billing_app.queries.patterns import ESCAPE, like_escaped


def users_page(
    session: Session, *, actor: User, search: str = "", offset: int = 0, limit: int = 50
) -> tuple[list[tuple[User, str | None]], int]:
    """One page of users (with their client's name) and the total count, newest last."""
    require(actor, Action.USERS_MANAGE)
    condition = True
    if search.strip():
        pattern = f"%{like_escaped(search.strip().lower())}%"
        condition = or_(func.lower(User.name).like(pattern, escape=ESCAPE),
                        User.email.like(pattern, escape=ESCAPE))
    total = session.exec(select(func.count()).select_from(User).where(condition)).one()
    rows = session.exec(
        select(User, Client.name)
        .outerjoin(Client, Client.id == User.client_id)
        .where(condition)
        .order_by(User.name, User.id)
        .offset(offset)
        .limit(limit)
    ).all()
    return list(rows), total
