"""Celery tasks. Importing the package creates the configured app, so `.delay()` from the web
process or the CLI goes to the broker from the settings, not Celery's default."""

from billing_app.tasks.celery_app import celery_app

__all__ = ["celery_app"]
