import json

import reflex as rx

from billing_app.auth.permissions import Action
from billing_app.queries.audit import audit_page
from billing_app.ui.states.auth import AuthState
from billing_app.ui.states.paging import Paging


class AuditState(Paging, AuthState):
    rows: list[dict[str, str]] = []
    loading: bool = True
    page_size: int = 50

    def _reload(self):
        def read(db, actor):
            rows, total = audit_page(db, actor=actor, offset=self.offset, limit=self.page_size)
            return [
                {
                    "at": row.at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    "actor": row.actor,
                    "action": row.action,
                    "entity": row.entity,
                    "details": json.dumps(row.details, sort_keys=True) if row.details else "",
                }
                for row in rows
            ], total

        result, error = self._run(Action.AUDIT_READ, read)
        self.loading = False
        if error is None:
            self.rows, self.total = result

    @rx.event
    def load(self):
        self.offset = 0
        self._reload()
