"""Each exportable report and list as a Table, from the same query parameters its page keeps
in its address. The reports are small once aggregated and are read at once; the lists stream
from a server-side cursor in a session of their own (the request's ends before the body is
sent). Every builder checks the actor's permission before anything is streamed."""

from collections.abc import Callable, Iterator, Mapping
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from billing_app.db import session_scope
from billing_app.errors import NotFound
from billing_app.exports.tables import Column, Kind, Table
from billing_app.models.users import User
from billing_app.queries.audit import SYSTEM, AuditFilter, audit_export_query
from billing_app.queries.invoices.listing import invoices_export_query
from billing_app.queries.payments import client_statement, payments_export_query
from billing_app.reports.aging import aging_report
from billing_app.reports.dso import dso_history
from billing_app.reports.forecast import cash_forecast
from billing_app.reports.params import aging_options, months_back, param_date, param_id, period
from billing_app.reports.revenue import revenue_report
from billing_app.reports.tax import TaxPeriod, tax_summary

STREAM_ROWS = 2000
Params = Mapping[str, str]
MONEY, DATE, NUMBER = Kind.MONEY, Kind.DATE, Kind.NUMBER


def _columns(*spec) -> tuple[Column, ...]:
    return tuple(Column(title, kind) for title, kind in spec)


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return getattr(bind, "engine", bind)


def _streamed(engine: Engine, statement) -> Callable[[], Iterator[tuple]]:
    """Rows of `statement` from a server-side cursor, STREAM_ROWS at a time."""

    def rows() -> Iterator[tuple]:
        with session_scope(engine) as session:
            result = session.connection().execution_options(yield_per=STREAM_ROWS).execute(statement)
            for partition in result.partitions():
                yield from (tuple(row) for row in partition)

    return rows


def aging_table(session: Session, actor: User, params: Params, today: date) -> Table:
    report = aging_report(session, actor=actor, options=aging_options(params, today=today))
    rows = [(r.client_name, r.currency, *r.buckets, r.total, r.invoice_count) for r in report.rows]
    rows += [(f"Total {t.currency}", t.currency, *t.buckets, t.total, t.invoice_count)
             for t in report.totals]
    columns = _columns(("Client", Kind.TEXT), ("Currency", Kind.TEXT),
                       *[(label, MONEY) for label in report.labels], ("Total", MONEY),
                       ("Invoices", NUMBER))
    return Table(f"aging-{report.options.as_of.isoformat()}", columns, lambda: rows)


def revenue_table(session: Session, actor: User, params: Params, today: date) -> Table:
    start, end = period(params, today=today)
    report = revenue_report(session, actor=actor, start=start, end=end)
    rows = [(m.month, m.currency, m.invoiced, m.credited, m.net_invoiced, m.net_of_tax, m.collected)
            for m in report.months]
    columns = _columns(("Month", DATE), ("Currency", Kind.TEXT), ("Invoiced", MONEY),
                       ("Credit notes", MONEY), ("Net invoiced", MONEY), ("Net of tax", MONEY),
                       ("Collected", MONEY))
    return Table(f"revenue-{start}-{end}", columns, lambda: rows)


def tax_table(session: Session, actor: User, params: Params, today: date) -> Table:
    start, end = period(params, today=today)
    chosen = params.get("period") if params.get("period") in TaxPeriod.__members__.values() else "month"
    summary = tax_summary(session, actor=actor, start=start, end=end, period=chosen)
    rows = [(t.period, t.currency, t.rate, t.base, t.tax) for t in summary.lines]
    columns = _columns(("Period start", DATE), ("Currency", Kind.TEXT), ("Rate %", NUMBER),
                       ("Taxable base", MONEY), ("Tax", MONEY))
    return Table(f"tax-{start}-{end}", columns, lambda: rows)


def dso_table(session: Session, actor: User, params: Params, today: date) -> Table:
    figures = dso_history(session, actor=actor, today=today, months=months_back(params))
    rows = [(f.day, f.currency, f.outstanding, f.overdue, f.open_invoices, f.invoiced_trailing,
             f.collected_trailing, f.dso) for f in figures]
    columns = _columns(("Day", DATE), ("Currency", Kind.TEXT), ("Outstanding", MONEY),
                       ("Overdue", MONEY), ("Open invoices", NUMBER), ("Invoiced in 90 days", MONEY),
                       ("Collected in 90 days", MONEY), ("DSO (days)", NUMBER))
    return Table(f"dso-{today}", columns, lambda: rows)


def forecast_table(session: Session, actor: User, params: Params, today: date) -> Table:
    forecast = cash_forecast(session, actor=actor, today=today)
    rows = [(w.currency, w.days, w.amount, w.invoice_count) for w in forecast.windows]
    columns = _columns(("Currency", Kind.TEXT), ("Expected within (days)", NUMBER),
                       ("Amount", MONEY), ("Invoices", NUMBER))
    return Table(f"cash-forecast-{today}", columns, lambda: rows)


def _optional_date(params: Params, name: str) -> date | None:
    return param_date(params, name, None) if params.get(name) else None


def invoices_table(session: Session, actor: User, params: Params, today: date) -> Table:
    statement = invoices_export_query(
        session, actor=actor, search=(params.get("q") or "")[:100], status=params.get("status") or None,
        client_id=param_id(params, "client"), date_from=_optional_date(params, "from"),
        date_to=_optional_date(params, "to"), overdue=True if params.get("overdue") == "1" else None,
        sort=params.get("sort") or "-issue_date", today=today)
    columns = _columns(("Number", Kind.TEXT), ("Client", Kind.TEXT), ("Issued", DATE), ("Due", DATE),
                       ("Status", Kind.TEXT), ("Currency", Kind.TEXT), ("Total", MONEY),
                       ("Paid", MONEY), ("Credited", MONEY), ("Late fees", MONEY),
                       ("Balance due", MONEY))
    return Table(f"invoices-{today}", columns, _streamed(_engine(session), statement))


def payments_table(session: Session, actor: User, params: Params, today: date) -> Table:
    statement = payments_export_query(
        session, actor=actor, search=(params.get("q") or "")[:100], client_id=param_id(params, "client"),
        status=params.get("status") or None, method=params.get("method") or None,
        date_from=_optional_date(params, "from"), date_to=_optional_date(params, "to"))
    columns = _columns(("Date", DATE), ("Client", Kind.TEXT), ("Reference", Kind.TEXT),
                       ("Method", Kind.TEXT), ("Status", Kind.TEXT), ("Currency", Kind.TEXT),
                       ("Amount", MONEY), ("Allocated", MONEY))
    return Table(f"payments-{today}", columns, _streamed(_engine(session), statement))


def statement_table(session: Session, actor: User, params: Params, today: date) -> Table:
    client_id = param_id(params, "client")
    if client_id is None:
        raise NotFound("Choose the client whose statement to export.")
    statement = client_statement(session, actor=actor, client_id=client_id,
                                 currency=(params.get("currency") or "").upper() or None,
                                 date_from=_optional_date(params, "from"),
                                 date_to=_optional_date(params, "to"))
    opening_day = _optional_date(params, "from")
    rows = [(opening_day, "opening balance", "", None, None, statement.opening_balance)]
    rows += [(e.on, e.kind.replace("_", " "), e.document, e.debit, e.credit, e.balance)
             for e in statement.entries]
    columns = _columns(("Date", DATE), ("Kind", Kind.TEXT), ("Document", Kind.TEXT),
                       ("Debit", MONEY), ("Credit", MONEY), (f"Balance ({statement.currency})", MONEY))
    return Table(f"statement-client-{client_id}-{statement.currency}", columns, lambda: rows)


def audit_table(session: Session, actor: User, params: Params, today: date) -> Table:
    columns = _columns(("At (UTC)", Kind.DATETIME), ("Who", Kind.TEXT), ("Action", Kind.TEXT),
                       ("Record", Kind.TEXT), ("Record id", Kind.TEXT), ("Details", Kind.TEXT))
    who = params.get("who") or ""
    filters = AuditFilter(
        actor_id=SYSTEM if who == str(SYSTEM) else param_id(params, "who"),
        action=(params.get("action") or "")[:60], entity_type=(params.get("type") or "")[:40],
        record=(params.get("q") or "")[:100], date_from=_optional_date(params, "from"),
        date_to=_optional_date(params, "to"))
    statement = audit_export_query(session, actor=actor, filters=filters)
    return Table(f"audit-log-{today}", columns, _streamed(_engine(session), statement))


EXPORTS: dict[str, Callable[[Session, User, Params, date], Table]] = {
    "aging": aging_table, "revenue": revenue_table, "tax": tax_table, "dso": dso_table,
    "forecast": forecast_table, "invoices": invoices_table, "payments": payments_table,
    "statement": statement_table, "audit": audit_table,
}


def export_table(session: Session, *, actor: User, name: str, params: Params, today: date) -> Table:
    builder = EXPORTS.get(name)
    if builder is None:
        raise NotFound(f"There is no export called {name!r}.")
    return builder(session, actor, params, today)
