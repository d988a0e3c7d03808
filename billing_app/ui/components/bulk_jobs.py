"""Bulk jobs on screen: the invoice selection's actions, the jobs with their progress, and the
statement run's form."""

import reflex as rx

from billing_app.models.bulk import BulkJobKind
from billing_app.ui import routes
from billing_app.ui.components.downloads import download_link
from billing_app.ui.components.filters import date_filter, filter_row
from billing_app.ui.states.bulk_jobs import BulkJobsState

J = BulkJobsState
JOB_COLORS = {"queued": "gray", "running": "blue", "done": "green", "failed": "red"}


def selection_actions(start) -> rx.Component:
    """The buttons of the invoice list's selection bar; `start(kind)` is the list's handler."""
    return rx.hstack(
        rx.cond(J.can_send, rx.fragment(
            rx.button(rx.icon("send", size=14), "Send selected", size="1",
                      on_click=start(BulkJobKind.INVOICE_SEND.value)),
            rx.button(rx.icon("bell-ring", size=14), "Send reminder now", size="1", variant="soft",
                      on_click=start(BulkJobKind.REMINDER_SEND.value)),
        )),
        rx.button(rx.icon("file-archive", size=14), "Download PDFs (zip)", size="1", variant="soft",
                  on_click=start(BulkJobKind.PDF_ZIP.value)),
        spacing="2",
    )


def _failure(failure: dict) -> rx.Component:
    return rx.list_item(rx.text.strong(failure["target"]), ": ", failure["reason"])


def _job(job) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(job.title, weight="medium", size="2"),
                rx.match(job.status, *[(key, rx.badge(job.status_label, color_scheme=color,
                                                      variant="soft"))
                                       for key, color in JOB_COLORS.items()],
                         rx.badge(job.status_label, variant="soft")),
                rx.spacer(),
                rx.text("Started " + job.started, size="1", color_scheme="gray"),
                width="100%",
                align="center",
            ),
            rx.progress(value=job.percent, max=100, width="100%",
                        aria_label="Progress of " + job.title),
            rx.hstack(
                rx.text(job.progress, size="2", data_testid="job-progress"),
                rx.text(job.percent.to_string() + "%", size="2", weight="medium",
                        data_testid="job-percent"),
                rx.spacer(),
                rx.cond(job.download_href != "",
                        download_link("Download zip", job.download_href, size="1")),
                width="100%",
                align="center",
            ),
            rx.cond(job.error != "", rx.callout(job.error, icon="triangle-alert", color_scheme="red",
                                                size="1")),
            rx.cond(job.failures.length() > 0, rx.box(
                rx.text("Failed:", size="2", weight="medium"),
                rx.unordered_list(rx.foreach(job.failures, _failure), size="2"),
                rx.cond(job.more_failures != "", rx.text(job.more_failures, size="1",
                                                        color_scheme="gray")),
            )),
            spacing="2",
            width="100%",
        ),
        width="100%",
        role="region",
        aria_label="Bulk job " + job.id,
    )


def jobs_panel(*, latest: bool = False) -> rx.Component:
    """The signed-in user's recent bulk jobs, newest first, updating while one runs; `latest`
    shows only the newest few, with a link to the jobs page (for the lists' pages)."""
    header = rx.hstack(
        rx.heading("Bulk jobs", size="4"),
        rx.spacer(),
        *([rx.link("All bulk jobs", href=routes.BULK_JOBS.route, size="2")] if latest else []),
        width="100%",
        align="center",
    )
    jobs = J.latest_jobs if latest else J.jobs
    return rx.cond(
        jobs.length() > 0,
        rx.vstack(header, rx.foreach(jobs, _job), spacing="3", width="100%"),
        rx.cond(latest, rx.fragment(),
                rx.text("No bulk jobs yet. Select invoices on the invoice list to start one.",
                        color_scheme="gray")),
    )


def statement_run_form() -> rx.Component:
    """Email every client who owes something its account statement for a period."""
    return rx.cond(J.can_send, rx.card(
        rx.vstack(
            rx.heading("Statement run", size="4"),
            rx.text("Emails a PDF account statement to every client with an open balance.",
                    size="2", color_scheme="gray"),
            filter_row(
                date_filter("Statements from", "statement-from", J.statement_from,
                            lambda value: J.set_statement_date("statement_from", value),
                            J.date_errors.get("statement_from", "")),
                date_filter("Statements to", "statement-to", J.statement_to,
                            lambda value: J.set_statement_date("statement_to", value),
                            J.date_errors.get("statement_to", "")),
                rx.button(rx.icon("mails", size=16), "Email statements",
                          on_click=J.start_statement_run),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    ))
