"""Emails are rendered from Jinja2 templates into the outbox, in the transaction of their cause;
a Celery task sends what is queued after commit."""

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session

from billing_app.models.messaging import EmailOutbox

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined,
                       autoescape=select_autoescape(["html"]), keep_trailing_newline=True)


def outbox_queue(session: Session, *, template: str, to_address: str, kind: str,
                 context: dict[str, Any], **links: int | None) -> EmailOutbox:
    """Render `<template>.subject.txt`, `.txt` and `.html` with `context` and queue the email.
    `links` are the outbox's foreign keys (invoice_id, payment_id)."""
    environment = _environment()
    subject = environment.get_template(f"{template}.subject.txt").render(context).strip()
    email = EmailOutbox(
        to_address=to_address, subject=subject, kind=kind,
        body_text=environment.get_template(f"{template}.txt").render(context),
        body_html=environment.get_template(f"{template}.html").render(context),
        **links,
    )
    session.add(email)
    return email
