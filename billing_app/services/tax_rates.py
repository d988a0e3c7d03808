"""Tax rates: the percentages invoice lines are taxed with; exactly one of them is the default."""

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import func
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.errors import Conflict
from billing_app.models.company import TaxRate
from billing_app.models.invoices import InvoiceLineTax
from billing_app.models.users import User
from billing_app.queries.catalog import tax_rate_by_id
from billing_app.models.inputs import optional_text, text
from billing_app.services.records import (
    save_changes,
    save_new,
    set_active,
    validated_update,
    value_taken,
)
from billing_app.services.validation import validated

RATE_DECIMALS = 4


def _rate_decimals(value: Decimal) -> Decimal:
    if value.normalize().as_tuple().exponent < -RATE_DECIMALS:
        raise ValueError(f"A rate has at most {RATE_DECIMALS} decimals.")
    return value


class TaxRateIn(BaseModel):
    """The tax rate form. On update, fields left out keep their current value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: text(100)
    rate: Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False), AfterValidator(_rate_decimals)]
    description: optional_text(300) = None
    is_default: bool = False


def _check_name_free(session: Session, name: str, exclude_id: int | None = None) -> None:
    if value_taken(session, TaxRate.name, name, exclude_id=exclude_id):
        raise Conflict("A tax rate with this name already exists.", field="name")


def _current_default(session: Session) -> TaxRate | None:
    return session.exec(select(TaxRate).where(TaxRate.is_default)).first()


def _clear_default(session: Session) -> int | None:
    """Take the default flag from the current default rate; its id, if there was one."""
    current = _current_default(session)
    if current is None:
        return None
    current.is_default = False
    session.add(current)
    session.flush()  # before the new default is set: the database allows one default only
    return current.id


def _is_used(session: Session, tax_rate_id: int) -> bool:
    used = select(func.count()).select_from(InvoiceLineTax).where(
        InvoiceLineTax.tax_rate_id == tax_rate_id)
    return session.exec(used).one() > 0


def tax_rate_create(session: Session, *, actor: User, data: dict) -> TaxRate:
    """A new active rate; the first rate, or one marked as default, becomes the default."""
    require(actor, Action.SETTINGS_MANAGE)
    payload = validated(TaxRateIn, data)
    _check_name_free(session, payload.name)
    previous_default = None
    if payload.is_default or _current_default(session) is None:
        previous_default = _clear_default(session)
        payload.is_default = True
    rate = TaxRate(**payload.model_dump())
    save_new(session, actor=actor, row=rate, entity_type="tax_rate",
             details={"name": rate.name, "rate": str(rate.rate), "is_default": rate.is_default,
                      "previous_default_id": previous_default})
    return rate


def tax_rate_update(session: Session, *, actor: User, tax_rate_id: int, data: dict) -> TaxRate:
    """Rename, describe, change the percentage of an unused rate, or make the rate the default."""
    require(actor, Action.SETTINGS_MANAGE)
    rate = tax_rate_by_id(session, tax_rate_id)
    payload = validated_update(TaxRateIn, rate, data)
    _check_name_free(session, payload.name, exclude_id=rate.id)
    if payload.rate != rate.rate and _is_used(session, rate.id):
        raise Conflict(
            "This rate is on invoices already, so its percentage cannot change. "
            "Create a new rate and deactivate this one.", field="rate")
    previous_default = None
    if payload.is_default and not rate.is_default:
        if not rate.is_active:
            raise Conflict("Activate this rate before making it the default.", field="is_default")
        previous_default = _clear_default(session)
    elif rate.is_default and not payload.is_default:
        raise Conflict("There is always one default rate: make another rate the default instead.",
                       field="is_default")
    save_changes(session, actor=actor, row=rate, payload=payload, entity_type="tax_rate",
                 details={"previous_default_id": previous_default})
    return rate


def tax_rate_deactivate(session: Session, *, actor: User, tax_rate_id: int) -> TaxRate:
    """Offer the rate no more; invoices that use it keep it."""
    require(actor, Action.SETTINGS_MANAGE)
    rate = tax_rate_by_id(session, tax_rate_id)
    if rate.is_default:
        raise Conflict("Make another rate the default before deactivating this one.")
    set_active(session, actor=actor, row=rate, active=False, entity_type="tax_rate")
    return rate


def tax_rate_activate(session: Session, *, actor: User, tax_rate_id: int) -> TaxRate:
    require(actor, Action.SETTINGS_MANAGE)
    rate = tax_rate_by_id(session, tax_rate_id)
    set_active(session, actor=actor, row=rate, active=True, entity_type="tax_rate")
    return rate
