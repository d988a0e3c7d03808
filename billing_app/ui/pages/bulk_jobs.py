"""Bulk jobs: the signed-in user's recent jobs with their progress and results, and the
statement run."""

import reflex as rx

from billing_app.ui import routes
from billing_app.ui.components.bulk_jobs import jobs_panel, statement_run_form
from billing_app.ui.layout.page import private_page
from billing_app.ui.states.bulk_jobs import BulkJobsState


@private_page(routes.BULK_JOBS, on_load=[BulkJobsState.load])
def bulk_jobs_page() -> rx.Component:
    return rx.vstack(statement_run_form(), jobs_panel(), spacing="5", width="100%")
