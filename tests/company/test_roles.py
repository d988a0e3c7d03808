"""Who may do what: admins run the settings, accountants the catalogue, viewers only read."""

import pytest

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.errors import PermissionDenied
from billing_app.models.users import Role
from billing_app.queries.catalog import (
    product_choices,
    product_get,
    products_page,
    tax_rate_get,
    tax_rates_list,
)
from billing_app.queries.company import company_settings
from billing_app.services.company import company_update
from billing_app.services.logo import company_remove_logo
from billing_app.services.products import product_create, product_deactivate, product_update
from billing_app.services.tax_rates import tax_rate_create, tax_rate_deactivate, tax_rate_update
from tests.company.conftest import audit_count, unique
from tests.support.factories import make_user

ADMIN, ACCOUNTANT, VIEWER, CLIENT = Role.ADMIN, Role.ACCOUNTANT, Role.VIEWER, Role.CLIENT


@pytest.fixture
def catalogue(db, company):
    """A rate other than the default, and a product."""
    tax_rate_create(db, actor=SYSTEM_ACTOR, data={"name": unique("Default"), "rate": "20",
                                                  "is_default": True})
    rate = tax_rate_create(db, actor=SYSTEM_ACTOR, data={"name": unique("Rate"), "rate": "10"})
    product = product_create(db, actor=SYSTEM_ACTOR, data={"name": unique("Thing"), "unit_price": "5"})
    return rate, product


OPERATIONS = {
    "change settings": ({ADMIN}, lambda db, a, r, p: company_update(db, actor=a, data={"name": "X"})),
    "read settings": ({ADMIN}, lambda db, a, r, p: company_settings(db, actor=a)),
    "remove logo": ({ADMIN}, lambda db, a, r, p: company_remove_logo(db, actor=a)),
    "create tax rate": ({ADMIN}, lambda db, a, r, p: tax_rate_create(
        db, actor=a, data={"name": unique("New"), "rate": "3"})),
    "edit tax rate": ({ADMIN}, lambda db, a, r, p: tax_rate_update(
        db, actor=a, tax_rate_id=r.id, data={"description": "changed"})),
    "deactivate tax rate": ({ADMIN}, lambda db, a, r, p: tax_rate_deactivate(
        db, actor=a, tax_rate_id=r.id)),
    "create product": ({ADMIN, ACCOUNTANT}, lambda db, a, r, p: product_create(
        db, actor=a, data={"name": "New", "unit_price": "1"})),
    "edit product": ({ADMIN, ACCOUNTANT}, lambda db, a, r, p: product_update(
        db, actor=a, product_id=p.id, data={"unit_price": "6"})),
    "deactivate product": ({ADMIN, ACCOUNTANT}, lambda db, a, r, p: product_deactivate(
        db, actor=a, product_id=p.id)),
    "list tax rates": ({ADMIN, ACCOUNTANT, VIEWER}, lambda db, a, r, p: tax_rates_list(db, actor=a)),
    "read tax rate": ({ADMIN, ACCOUNTANT, VIEWER}, lambda db, a, r, p: tax_rate_get(
        db, actor=a, tax_rate_id=r.id)),
    "list products": ({ADMIN, ACCOUNTANT, VIEWER}, lambda db, a, r, p: products_page(db, actor=a)),
    "read product": ({ADMIN, ACCOUNTANT, VIEWER}, lambda db, a, r, p: product_get(
        db, actor=a, product_id=p.id)),
    "pick products": ({ADMIN, ACCOUNTANT, VIEWER}, lambda db, a, r, p: product_choices(db, actor=a)),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_each_role_may_do_exactly_what_the_permission_table_says(db, catalogue, role, operation):
    allowed, run = OPERATIONS[operation]
    actor = make_user(db, role)
    audits = audit_count(db)

    if role in allowed:
        run(db, actor, *catalogue)
    else:
        with pytest.raises(PermissionDenied):
            run(db, actor, *catalogue)
        assert audit_count(db) == audits


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_nobody_signed_in_may_do_anything(db, catalogue, operation):
    with pytest.raises(PermissionDenied, match="sign in"):
        OPERATIONS[operation][1](db, None, *catalogue)
