"""Pieces every report page shares: the row of links between the reports, the export
buttons, and a money table whose bucket columns come from the state."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.downloads import download_link

REPORT_PAGES = (routes.AGING, routes.REVENUE, routes.TAX, routes.DSO, routes.FORECAST)


def report_tabs(current: routes.PageSpec) -> rx.Component:
    """Links to the other reports; the current one is marked for screen readers too."""
    return rx.hstack(
        *[
            rx.button(rx.link(spec.title, href=spec.route, underline="none"), as_child=True,
                      variant="solid" if spec is current else "soft", size="2",
                      aria_current="page" if spec is current else None)
            for spec in REPORT_PAGES
        ],
        spacing="2",
        wrap="wrap",
        aria_label="Reports",
    )


def export_buttons(name: str, query, pdf: bool = False) -> rx.Component:
    """"Export CSV" and "Export XLSX" (and PDF) of the report as shown (its options in `query`)."""
    return rx.hstack(
        download_link("Export CSV", f"/exports/{name}.csv" + query, icon="file-text"),
        download_link("Export XLSX", f"/exports/{name}.xlsx" + query, icon="sheet"),
        *([download_link("Export PDF", f"/exports/{name}.pdf" + query)] if pdf else []),
        spacing="2",
    )


def report_error(message) -> rx.Component:
    return rx.cond(message != "", rx.callout(message, icon="triangle-alert", color_scheme="red",
                                             role="alert", width="100%"))


def list_export_buttons(name: str) -> rx.Component:
    """Export buttons of a list whose filters live in the page's address: the file follows
    the filters as they are at the click."""

    def button(label: str, fmt: str, icon: str) -> rx.Component:
        script = f"window.location.assign('/exports/{name}.{fmt}' + window.location.search)"
        return rx.button(rx.icon(icon, size=16), label, on_click=rx.call_script(script), variant="soft")

    return rx.hstack(button("Export CSV", "csv", "file-text"), button("Export XLSX", "xlsx", "sheet"),
                     spacing="2")
