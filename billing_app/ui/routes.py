"""Every page of the dashboard: its route, title, navigation entry and the action it needs."""

from dataclasses import dataclass

from billing_app.auth.permissions import Action

LOGIN = "/login"
NOT_ALLOWED = "/not-allowed"


@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str
    action: Action  # the permission a user needs to open the page
    icon: str = "circle"
    in_nav: bool = True


HOME = PageSpec("/", "Home", Action.DASHBOARD_VIEW, icon="layout-dashboard")
MY_INVOICES = PageSpec("/my/invoices", "My invoices", Action.OWN_INVOICES_READ, icon="file-text")
USERS = PageSpec("/admin/users", "Users", Action.USERS_MANAGE, icon="users")
AUDIT = PageSpec("/admin/audit", "Audit log", Action.AUDIT_READ, icon="scroll-text")

GUARDED_PAGES: tuple[PageSpec, ...] = (HOME, MY_INVOICES, USERS, AUDIT)


def page_for(path: str) -> PageSpec | None:
    path = "/" + path.strip("/")
    return next((spec for spec in GUARDED_PAGES if spec.route == path), None)
