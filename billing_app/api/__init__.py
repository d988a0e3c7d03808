"""The JSON API (/api/v1) and the browser sign-in routes, mounted into the Reflex app."""
