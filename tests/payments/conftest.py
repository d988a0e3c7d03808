"""Payment tests reuse the invoice fixtures: a company, a customer and issued invoices."""

from tests.invoices.conftest import company, customer, issued, rates  # noqa: F401
