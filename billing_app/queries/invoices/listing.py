"""The invoice list: one page, and the count and sums of everything the filters match.

Fast at a million invoices (bench/invoice_list_bench.py measures it):
- Values are written into the SQL (_inline), so PostgreSQL plans for them even once psycopg
  has prepared the statement; a generic plan for `lower(number) LIKE $1` cannot use the
  index and walks the whole table.
- Without a search, an index serves each filter and sort directly.
- A search (the start of the number, digits in it, part of the client's name) usually
  matches few invoices. The planner, hoping to meet them early, likes to walk the sort index
  and may read the whole table. So they are collected once (a BitmapOr of the number and
  client indexes, in a materialised CTE the planner cannot undo), counted and sorted. Only
  when more than SMALL_SET match does the page walk the sort index: it then meets them soon.
  A text in many clients' names ("GmbH") is matched by a hash of those clients instead
  (MANY_CLIENTS).
- The count and sums, a scan of the filtered set, are kept per filter until an invoice or
  client changes (totals_cache.py): a list read under load is one page query.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from sqlalchemy import ColumnElement, Table, and_, any_, func, literal, not_, or_
from sqlmodel import Session, select

from billing_app.domain.invoice_status import OPEN_STATUSES, OVERDUE, InvoiceStatus
from billing_app.errors import ValidationFailed
from billing_app.models.clients import Client
from billing_app.models.invoices import Invoice
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.queries.patterns import like_escaped
from billing_app.queries.dashboard import InvoiceRow
from billing_app.queries.invoices.detail import own_client_only
from billing_app.queries.invoices.totals_cache import cached_totals

MAX_PAGE = 200
MANY_CLIENTS = 300
"""A search whose text is in more clients' names than this finds their invoices through a hash
of the clients (a scan of the invoices), not client by client through the client index: a
BitmapOr of thousands of index scans took 500 ms for "GmbH" at 100k invoices, the hash 50."""
SMALL_SET = 5000
"""Up to this many matches of a search, the page is sorted from all of them (milliseconds)."""
SORTS = {f"{sign}{name}": (name, sign == "-")
         for name in ("issue_date", "number", "total", "due_date") for sign in ("", "-")}
"""Sort keys ("-" for descending) -> (column, descending); the id breaks ties."""
PAGE_COLUMNS = ("id", "number", "client_id", "issue_date", "due_date", "status", "currency",
                "total", "balance_due")
# Core columns: expressions on them build several times faster than on ORM attributes
INVOICES, CLIENTS = Invoice.__table__, Client.__table__
I, C = INVOICES.c, CLIENTS.c


@dataclass(frozen=True)
class CurrencySum:
    currency: str
    count: int
    total: Decimal
    balance_due: Decimal


@dataclass(frozen=True)
class InvoicePage:
    rows: list[InvoiceRow]
    total_count: int | None  # of the whole filtered set (None when not asked for)
    sums: list[CurrencySum]  # of the whole filtered set, by currency


@dataclass(frozen=True)
class _Filters:
    search: str
    statuses: tuple[InvoiceStatus, ...]
    client_id: int | None
    date_from: date | None
    date_to: date | None
    overdue: bool | None
    today: date
    issued_only: bool = False

    def conditions(self, *, bitmap: bool) -> list[ColumnElement[bool]]:
        """bitmap: the search's clients as an array, which a BitmapOr can combine with the
        number index (PostgreSQL); else as a subquery, which suits a walk down an index."""
        conditions = []
        if self.search:
            conditions.append(_search(self.search, bitmap=bitmap))
        if self.statuses:
            chosen = I.status.in_([_inline(s.value) for s in self.statuses])
            conditions.append(or_(chosen, _overdue(self.today)) if OVERDUE in self.statuses
                              else chosen)
        if self.client_id is not None:
            conditions.append(I.client_id == _inline(self.client_id))
        if self.issued_only:
            conditions.append(I.number.is_not(None))  # a discarded draft is cancelled, unnumbered
        if self.date_from is not None:
            conditions.append(I.issue_date >= _inline(self.date_from))
        if self.date_to is not None:
            conditions.append(I.issue_date <= _inline(self.date_to))
        if self.overdue is not None:
            conditions.append(_overdue(self.today) if self.overdue else not_(_overdue(self.today)))
        return conditions


def _run(session: Session, statement):
    """Core statements on Core columns go to the session's connection directly: the ORM's
    execution layer would only add time (a millisecond a page)."""
    return session.connection().execute(statement)


def _inline(value):
    """A value written into the SQL text instead of sent as a parameter (see above)."""
    return literal(value, literal_execute=True)


def _statuses(status: str | Sequence[str] | None) -> tuple[InvoiceStatus, ...]:
    values = [status] if isinstance(status, str) else list(status or ())
    try:
        return tuple(InvoiceStatus(value) for value in values)
    except ValueError:
        raise ValidationFailed("Choose a status from the list.", field="status") from None


def _overdue(today: date) -> ColumnElement[bool]:
    """Overdue, or open and past its due date before tonight's task marks it."""
    return or_(I.status == _inline(OVERDUE.value),
               and_(I.status.in_([_inline(s.value) for s in OPEN_STATUSES]),
                    I.due_date < _inline(today)))


def _search(search: str, *, bitmap: bool) -> ColumnElement[bool]:
    """The number starts with the text, in any case (a btree range); digits may also stand
    anywhere in it, "657" finding INV-2026-00657 (trigrams: selective for digits, unlike for
    the letters and year that all numbers share); or the client's name contains the text."""
    number = func.lower(I.number).like(_inline(f"{like_escaped(search.lower())}%"), escape="\\")
    if search.isdigit():
        number = or_(number, I.number.like(_inline(f"%{search}%")))
    named = _clients_named(search)
    if bitmap:
        return or_(number, I.client_id == any_(func.array(named.scalar_subquery())))
    return or_(number, I.client_id.in_(named))


def _clients_named(search: str):
    return select(C.id).where(C.name.ilike(_inline(f"%{like_escaped(search)}%"), escape="\\"))


def _bitmap_suits(session: Session, search: str) -> bool:
    """Whether to look the search's clients up as an array (see _Filters.conditions): on
    PostgreSQL, unless their names match many clients (MANY_CLIENTS)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    if not search:
        return True
    named = _clients_named(search).limit(MANY_CLIENTS + 1).subquery()
    return _run(session, select(func.count()).select_from(named)).scalar_one() <= MANY_CLIENTS


def invoices_page(
    session: Session, *, actor: User, search: str = "", status: str | Sequence[str] | None = None,
    client_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
    overdue: bool | None = None, sort: str = "-issue_date", offset: int = 0, limit: int = 25,
    today: date | None = None, totals: bool = True,
) -> InvoicePage:
    """One page of invoices and the count and sums of everything the filters match.

    search: the start of the number (digits: anywhere in it) or part of the client's name,
    in any case. status: one or several; "overdue" also matches open invoices already past
    due. overdue: True for those only, False for all others. Dates filter the issue date,
    both ends included. totals=False skips the count and sums (total_count None, sums []):
    for another page of the same filters, whose totals the first call gave.
    A client user gets only its own client's issued invoices, whatever client_id says.
    """
    own_client = own_client_only(actor)
    if own_client is not None:
        client_id = own_client
    if sort not in SORTS:
        raise ValidationFailed(f"Sort by one of: {', '.join(SORTS)}.", field="sort")
    if not (0 <= offset and 1 <= limit <= MAX_PAGE):
        raise ValidationFailed(f"Ask for 1 to {MAX_PAGE} rows from offset 0 on.", field="limit")
    filters = _Filters((search or "").strip(), _statuses(status), client_id, date_from, date_to,
                       overdue, today or company_today(session), issued_only=own_client is not None)
    bitmap = cache(lambda: _bitmap_suits(session, filters.search))  # asked only when needed
    sums = list(cached_totals(session, filters, lambda: tuple(
        _sums(session, filters.conditions(bitmap=bitmap()))))) if totals else []
    count = sum(s.count for s in sums) if totals else None
    rows = None
    if filters.search and (count is None or count <= SMALL_SET):
        rows = _page_of_few(session, filters.conditions(bitmap=bitmap()), sort, offset, limit,
                            capped=count is None)
    if rows is None:
        rows = _run(session, _page_query(INVOICES, filters.conditions(bitmap=False),
                                        sort, offset, limit)).all()
    return InvoicePage(rows=[InvoiceRow(*row) for row in rows], total_count=count, sums=sums)


def _page_query(source: Table, conditions: list[ColumnElement[bool]], sort: str, offset: int,
                limit: int, *extra: ColumnElement):
    """The page from `source`; the client's name is looked up for its rows only."""
    columns = source.c
    client_name = select(C.name).where(C.id == columns.client_id).scalar_subquery()
    name, descending = SORTS[sort]
    return (
        select(columns.id, columns.number, client_name, columns.issue_date, columns.due_date,
               columns.status, columns.currency, columns.total, columns.balance_due, *extra)
        .where(*conditions)
        .order_by(*(column.desc() if descending else column.asc()
                    for column in (columns[name], columns.id)))
        .offset(offset).limit(limit)
    )


def _page_of_few(session: Session, conditions: list[ColumnElement[bool]], sort: str,
                 offset: int, limit: int, *, capped: bool) -> list | None:
    """The page sorted from all the matches, collected once; capped (count unknown): None when
    more than SMALL_SET match, which one query tells along with the page."""
    matches = select(*(INVOICES.c[name] for name in PAGE_COLUMNS)).where(*conditions)
    matches = matches.limit(SMALL_SET + 1) if capped else matches
    matches = matches.cte("matches").prefix_with("MATERIALIZED")
    found = select(func.count()).select_from(matches).scalar_subquery()
    rows = _run(session, _page_query(matches, [], sort, offset, limit, found)).all()
    found = rows[0][-1] if rows else _found_past_the_end(session, conditions, offset)
    if capped and found > SMALL_SET:
        return None
    return [row[:-1] for row in rows]


def _found_past_the_end(session: Session, conditions: list[ColumnElement[bool]],
                        offset: int) -> int:
    """An empty page tells no count: how many match, counting no further than SMALL_SET + 1."""
    if offset == 0:
        return 0
    matches = select(I.id).where(*conditions).limit(SMALL_SET + 1).subquery()
    return _run(session, select(func.count()).select_from(matches)).scalar_one()


def _sums(session: Session, conditions: list[ColumnElement[bool]]) -> list[CurrencySum]:
    """Count and sums of the filtered set by currency: one aggregate, no join."""
    totals = (select(I.currency, func.count(), func.sum(I.total), func.sum(I.balance_due))
              .where(*conditions).group_by(I.currency).order_by(I.currency))
    return [CurrencySum(currency, count, Decimal(total), Decimal(balance))
            for currency, count, total, balance in _run(session, totals)]


EXPORT_COLUMNS = ("number", "client", "issue_date", "due_date", "status", "currency", "total",
                  "amount_paid", "amount_credited", "fees_total", "balance_due")


def invoices_export_query(
    session: Session, *, actor: User, search: str = "", status: str | Sequence[str] | None = None,
    client_id: int | None = None, date_from: date | None = None, date_to: date | None = None,
    overdue: bool | None = None, sort: str = "-issue_date", today: date | None = None,
):
    """Every invoice the list's filters match (as invoices_page reads them), in the list's
    order, as one statement for an export to stream (EXPORT_COLUMNS); never a page."""
    own_client = own_client_only(actor)
    if own_client is not None:
        client_id = own_client
    if sort not in SORTS:
        raise ValidationFailed(f"Sort by one of: {', '.join(SORTS)}.", field="sort")
    filters = _Filters((search or "").strip(), _statuses(status), client_id, date_from, date_to,
                       overdue, today or company_today(session), issued_only=own_client is not None)
    name, descending = SORTS[sort]
    client_name = select(C.name).where(C.id == I.client_id).scalar_subquery()
    return (
        select(I.number, client_name, I.issue_date, I.due_date, I.status, I.currency, I.total,
               I.amount_paid, I.amount_credited, I.fees_total, I.balance_due)
        .where(*filters.conditions(bitmap=_bitmap_suits(session, filters.search)))
        .order_by(*(column.desc() if descending else column.asc() for column in (I[name], I.id)))
    )
