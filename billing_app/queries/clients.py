"""Reads of clients, shared by the UI, the API and other services.

Money figures are in the client's currency: invoices in another currency are left out of
them, and amounts come back rounded to that currency's minor unit.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Integer, and_, case, func, literal, literal_column, or_, outerjoin, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, select

from billing_app.auth.permissions import Action, require
from billing_app.domain.invoice_status import CANCELLED, DRAFT, OPEN_STATUSES, PAID
from billing_app.domain.money import quantize_money
from billing_app.errors import NotFound, ValidationFailed
from billing_app.models.clients import Address, Client, ClientKind, Contact
from billing_app.models.invoices import Invoice
from billing_app.models.payments import Payment
from billing_app.models.users import User
from billing_app.queries.company import company_today
from billing_app.queries.patterns import like_escaped
from billing_app.queries.invoices import InvoicePage, invoices_page

NOT_ISSUED = (DRAFT, CANCELLED)
SORTS = ("name", "-name", "outstanding", "-outstanding", "created", "-created")
ZERO = Decimal("0")
MAX_PAGE = 200


def _is_open():
    """Open invoices; the statuses are literals so PostgreSQL can match a partial index."""
    return Invoice.status.in_([literal_column(f"'{status.value}'") for status in OPEN_STATUSES])


def _money(amount, currency: str) -> Decimal:
    return quantize_money(Decimal(amount), currency)


def client_outstanding(session: Session, client_id: int) -> dict[str, Decimal]:
    """What the client still owes, per currency (sum of balance_due of open invoices).

    No permission check: a building block for services (invoice issue, credit limit, archive)
    that have already checked their actor. Do not expose it to an edge directly.
    """
    rows = session.exec(
        select(Invoice.currency, func.sum(Invoice.balance_due))
        .where(Invoice.client_id == client_id, _is_open())
        .group_by(Invoice.currency)
    ).all()
    return {currency: _money(amount, currency) for currency, amount in rows}


def _contains(search: str) -> str:
    escaped = like_escaped(search.strip())
    return f"%{escaped}%"


def _ilike(column, pattern: str):
    """Case-insensitive contains; served by the pg_trgm indexes on PostgreSQL."""
    return column.ilike(pattern, escape="\\")


def _paging(offset: int, limit: int) -> tuple[int, int]:
    if offset < 0 or not 1 <= limit <= MAX_PAGE:
        raise ValidationFailed(f"Ask for 1 to {MAX_PAGE} rows from a position of 0 or more.")
    return offset, limit


def _get_client(session: Session, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound("That client does not exist.")
    return client


# --- The client list --------------------------------------------------------------------------

@dataclass(frozen=True)
class ClientRow:
    id: int
    name: str
    kind: str
    email: str | None
    tax_id: str | None
    currency: str
    is_archived: bool
    outstanding: Decimal  # open invoices, in the client's currency
    overdue: Decimal  # the part of it past its due date


def _client_row(client_id, name, kind, email, tax_id, currency, is_archived, outstanding, overdue,
                *_) -> ClientRow:
    return ClientRow(client_id, name, kind, email, tax_id, currency, is_archived,
                     _money(outstanding, currency), _money(overdue, currency))


def _balances(today: date, client_ids=None):
    """Open and overdue balance per client and currency: one grouped pass over open invoices.

    `client_ids` (a select of ids) limits the pass to those clients, e.g. one page of them.
    """
    overdue = case((Invoice.due_date < today, Invoice.balance_due), else_=literal(ZERO))
    query = (
        select(
            Invoice.client_id.label("client_id"),
            Invoice.currency.label("currency"),
            func.sum(Invoice.balance_due).label("outstanding"),
            func.sum(overdue).label("overdue"),
        )
        .where(_is_open())
        .group_by(Invoice.client_id, Invoice.currency)
    )
    if client_ids is not None:
        query = query.where(Invoice.client_id.in_(client_ids))
    return query.subquery("balances")


def _search_ids(search: str):
    """Ids of clients whose name, email or tax id, or a contact's email, contains `search`."""
    pattern = _contains(search)
    return union(
        select(Client.id).where(or_(_ilike(Client.name, pattern), _ilike(Client.email, pattern),
                                    _ilike(Client.tax_id, pattern))),
        select(Contact.client_id).where(_ilike(Contact.email, pattern)),
    )


def _client_kind(kind: str) -> ClientKind:
    try:
        return ClientKind(kind)
    except ValueError:
        raise ValidationFailed("Choose company or individual.", field="kind") from None


def _ordering(clients, sort: str, outstanding=None):
    key = {"name": func.lower(clients.name), "outstanding": outstanding,
           "created": clients.created_at}[sort.lstrip("-")]
    return (key.desc(), clients.id.desc()) if sort.startswith("-") else (key, clients.id)


def _rows(clients, balances, sort: str):
    """The list's columns for `clients` joined to `balances` (zero without any), sorted."""
    outstanding = func.coalesce(balances.c.outstanding, literal(ZERO))
    overdue = func.coalesce(balances.c.overdue, literal(ZERO))
    joined = outerjoin(clients, balances, and_(balances.c.client_id == clients.id,
                                               balances.c.currency == clients.currency))
    query = (
        select(clients.id, clients.name, clients.kind, clients.email, clients.tax_id,
               clients.currency, clients.is_archived, outstanding, overdue)
        .select_from(joined)
        .order_by(*_ordering(clients, sort, outstanding))
    )
    return query, overdue


def clients_page(
    session: Session, *, actor: User, search: str = "", kind: str | None = None,
    archived: bool | None = False, has_overdue: bool | None = None, sort: str = "name",
    offset: int = 0, limit: int = 25, today: date | None = None,
) -> tuple[list[ClientRow], int]:
    """One page of clients with their open and overdue balance, and the number that match.

    search: contained in the name, email or tax id, or a contact's email (any case).
    archived: False = active only, True = archived only, None = both.
    has_overdue: True = only clients with an overdue balance, False = only those without.
    sort: name, created or outstanding; a leading "-" reverses it.
    """
    require(actor, Action.CLIENTS_READ)
    offset, limit = _paging(offset, limit)
    if sort not in SORTS:
        raise ValidationFailed(f"Sort by one of: {', '.join(SORTS)}.", field="sort")
    conditions, matches = [], None
    if search.strip():
        matches = select(_search_ids(search).cte("matches").c.id)
        conditions.append(Client.id.in_(matches))
    if kind is not None:
        conditions.append(Client.kind == _client_kind(kind))
    if archived is not None:
        conditions.append(Client.is_archived == archived)
    today = today or company_today(session)
    if matches is None and has_overdue is None and sort.lstrip("-") != "outstanding":
        return _page_then_balances(session, conditions, sort, offset, limit, today)
    balances = _balances(today, matches)  # a search narrows the pass to the clients it found
    return _balances_then_page(session, conditions, balances, has_overdue, sort, offset, limit)


def _page_then_balances(session, conditions, sort, offset, limit, today):
    """Without a search: take the page of clients by index, then sum only their balances."""
    total = session.exec(select(func.count()).select_from(Client).where(*conditions)).one()
    page = aliased(Client, select(Client).where(*conditions).order_by(*_ordering(Client, sort))
                   .offset(offset).limit(limit).cte("page"))
    query, _ = _rows(page, _balances(today, select(page.id)), sort)
    return [_client_row(*row) for row in session.exec(query)], total


def _balances_then_page(session, conditions, balances, has_overdue, sort, offset, limit):
    """Sort or filter by balance, or search: one query that also counts (the search runs once)."""
    query, overdue = _rows(Client, balances, sort)
    if has_overdue is not None:
        query = query.where(overdue > 0 if has_overdue else overdue == 0)
    query = query.where(*conditions)
    rows = session.exec(query.add_columns(func.count().over()).offset(offset).limit(limit)).all()
    if rows:
        total = rows[0][-1]
    else:  # past the last page, or nothing matches: count apart
        total = session.exec(select(func.count()).select_from(query.order_by(None).subquery())).one()
    return [_client_row(*row) for row in rows], total


def client_choices(
    session: Session, *, actor: User, search: str = "", limit: int = 20
) -> list[tuple[int, str]]:
    """(id, name) of active clients whose name contains `search`, by name, for pickers."""
    require(actor, Action.CLIENTS_READ)
    _, limit = _paging(0, limit)
    query = select(Client.id, Client.name).where(~Client.is_archived)
    if search.strip():
        query = query.where(_ilike(Client.name, _contains(search)))
    rows = session.exec(query.order_by(func.lower(Client.name), Client.id).limit(limit)).all()
    return [(client_id, name) for client_id, name in rows]


@dataclass(frozen=True)
class SameClient:
    id: int
    name: str
    field: str  # "name" or "tax_id": what is the same


def _squeezed(column):
    """The column's text in lower case without spaces, as same_clients compares it."""
    return func.replace(func.lower(column), " ", "")


def same_clients(session: Session, *, name: str, tax_id: str | None = None, limit: int = 5) -> list[SameClient]:
    """Clients (archived ones too) named the same, whatever the case and spaces, or with the
    same tax id; for the warning before a second one is made. No permission check: for the
    client services, which check."""
    def squeeze(text: str | None) -> str:
        return "".join((text or "").lower().split())

    same_name = _squeezed(Client.name) == squeeze(name)
    same_tax_id = _squeezed(Client.tax_id) == squeeze(tax_id) if squeeze(tax_id) else literal(False)
    rows = session.exec(select(Client.id, Client.name, same_name).where(or_(same_name, same_tax_id))
                        .order_by(Client.id).limit(limit)).all()
    return [SameClient(client_id, client_name, "name" if named else "tax_id")
            for client_id, client_name, named in rows]


# --- One client -------------------------------------------------------------------------------

class days_to_pay(FunctionElement):
    """Days from an invoice's issue date to the UTC date of its payment timestamp."""

    type = Integer()
    inherit_cache = True


@compiles(days_to_pay, "postgresql")
def _days_to_pay_postgresql(element, compiler, **kw):
    issued, paid_at = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST(timezone('UTC', {paid_at}) AS DATE) - {issued})"


@compiles(days_to_pay)
def _days_to_pay_sqlite(element, compiler, **kw):  # SQLite keeps UTC timestamps as text
    issued, paid_at = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday(date({paid_at})) - julianday({issued}) AS INTEGER)"


@dataclass(frozen=True)
class ClientFigures:
    currency: str
    total_invoiced: Decimal  # issued, not cancelled
    paid: Decimal  # of those invoices
    outstanding: Decimal
    overdue: Decimal  # open and past the due date
    credit_available: Decimal | None  # negative when over the limit; None without a limit
    average_days_to_pay: Decimal | None  # one decimal; None before the first paid invoice


def client_figures(session: Session, client_id: int, *, today: date) -> ClientFigures:
    """The client's money figures in its currency, in one aggregate query.

    No permission check: client_detail and services call it after checking their actor.
    """
    client = _get_client(session, client_id)
    currency = client.currency
    issued = Invoice.status.notin_(NOT_ISSUED)
    is_open = _is_open()
    is_paid = and_(Invoice.status == PAID, Invoice.paid_at.is_not(None))

    def total(condition, amount):
        return func.coalesce(func.sum(case((condition, amount))), literal(ZERO))

    invoiced, paid, outstanding, overdue, days = session.exec(
        select(
            total(issued, Invoice.total),
            total(issued, Invoice.amount_paid),
            total(is_open, Invoice.balance_due),
            total(and_(is_open, Invoice.due_date < today), Invoice.balance_due),
            func.avg(case((is_paid, days_to_pay(Invoice.issue_date, Invoice.paid_at)))),
        ).where(Invoice.client_id == client_id, Invoice.currency == currency)
    ).one()
    outstanding = _money(outstanding, currency)
    limit = client.credit_limit
    return ClientFigures(
        currency=currency,
        total_invoiced=_money(invoiced, currency),
        paid=_money(paid, currency),
        outstanding=outstanding,
        overdue=_money(overdue, currency),
        credit_available=None if limit is None else _money(limit - outstanding, currency),
        average_days_to_pay=None if days is None else Decimal(str(days)).quantize(Decimal("0.1")),
    )


def client_currencies(session: Session, client_id: int) -> list[str]:
    """The currencies the client was invoiced or paid in, its own currency first.

    No permission check: the pages that show them (a statement per currency) check first.
    """
    own = _get_client(session, client_id).currency
    used = session.exec(union(
        select(Invoice.currency).where(Invoice.client_id == client_id, Invoice.number.is_not(None)),
        select(Payment.currency).where(Payment.client_id == client_id),
    )).all()
    return [own, *sorted({currency for currency, in used} - {own})]


@dataclass(frozen=True)
class ClientDetail:
    client: Client
    contacts: list[Contact]  # the primary contact first
    addresses: list[Address]  # billing before shipping
    figures: ClientFigures


def client_detail(
    session: Session, *, actor: User, client_id: int, today: date | None = None
) -> ClientDetail:
    """The client (archived ones too), its contacts, addresses and figures."""
    require(actor, Action.CLIENTS_READ)
    client = _get_client(session, client_id)
    contacts = session.exec(
        select(Contact).where(Contact.client_id == client_id)
        .order_by(Contact.is_primary.desc(), func.lower(Contact.name), Contact.id)
    ).all()
    addresses = session.exec(
        select(Address).where(Address.client_id == client_id).order_by(Address.kind)
    ).all()
    figures = client_figures(session, client_id, today=today or company_today(session))
    return ClientDetail(client, list(contacts), list(addresses), figures)


def client_invoices_page(
    session: Session, *, actor: User, client_id: int, offset: int = 0, limit: int = 25
) -> InvoicePage:
    """The client's invoice history, drafts included, newest first, with sums per currency.

    The invoice list filtered to this client (which also needs Action.INVOICES_READ); it
    works for archived clients too, whose history stays.
    """
    require(actor, Action.CLIENTS_READ)
    _get_client(session, client_id)
    return invoices_page(session, actor=actor, client_id=client_id, sort="-issue_date",
                         offset=offset, limit=limit)
