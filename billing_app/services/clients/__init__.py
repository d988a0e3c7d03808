"""Client use cases: every function checks Action.CLIENTS_WRITE, audits, and only flushes."""

from billing_app.services.clients.addresses import address_remove, address_set
from billing_app.services.clients.contacts import (
    contact_add,
    contact_make_primary,
    contact_remove,
    contact_update,
)
from billing_app.services.clients.core import (
    PossibleDuplicate,
    client_archive,
    client_create,
    client_restore,
    client_update,
)

__all__ = [
    "PossibleDuplicate", "address_remove", "address_set", "client_archive", "client_create", "client_restore",
    "client_update", "contact_add", "contact_make_primary", "contact_remove", "contact_update",
]
