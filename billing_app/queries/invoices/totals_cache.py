"""The invoice list's count and sums per filter, kept until invoices or clients change.

Summing the filtered set costs a scan of it (about 100 ms at 100k invoices); a page costs a
few milliseconds. Many people look at the same few filters, and invoices change far less often
than lists are read. So each process keeps the sums it computed, under the number of changes
the reading transaction could see: sum(n) of invoice_changes, which a trigger on invoices and
clients adds to in the writing transaction itself (migration 0020). Two snapshots that see the
same number see the same invoices, so an entry is never stale; after any commit that changed
an invoice, every process sees a new number, and the old entries are simply never hit again.

Not cached: sums read in a transaction that has written anything (others cannot see its rows
yet, and it may roll back), and anything on SQLite (no trigger there; small books).
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import text
from sqlmodel import Session

T = TypeVar("T")
MAX_ENTRIES = 2048

_SEEN_CHANGES = text("SELECT coalesce(sum(n), 0), pg_current_xact_id_if_assigned() IS NULL "
                     "FROM invoice_changes")
_entries: OrderedDict[tuple, object] = OrderedDict()
_computing: dict[tuple, threading.Lock] = {}
_lock = threading.Lock()  # event handlers read in threads (ui/states/in_thread.py)


def cached_totals(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), or what it gave for `key` while the same invoices were visible."""
    if session.get_bind().dialect.name != "postgresql":
        return compute()
    changes, read_only = session.connection().execute(_SEEN_CHANGES).one()
    if not read_only:
        return compute()
    full_key = (str(session.get_bind().url), changes, key)
    with _lock:
        if full_key in _entries:
            _entries.move_to_end(full_key)
            return _entries[full_key]
        computing = _computing.setdefault(full_key, threading.Lock())
    with computing:  # tabs asking for the same sums at once wait for one computation
        with _lock:
            if full_key in _entries:
                return _entries[full_key]
        try:
            value = compute()
        except BaseException:
            with _lock:
                _computing.pop(full_key, None)
            raise
        with _lock:
            _entries[full_key] = value
            _computing.pop(full_key, None)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return value


def forget_all() -> None:
    """Drop every entry: for measuring the sums themselves (bench/invoice_list_bench.py)."""
    with _lock:
        _entries.clear()
