"""The one place settings are read: environment variables and an optional .env file."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, Json, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=PROJECT_ROOT / ".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{PROJECT_ROOT / 'var' / 'billing.db'}",
        description="SQLAlchemy URL; SQLite file by default, postgresql+psycopg://... in production.",
    )
    redis_url: str | None = Field(
        default=None, description="Redis for Celery; without it an embedded SQLite broker is used."
    )
    data_dir: Path = Field(default=PROJECT_ROOT / "var", description="Where local files live.")

    app_port: int = Field(default=8000, description="Port of the dashboard (UI and API share it).")
    app_url: str = Field(default="http://localhost:8000", description="Public base URL.")

    secret_key: str = Field(
        default="change-me-in-production-this-is-only-for-local-demo",
        description="Signs JWTs of the API. Set a long random value in production.",
    )
    session_idle_hours: float = Field(default=12, description="A UI session ends after this idle time.")
    session_cookie_name: str = "billing_session"
    cookie_secure: bool = Field(default=False, description="Send the session cookie over HTTPS only.")
    jwt_access_minutes: int = Field(default=15, description="Lifetime of an API access token.")
    jwt_refresh_days: int = Field(default=7, description="Lifetime of an API refresh token.")

    smtp_host: str = "localhost"
    smtp_port: int = 1025
    mail_from: str = "billing@example.com"

    gateway_secrets: Json[dict[str, SecretStr]] = Field(
        default="{}", description='Webhook signing secret per payment gateway, as JSON: '
                                  '{"stripe": "whsec_..."}. A gateway not named here gets 404.')

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
