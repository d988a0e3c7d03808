"""The one place settings are read: environment variables and an optional .env file."""

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from pydantic import Field, Json, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "change-me-in-production-this-is-only-for-local-demo"
MIN_SECRET_KEY_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'billing.db'}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... in production.",
    )
    redis_url: str | None = Field(
        default=None, description="Redis for Celery; without it an embedded SQLite broker is used."
    )
    state_redis_url: str | None = Field(
        default=None, description="Redis for the dashboard's per-tab state, so several web workers "
        "and replicas serve any user; unset: REDIS_URL with database 1, empty: kept in the one web "
        "process.")
    celery_visibility_timeout_seconds: int = Field(
        default=3600, description="Redis: a task held by a worker that died is delivered again "
        "after this long (task_acks_late); keep it longer than any task runs.")
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Where local files live.")

    app_port: int = Field(default=8000, description="Port of the dashboard (UI and API share it).")
    app_url: str = Field(default="http://localhost:8000", description="Public base URL.")

    environment: Literal["development", "production"] = Field(
        default="development", description="production refuses a weak SECRET_KEY and sends the "
        "session cookie as __Host-, Secure.")
    trusted_proxy_hops: int = Field(
        default=0, ge=0, le=5, description="How many proxies in front of the app add to "
        "X-Forwarded-For (1 behind compose's nginx). 0 trusts no header: the peer is the client.")
    secret_key: str = Field(
        default=DEFAULT_SECRET_KEY,
        description="Signs JWTs of the API. Set a long random value in production.",
    )
    session_idle_hours: float = Field(default=12, description="A UI session ends after this idle time.")
    session_cookie_name: str = "billing_session"
    cookie_secure: bool = Field(default=False, description="Send the session cookie over HTTPS only.")
    jwt_access_minutes: int = Field(default=15, description="Lifetime of an API access token.")
    jwt_refresh_days: int = Field(default=7, description="Lifetime of an API refresh token.")
    session_absolute_hours: float = Field(
        default=168,
        description="A UI session or API login ends this long after sign-in, used or not.")

    login_account_limits: str = Field(
        default="5/minute;10/15 minutes;20/day", description="Failed sign-ins allowed per account "
        "(limits notation); each exhausted window makes the next wait longer, the last is the "
        "lockout.")
    login_ip_limits: str = Field(
        default="30/minute;200/hour", description="Failed sign-ins allowed per client address.")
    password_reset_minutes: int = Field(
        default=30, ge=5, le=1440, description="How long a password reset link works.")
    password_reset_account_limits: str = Field(
        default="3/15 minutes;10/day", description="Reset emails sent per account; further "
        "requests get the same answer and no email.")
    password_reset_ip_limits: str = Field(
        default="20/hour", description="Password reset requests allowed per client address.")
    password_hash_concurrency: int = Field(
        default=4, ge=1, description="Password checks running at once (each takes 64 MiB).")
    password_hash_wait_seconds: float = Field(
        default=10, description="A sign-in waiting this long for a free password check gets 503.")
    api_ip_limits: str = Field(
        default="20000/minute", description="API requests allowed per client address "
        "(generous: an office shares one address, and so does the test suite).")
    api_user_limits: str = Field(
        default="10000/minute", description="API requests allowed per signed-in user.")
    max_json_body_bytes: int = Field(
        default=1_000_000, description="Largest request body of JSON and form routes "
        "(uploads are capped by their largest file).")
    max_webhook_body_bytes: int = Field(
        default=64_000, description="Largest payment gateway webhook body.")

    heartbeat_stale_seconds: int = Field(
        default=180, description="/api/v1/health calls the worker stale when its last heartbeat "
        "(a beat task every minute) is older than this.")

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Logs are JSON lines on stdout from this level on.")
    log_to_file: bool = Field(
        default=False, description="Also write them to DATA_DIR/logs/billing.log, rotated.")

    smtp_host: str = Field(default="localhost", description="Mail server the app sends through.")
    smtp_port: int = Field(default=1025, description="Its port (1025: the catcher of make run).")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        default="none", description="none, starttls (upgrade on port 587) or tls (port 465).")
    smtp_user: str | None = Field(default=None, description="Login at the mail server, if any.")
    smtp_password: SecretStr | None = Field(default=None, description="Its password.")
    smtp_timeout_seconds: float = Field(default=30, description="Give up on a silent server.")
    mail_from: str = "billing@example.com"
    mail_max_attempts: int = Field(default=6, description="Tries per email before it fails.")
    mail_retry_base_seconds: float = Field(
        default=60, description="Wait before the 2nd try; each further try waits twice as long.")
    mail_claim_timeout_seconds: float = Field(
        default=600, description="An email stuck in 'sending' this long (a dead worker) is retried.")

    gateway_secrets: Json[dict[str, SecretStr]] = Field(
        default="{}", description='Webhook signing secret per payment gateway, as JSON: '
                                  '{"stripe": "whsec_..."}. A gateway not named here, or '
                                  'with a secret shorter than 16 characters, gets 404.')

    @model_validator(mode="after")
    def _production_is_hardened(self) -> "Settings":
        """Outside development a guessable key would let anyone mint API tokens: refuse to start.

        The session cookie becomes `__Host-<name>` and Secure, so only HTTPS sends it and no
        sibling subdomain can set or shadow it.
        """
        if self.environment == "development":
            return self
        if self.secret_key == DEFAULT_SECRET_KEY or len(self.secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ValueError(f"SECRET_KEY must be a random value of at least "
                             f"{MIN_SECRET_KEY_LENGTH} characters outside development.")
        if not self.session_cookie_name.startswith("__Host-"):
            self.session_cookie_name = f"__Host-{self.session_cookie_name}"
        self.cookie_secure = True
        return self

    @property
    def web_state_redis_url(self) -> str | None:
        """Where Reflex keeps the state of each browser tab: its own Redis database, apart from
        Celery's queues, so clearing one never drops the other."""
        if self.state_redis_url is not None:
            return self.state_redis_url or None
        if not self.redis_url:
            return None
        parts = urlsplit(self.redis_url)
        if parts.scheme == "unix":  # a socket's path is the URL's path; the database is ?db=
            query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
            return f"unix://{parts.path}?{urlencode([*query, ('db', '1')])}"
        return parts._replace(path="/1").geturl()

    @property
    def celery_broker_url(self) -> str:
        if self.redis_url:
            return self.redis_url
        return f"sqla+sqlite:///{self.data_dir / 'celery-broker.sqlite'}"

    @property
    def celery_result_backend(self) -> str:
        if self.redis_url:
            return self.redis_url
        return f"db+sqlite:///{self.data_dir / 'celery-results.sqlite'}"


@lru_cache
def get_settings() -> Settings:
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings
