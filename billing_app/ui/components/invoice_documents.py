"""The invoice page's "Documents": download the invoice and its credit notes as PDFs, and
the "Sent PDFs", the exact files that were sent (kept, so a later template change never
alters them)."""

import reflex as rx

from billing_app.ui.components.downloads import download_anchor, download_link
from billing_app.ui.components.tables import data_table
from billing_app.ui.states.invoice_documents import InvoiceDocumentsState as S


def _sent_row(row: dict) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["at"]),
        rx.table.cell(row["kind"]),
        rx.table.cell(download_anchor(row["filename"], href=row["href"])),
        rx.table.cell(row["size"], text_align="right"),
        rx.table.cell(rx.code(row["sha256"]), title="SHA-256 of the file as it was sent"),
    )


def invoice_documents() -> rx.Component:
    """Filled by InvoiceDocumentsState.load_documents, which the invoice pages run on load."""
    return rx.cond(
        S.pdf_href != "",
        rx.vstack(
            rx.heading("Documents", size="4", as_="h2"),
            rx.hstack(
                download_link("Download PDF", S.pdf_href),
                rx.foreach(S.note_links, lambda link: download_link(link["label"], link["href"])),
                spacing="3",
                wrap="wrap",
            ),
            rx.heading("Sent PDFs", size="3", as_="h3"),
            data_table(["Sent", "Document", "File", "Size", "SHA-256"], S.sent_rows, _sent_row,
                       empty_text="No PDF has been sent yet."),
            spacing="3",
            width="100%",
        ),
    )
