"""Errors that services raise; their messages are written for the person using the product."""


class BillingError(Exception):
    """Base: a rule said no. The message is shown to the user as it is."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.detail = detail or message
        """The message without the field's name, for showing right next to that field."""


class ValidationFailed(BillingError):
    status_code = 422


class NotFound(BillingError):
    status_code = 404


class Conflict(BillingError):
    status_code = 409


class PermissionDenied(BillingError):
    status_code = 403


class NotAuthenticated(BillingError):
    status_code = 401


class TooManyRequests(BillingError):
    """Throttled: `retry_after` seconds until the next try can succeed."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServiceBusy(TooManyRequests):
    """Every slot of a scarce resource is taken; retrying soon works."""

    status_code = 503
