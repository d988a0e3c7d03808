"""Pure business rules: money, totals and document numbering. No database, no UI."""
