"""The client list: one page of clients, searched, filtered and sorted on the server."""

from typing import ClassVar

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.domain.money import format_money
from billing_app.queries.clients import ClientRow, clients_page
from billing_app.ui import routes
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.links import href
from billing_app.ui.states.listing import SearchList

KIND_FILTERS = {"all": None, "company": "company", "individual": "individual"}
SHOW_FILTERS = {"active": False, "archived": True, "all": None}
SORT_OPTIONS = [("name", "Name A–Z"), ("-name", "Name Z–A"),
                ("-outstanding", "Outstanding high–low"), ("-created", "Newest")]
KIND_LABELS = {"company": "Company", "individual": "Individual"}


def client_view(row: ClientRow) -> dict[str, str]:
    return {
        "id": str(row.id),
        "href": href(routes.CLIENT, client_id=row.id),
        "name": row.name,
        "kind": KIND_LABELS.get(str(row.kind), str(row.kind)),
        "email": row.email or "",
        "tax_id": row.tax_id or "",
        "archived": "yes" if row.is_archived else "",
        "outstanding": format_money(row.outstanding, row.currency),
        "overdue": format_money(row.overdue, row.currency) if row.overdue else "",
    }


class ClientsState(SearchList, AuthState):
    read_action: ClassVar[Action] = Action.CLIENTS_READ
    write_action: ClassVar[Action] = Action.CLIENTS_WRITE

    kind: str = "all"
    show: str = "active"
    has_overdue: bool = False
    sort: str = "name"

    def _read_page(self, db, actor):
        rows, total = clients_page(
            db, actor=actor, search=self.search, kind=KIND_FILTERS[self.kind],
            archived=SHOW_FILTERS[self.show], has_overdue=True if self.has_overdue else None,
            sort=self.sort, offset=self.offset, limit=self.page_size,
        )
        return [client_view(row) for row in rows], total

    @rx.event
    @in_thread
    def set_kind(self, value: str):
        self.kind = value if value in KIND_FILTERS else "all"
        return self._first_page()

    @rx.event
    @in_thread
    def set_show(self, value: str):
        self.show = value if value in SHOW_FILTERS else "active"
        return self._first_page()

    @rx.event
    @in_thread
    def set_has_overdue(self, value: bool):
        self.has_overdue = value is True
        yield  # tick the box now; the list follows
        yield self._first_page()

    @rx.event
    @in_thread
    def set_sort(self, value: str):
        self.sort = value if value in dict(SORT_OPTIONS) else "name"
        return self._first_page()
