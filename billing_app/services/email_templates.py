"""An admin's edits of the email templates (Settings > Email templates). A template is saved only
if it renders with its sample context in the sandbox, so a broken one never reaches a client."""

from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import ValidationFailed
from billing_app.mail.templates_store import RenderedEmail, TemplateSource, template_check
from billing_app.models.base import utcnow
from billing_app.models.messaging import EmailTemplate
from billing_app.models.users import User
from billing_app.services.audit import audit_record

MAX_SUBJECT = EmailTemplate.__table__.c.subject.type.length


def email_template_preview(*, actor: User, key: str, subject: str, body_text: str,
                           body_html: str) -> RenderedEmail:
    """The email as this template would write it for the sample; ValidationFailed (with the
    part as its field) if it does not render."""
    require(actor, Action.SETTINGS_MANAGE)
    return template_check(key, TemplateSource(subject, body_text, body_html, edited=True))


def email_template_save(session: Session, *, actor: User, key: str, subject: str,
                        body_text: str, body_html: str) -> EmailTemplate:
    if len(subject) > MAX_SUBJECT:
        raise ValidationFailed(f"Keep the subject under {MAX_SUBJECT} characters.", field="subject")
    email_template_preview(actor=actor, key=key, subject=subject, body_text=body_text,
                           body_html=body_html)
    row = session.exec(select(EmailTemplate).where(EmailTemplate.key == key)
                       .with_for_update()).first() or EmailTemplate(key=key)
    row.subject, row.body_text, row.body_html = subject, body_text, body_html
    row.updated_at, row.updated_by_id = utcnow(), actor.id
    session.add(row)
    session.flush()
    audit_record(session, actor=actor, action="email_template.save", entity_type="email_template",
                 entity_id=key, details={"subject": subject})
    return row


def email_template_reset(session: Session, *, actor: User, key: str) -> None:
    """Back to the default: the admin's row is removed."""
    require(actor, Action.SETTINGS_MANAGE)
    row = session.exec(select(EmailTemplate).where(EmailTemplate.key == key)).first()
    if row is not None:
        session.delete(row)
        session.flush()
        audit_record(session, actor=actor, action="email_template.reset",
                     entity_type="email_template", entity_id=key)
