"""Reports for managers: SQL aggregates shaped with pandas; one function per report serves
the page, the exports and the API."""
