"""The company that issues invoices: the one row other services read, and its public face."""

from datetime import date, datetime
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import BillingError
from billing_app.models.base import utcnow
from billing_app.models.company import Company
from billing_app.models.users import User

PUBLIC_LOGO_URL = "/api/v1/public/company/logo"
"""Where the API serves the logo; the public view points to it when a logo is set."""


def _logo_url(company: Company) -> str | None:
    """The logo's URL, which changes with the file so that browsers never show an old logo."""
    if not company.logo_path:
        return None
    return f"{PUBLIC_LOGO_URL}?v={PurePosixPath(company.logo_path).stem}"


def _company_or_none(session: Session) -> Company | None:
    return session.exec(select(Company).order_by(Company.id).limit(1)).first()


def current_company(session: Session) -> Company:
    """The single company row, for services that number, total or print documents.

    No permission check: callers have checked their own action already.
    """
    company = _company_or_none(session)
    if company is None:
        raise BillingError("The company is not set up yet.")
    return company


def company_ensure(session: Session) -> Company:
    """The company row, created with defaults ("My company", EUR, 30 days) on first start."""
    company = _company_or_none(session)
    if company is None:
        company = Company(name="My company")
        session.add(company)
        session.flush()
    return company


def company_today(session: Session, now: datetime | None = None) -> date:
    """Today's date where the company is (its time zone setting), at `now` or this moment.

    The one "today" of scheduled work (overdue marking, reminders): a UTC date would make an
    invoice overdue in the evening before its due date ends for a company west of Greenwich.
    """
    company = _company_or_none(session)
    zone = ZoneInfo(company.time_zone if company is not None else "UTC")
    return (now or utcnow()).astimezone(zone).date()


def company_settings(session: Session, *, actor: User) -> Company:
    """The full settings, tax id and contact details included, for the admin's settings page."""
    require(actor, Action.SETTINGS_MANAGE)
    return current_company(session)


class CompanyPublic(BaseModel):
    """What anyone may see without signing in: the name, postal address and logo."""

    name: str
    address_line1: str | None
    address_line2: str | None
    postal_code: str | None
    city: str | None
    country: str | None
    logo_url: str | None


def company_public(session: Session) -> CompanyPublic:
    company = current_company(session)
    return CompanyPublic(
        name=company.name,
        address_line1=company.address_line1,
        address_line2=company.address_line2,
        postal_code=company.postal_code,
        city=company.city,
        country=company.country,
        logo_url=_logo_url(company),
    )
