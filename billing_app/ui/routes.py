"""Every page of the dashboard: its route, title, navigation entry and the action it needs."""

import re
from dataclasses import dataclass
from functools import cached_property

from billing_app.auth.permissions import Action

LOGIN = "/login"
LOGIN_CODE = "/login/code"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"
NOT_ALLOWED = "/not-allowed"


@dataclass(frozen=True)
class PageSpec:
    route: str  # may hold [param] segments, e.g. /clients/[client_id]
    title: str
    action: Action  # the permission a user needs to open the page
    icon: str = "circle"
    in_nav: bool = True

    @cached_property
    def pattern(self) -> re.Pattern:
        return re.compile("^" + re.sub(r"\\\[\w+\\\]", r"[^/]+", re.escape(self.route)) + "$")


HOME = PageSpec("/", "Home", Action.DASHBOARD_VIEW, icon="layout-dashboard")
CLIENTS = PageSpec("/clients", "Clients", Action.CLIENTS_READ, icon="building-2")
CLIENT_NEW = PageSpec("/clients/new", "New client", Action.CLIENTS_WRITE, in_nav=False)
CLIENT = PageSpec("/clients/[client_id]", "Client", Action.CLIENTS_READ, in_nav=False)
INVOICES = PageSpec("/invoices", "Invoices", Action.INVOICES_READ, icon="file-text")
INVOICE_NEW = PageSpec("/invoices/new", "New invoice", Action.INVOICES_WRITE, in_nav=False)
INVOICE = PageSpec("/invoices/[invoice_id]", "Invoice", Action.INVOICES_READ, in_nav=False)
INVOICE_EDIT = PageSpec("/invoices/[invoice_id]/edit", "Edit invoice", Action.INVOICES_WRITE, in_nav=False)
PAYMENTS = PageSpec("/payments", "Payments", Action.PAYMENTS_READ, icon="banknote")
PAYMENT_NEW = PageSpec("/payments/new", "Record payment", Action.PAYMENTS_WRITE, in_nav=False)
PAYMENT = PageSpec("/payments/[payment_id]", "Payment", Action.PAYMENTS_READ, in_nav=False)
BANK = PageSpec("/bank", "Bank", Action.PAYMENTS_READ, icon="landmark")
BANK_IMPORT = PageSpec("/bank/import", "Import statement", Action.PAYMENTS_WRITE, in_nav=False)
BANK_REVIEW = PageSpec("/bank/review", "Review matches", Action.PAYMENTS_READ, in_nav=False)
PRODUCTS = PageSpec("/products", "Products", Action.INVOICES_READ, icon="package")
BULK_JOBS = PageSpec("/jobs", "Bulk jobs", Action.INVOICES_READ, icon="list-checks")
EMAILS = PageSpec("/emails", "Email log", Action.EMAILS_READ, icon="mail")
REPORTS = PageSpec("/reports", "Reports", Action.REPORTS_VIEW, icon="chart-column")
AGING = PageSpec("/reports/aging", "Aging", Action.REPORTS_VIEW, in_nav=False)
AGING_CLIENT = PageSpec("/reports/aging/[client_id]", "Aging of a client", Action.REPORTS_VIEW, in_nav=False)
REVENUE = PageSpec("/reports/revenue", "Revenue", Action.REPORTS_VIEW, in_nav=False)
TAX = PageSpec("/reports/tax", "Tax summary", Action.REPORTS_VIEW, in_nav=False)
DSO = PageSpec("/reports/dso", "DSO", Action.REPORTS_VIEW, in_nav=False)
FORECAST = PageSpec("/reports/forecast", "Cash-in forecast", Action.REPORTS_VIEW, in_nav=False)
MY_INVOICES = PageSpec("/my/invoices", "My invoices", Action.OWN_INVOICES_READ, icon="file-text")
MY_INVOICE = PageSpec("/my/invoices/[invoice_id]", "Invoice", Action.OWN_INVOICES_READ, in_nav=False)
USERS = PageSpec("/admin/users", "Users", Action.USERS_MANAGE, icon="users")
SETTINGS = PageSpec("/admin/settings", "Settings", Action.SETTINGS_MANAGE, icon="settings")
AUDIT = PageSpec("/admin/audit", "Audit log", Action.AUDIT_READ, icon="scroll-text")
ACCOUNT = PageSpec("/account", "Account", Action.OWN_ACCOUNT, in_nav=False)

GUARDED_PAGES: tuple[PageSpec, ...] = (
    HOME, CLIENTS, CLIENT_NEW, CLIENT, INVOICES, INVOICE_NEW, INVOICE, INVOICE_EDIT,
    PAYMENTS, PAYMENT_NEW, PAYMENT, BANK, BANK_IMPORT, BANK_REVIEW, PRODUCTS, BULK_JOBS, EMAILS, MY_INVOICES, MY_INVOICE,
    REPORTS, AGING, AGING_CLIENT, REVENUE, TAX, DSO, FORECAST,
    USERS, SETTINGS, AUDIT, ACCOUNT,
)


def page_for(path: str) -> PageSpec | None:
    """The page a browser path belongs to; static routes win over [param] routes."""
    path = "/" + path.strip("/")
    matches = [spec for spec in GUARDED_PAGES if spec.pattern.match(path)]
    matches.sort(key=lambda spec: "[" in spec.route)
    return matches[0] if matches else None


def nav_section(spec: PageSpec) -> PageSpec:
    """The navigation entry a page belongs to: itself, or the entry its route sits under."""
    if spec.in_nav:
        return spec
    parents = [nav for nav in GUARDED_PAGES
               if nav.in_nav and nav.route != "/" and spec.route.startswith(nav.route + "/")]
    return max(parents, key=lambda nav: len(nav.route), default=spec)
