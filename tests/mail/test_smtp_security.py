"""The SMTP settings against a real aiosmtpd server: STARTTLS with a login, TLS from the
first byte, a wrong password and a server without STARTTLS (both fail at once)."""

import ssl
import subprocess
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from billing_app.mail.smtp import DeliveryFailed, message_build, smtp_send
from billing_app.settings import Settings
from tests.support.servers import free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for localhost, trusted through SSL_CERT_FILE."""
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
                    "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
                   check=True, capture_output=True)
    return folder / "cert.pem", folder / "key.pem"


class _Keep:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _login(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"mailer", b"s3cret")
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def server(certificate, monkeypatch):
    """start(**options) runs a server on localhost; all are stopped after the test."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    started = []

    def start(**options):
        handler, port = _Keep(), free_port()
        if options.pop("implicit_tls", False):  # aiosmtpd counts only STARTTLS as TLS for AUTH
            options.update(ssl_context=context, auth_require_tls=False)
        elif options.pop("starttls", False):
            options.update(tls_context=context, require_starttls=True)
        controller = Controller(handler, hostname="localhost", port=port,
                                authenticator=_login, **options)
        controller.start()
        started.append(controller)
        return handler, port

    yield start
    for controller in started:
        controller.stop()


def _send(port: int, security: str, password: str = "s3cret") -> None:
    settings = Settings(smtp_host="localhost", smtp_port=port, smtp_security=security,
                        smtp_user="mailer", smtp_password=password, smtp_timeout_seconds=10)
    smtp_send(message_build(sender="billing@example.com", to="ap@example.com", subject="Hi",
                            text="Hello\n", html=None, attachments=[], message_id="t.1"), settings)


@pytest.mark.parametrize(("security", "option"), [("starttls", "starttls"), ("tls", "implicit_tls")])
def test_a_login_over_starttls_or_tls_delivers(server, security, option):
    handler, port = server(**{option: True})
    _send(port, security)
    assert [m["Subject"] for m in handler.messages] == ["Hi"]


def test_a_wrong_password_fails_at_once_with_the_servers_answer(server):
    _, port = server(starttls=True)
    with pytest.raises(DeliveryFailed, match="535") as failed:
        _send(port, "starttls", password="wrong")
    assert not failed.value.transient


def test_starttls_asked_of_a_server_without_it_fails_as_a_setting_to_fix(server):
    _, port = server()
    with pytest.raises(DeliveryFailed, match="cannot be used as set up") as failed:
        _send(port, "starttls")
    assert not failed.value.transient
