"""Demo and benchmark data: `generate(engine, invoices=...)` fills an empty, migrated database.

Rows are built in Python in chunks and written in bulk (COPY on PostgreSQL) with ids given
up front; totals come from billing_app.domain.totals like everywhere else. The demo users
(admin@, accountant@, viewer@ and client@example.com) share the password in catalog.PASSWORD.
"""

from billing_app.demo.generate import generate

__all__ = ["generate"]
