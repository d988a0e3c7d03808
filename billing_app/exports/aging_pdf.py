"""The aging report as a PDF, printed with the documents module's renderer and stylesheet."""

from collections.abc import Mapping
from datetime import date

from sqlmodel import Session

from billing_app.documents.rendering import RenderedDocument, html_to_pdf, render_html, safe_filename
from billing_app.domain.money import format_money
from billing_app.models.users import User
from billing_app.queries.company import current_company
from billing_app.reports.aging import aging_report
from billing_app.reports.params import aging_options


def aging_pdf(session: Session, *, actor: User, params: Mapping[str, str], today: date) -> RenderedDocument:
    report = aging_report(session, actor=actor, options=aging_options(params, today=today))
    options = report.options

    def line(name, currency, buckets, total, total_row=False) -> dict:
        return {"client": name, "currency": currency, "total_row": total_row,
                "buckets": [format_money(b, currency) for b in buckets],
                "total": format_money(total, currency)}

    rows = [line(r.client_name, r.currency, r.buckets, r.total) for r in report.rows]
    rows += [line(f"Total {t.currency}", t.currency, t.buckets, t.total, True) for t in report.totals]
    filters = [f"aged by {options.basis.label.lower()}"]
    if options.currency:
        filters.append(f"{options.currency} only")
    if options.only_overdue:
        filters.append("overdue amounts only")
    if options.min_balance is not None:
        filters.append(f"clients owing at least {options.min_balance:f}")
    html = render_html("aging_report.html", {
        "company_name": current_company(session).name,
        "title": f"Accounts receivable aging as of {options.as_of.isoformat()}",
        "subtitle": "Open amounts after payments, credit notes and late fees dated up to that day; "
                    + ", ".join(filters) + ".",
        "labels": report.labels, "rows": rows,
    })
    return RenderedDocument(safe_filename("aging", options.as_of.isoformat()), html_to_pdf(html))
