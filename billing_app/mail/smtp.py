"""Talking SMTP with the stdlib: the MIME message (text, HTML alternative, PDF attachments) and
one delivery, whose failure is sorted into transient (try again later: the server is down or
busy, a 4xx reply) and permanent (a 5xx reply: trying again would get the same answer)."""

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from billing_app.settings import Settings


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes


class DeliveryFailed(Exception):
    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.message, self.transient = message, transient


def message_build(*, sender: str, to: str, subject: str, text: str, html: str | None,
                  attachments: list[Attachment], message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(idstring=message_id, domain=sender.rpartition("@")[2] or None)
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for attachment in attachments:
        message.add_attachment(attachment.content, maintype="application", subtype="pdf",
                               filename=attachment.filename)
    return message


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def smtp_send(message: EmailMessage, settings: Settings) -> None:
    """Deliver `message` to the configured server; raise DeliveryFailed saying why not."""
    host, port, timeout = settings.smtp_host, settings.smtp_port, settings.smtp_timeout_seconds
    try:
        if settings.smtp_security == "tls":
            connection = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                          context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
        with connection:
            if settings.smtp_security == "starttls":
                connection.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                connection.login(settings.smtp_user, password)
            connection.send_message(message)
    except smtplib.SMTPRecipientsRefused as refused:
        replies = list(refused.recipients.values())
        raise DeliveryFailed("Recipient refused: " + "; ".join(_reply(*r) for r in replies),
                             transient=all(400 <= code < 500 for code, _ in replies)) from None
    except smtplib.SMTPResponseException as error:  # sender refused, data refused, auth ...
        raise DeliveryFailed(f"The mail server answered {_reply(error.smtp_code, error.smtp_error)}",
                             transient=400 <= error.smtp_code < 500) from None
    except smtplib.SMTPServerDisconnected as error:
        raise DeliveryFailed(f"The mail server {host}:{port} hung up: {error}",
                             transient=True) from None
    except smtplib.SMTPException as error:  # e.g. STARTTLS not offered: a setting to fix
        raise DeliveryFailed(f"The mail server cannot be used as set up: {error}",
                             transient=False) from None
    except OSError as error:  # refused, timeout, TLS, DNS (SMTPException is an OSError too)
        raise DeliveryFailed(f"Could not reach the mail server {host}:{port}: {error}",
                             transient=True) from None
