"""A searched list whose filters live in the URL's query string (?q=…&from=…&to=… and the
list's own), so a filtered list can be bookmarked, shared, or linked to from another page."""

import json
from urllib.parse import urlencode

import reflex as rx

from billing_app.auth.permissions import can
from billing_app.ui.states.date_filters import checked_date
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.listing import SearchList

DATE_PARAMS = {"date_from": "from", "date_to": "to"}  # state var -> query parameter


def choice(value, choices, default: str = "") -> str:
    """The value when it is one of the choices, else the default: any URL or event can be crafted."""
    return value if isinstance(value, str) and value in choices else default


class UrlFilters(SearchList, mixin=True):
    """Mixed into an AuthState like SearchList; the list adds its own filters through
    `_own_params` and `_take_params`, and calls `_refilter` when one of them changes."""

    date_from: str = ""
    date_to: str = ""
    date_errors: dict[str, str] = {}

    def _own_params(self) -> dict[str, str]:
        """The list's other filters as query parameters ("" for one that is not set)."""
        return {}

    def _take_params(self, params) -> None:
        """Set the list's other filters from the query parameters; any URL can be typed, so
        what is not one of the choices is dropped."""

    def _query_string(self) -> str:
        params = {"q": self.search, **{key: getattr(self, name) for name, key in DATE_PARAMS.items()},
                  **self._own_params()}
        query = urlencode({key: value for key, value in params.items() if value})
        return f"?{query}" if query else ""

    def _refilter(self):
        """Back to the first page of the new filters, and the filters into the address bar."""
        self.offset = 0
        self.loading = True
        yield
        yield self._reload()
        yield rx.call_script("window.history.replaceState(window.history.state, '', "
                             f"window.location.pathname + {json.dumps(self._query_string())})")

    @rx.event
    @in_thread
    def load(self):
        params = self.router.url.query_parameters
        self.can_write = can(self.user_role, self.write_action)
        self.search = params.get("q", "")[:100]
        self.date_errors = {}
        for name, key in DATE_PARAMS.items():
            text, _ = checked_date(params.get(key, ""), name, {})
            setattr(self, name, text or "")
        self._take_params(params)
        yield from self._refilter()

    @rx.event
    @in_thread
    def set_search(self, value: str):
        self.search = str(value)[:100]
        yield from self._refilter()

    @rx.event
    @in_thread
    def set_date(self, name: str, value: str):
        """A date filter; a date that is no date is explained and not applied."""
        if name not in DATE_PARAMS:
            return
        text, self.date_errors = checked_date(value, name, self.date_errors)
        if text is None:
            return
        setattr(self, name, text)
        yield from self._refilter()
