"""A paged list with a search box, read on the server one page at a time."""

from typing import ClassVar

import reflex as rx

from billing_app.auth.permissions import Action, can
from billing_app.ui.states.in_thread import in_thread
from billing_app.ui.states.paging import Paging


class SearchList(Paging, mixin=True):
    """Mixed into an AuthState: say which actions read and write, and how to read one page."""

    rows: list[dict[str, str]] = []
    loading: bool = True
    can_write: bool = False
    search: str = ""

    read_action: ClassVar[Action]
    write_action: ClassVar[Action]

    def _read_page(self, db, actor) -> tuple[list[dict[str, str]], int]:
        """The rows of the page at self.offset, and how many rows match in all."""
        raise NotImplementedError

    def _reload(self):
        result, error = self._run(self.read_action, self._read_page, read_only=True)
        self.loading = False
        if error:
            return rx.toast.error(error.message)
        self.rows, self.total = result
        return None

    def _first_page(self):
        self.offset = 0
        return self._reload()

    @rx.event
    @in_thread
    def load(self):
        self.can_write = can(self.user_role, self.write_action)
        self.loading = True
        yield
        yield self._first_page()

    @rx.event
    @in_thread
    def set_search(self, value: str):
        self.search = str(value)[:100]
        return self._first_page()
