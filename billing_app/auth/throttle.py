"""Counting attempts: failed sign-ins per account and per address, API requests per user
and per address.

Counters live in Redis when REDIS_URL is set (shared by every process), in memory otherwise.
Limits are tiers in the `limits` notation ("5/minute;10/15 minutes;20/day"): an attempt waits
until every tier has room again, so each exhausted tier makes the next wait longer, and the
last one is the lockout (OWASP Authentication Cheat Sheet).
"""

import math
import time
from dataclasses import dataclass
from functools import lru_cache

from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from billing_app.settings import get_settings

_ACCOUNT = "signin-account"
_ADDRESS = "signin-ip"
_API_ADDRESS = "api-ip"
_API_USER = "api-user"
_RESET_ACCOUNT = "reset-account"
_RESET_ADDRESS = "reset-ip"


@lru_cache
def _storage(url: str) -> Storage:
    return storage_from_string(url)


def limits_storage() -> Storage:
    """The counters' store: Redis when configured (shared by all processes), else this process."""
    return _storage(get_settings().redis_url or "memory://")


def _limiter() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(limits_storage())


@lru_cache
def _tiers(text: str) -> tuple[RateLimitItem, ...]:
    return tuple(parse_many(text))


def _wait(limiter: MovingWindowRateLimiter, tiers: tuple[RateLimitItem, ...], *key: str) -> int:
    """Seconds until every tier has room for one more hit (0: now)."""
    now = time.time()
    waits = [limiter.get_window_stats(tier, *key).reset_time - now
             for tier in tiers if not limiter.test(tier, *key)]
    return max(1, math.ceil(max(waits))) if waits else 0


@dataclass(frozen=True)
class Failure:
    locked: bool
    """This failure used up the account's last tier: the account is now locked out."""


def sign_in_wait(email: str, ip_address: str | None) -> int:
    """Seconds the next sign-in for this account or from this address must wait (0: go ahead).

    Without an address (a password change inside a session) only the account counts.
    """
    settings, limiter = get_settings(), _limiter()
    account = _wait(limiter, _tiers(settings.login_account_limits), _ACCOUNT, email)
    if ip_address is None:
        return account
    return max(account, _wait(limiter, _tiers(settings.login_ip_limits), _ADDRESS, ip_address))


def sign_in_failed(email: str, ip_address: str | None) -> Failure:
    """Count a failed sign-in against the account (known or not) and the address, if any."""
    settings, limiter = get_settings(), _limiter()
    if ip_address is not None:
        for tier in _tiers(settings.login_ip_limits):
            limiter.hit(tier, _ADDRESS, ip_address)
    account_tiers = _tiers(settings.login_account_limits)
    for tier in account_tiers:
        limiter.hit(tier, _ACCOUNT, email)
    return Failure(locked=not limiter.test(account_tiers[-1], _ACCOUNT, email))


def sign_in_succeeded(email: str) -> None:
    """The right password ends the account's count; the address keeps its own (spraying)."""
    limiter = _limiter()
    for tier in _tiers(get_settings().login_account_limits):
        limiter.clear(tier, _ACCOUNT, email)


def api_request_wait(ip_address: str | None, user_id: str | None) -> int:
    """Count one API request; seconds to wait if it is over the address's or the user's limit."""
    settings, limiter = get_settings(), _limiter()
    checks = []
    if ip_address is not None:
        checks.append((_tiers(settings.api_ip_limits), (_API_ADDRESS, ip_address)))
    if user_id is not None:
        checks.append((_tiers(settings.api_user_limits), (_API_USER, user_id)))
    refused = [(tiers, key) for tiers, key in checks
               if not all([limiter.hit(tier, *key) for tier in tiers])]
    return max((_wait(limiter, tiers, *key) for tiers, key in refused), default=0)


def _hit_all(limiter: MovingWindowRateLimiter, tiers: tuple[RateLimitItem, ...], *key: str) -> bool:
    """Count one hit in every tier; False if any of them was full."""
    return all([limiter.hit(tier, *key) for tier in tiers])


def password_reset_wait(ip_address: str | None) -> int:
    """Count one reset request from this address; seconds to wait if it is over the limit."""
    if ip_address is None:
        return 0
    limiter, tiers = _limiter(), _tiers(get_settings().password_reset_ip_limits)
    if _hit_all(limiter, tiers, _RESET_ADDRESS, ip_address):
        return 0
    return _wait(limiter, tiers, _RESET_ADDRESS, ip_address)


def password_reset_email_allowed(email: str) -> bool:
    """Count one reset email for this account; False once it had its share (no mail bombing)."""
    return _hit_all(_limiter(), _tiers(get_settings().password_reset_account_limits),
                    _RESET_ACCOUNT, email)
