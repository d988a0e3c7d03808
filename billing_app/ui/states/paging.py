import reflex as rx

from billing_app.ui.states.in_thread import in_thread


class Paging(rx.State, mixin=True):
    """Server-side paging: the page holds one page of rows, never the whole table."""

    offset: int = 0
    total: int = 0
    page_size: int = 25

    @rx.var
    def page_label(self) -> str:
        if self.total == 0:
            return "No rows"
        last = min(self.offset + self.page_size, self.total)
        return f"{self.offset + 1:,}–{last:,} of {self.total:,}"

    @rx.var
    def has_previous(self) -> bool:
        return self.offset > 0

    @rx.var
    def has_next(self) -> bool:
        return self.offset + self.page_size < self.total

    def _reload(self):
        raise NotImplementedError

    @rx.event
    @in_thread
    def next_page(self):
        if self.offset + self.page_size < self.total:
            self.offset += self.page_size
        return self._reload()

    @rx.event
    @in_thread
    def previous_page(self):
        self.offset = max(0, self.offset - self.page_size)
        return self._reload()
