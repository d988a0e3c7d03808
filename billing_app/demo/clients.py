"""Demo clients (companies and individuals) with their contacts and addresses."""

import random
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from billing_app.demo import catalog
from billing_app.demo.bulk import TableWriter
from billing_app.demo.dates import at
from billing_app.models.clients import AddressKind, ClientKind

CLIENT_COLUMNS = ("id", "kind", "name", "email", "phone", "tax_id", "currency",
                  "payment_terms_days", "credit_limit", "notes", "is_archived", "created_at",
                  "updated_at")
CONTACT_COLUMNS = ("id", "client_id", "name", "email", "phone", "job_title", "is_primary",
                   "created_at")
ADDRESS_COLUMNS = ("id", "client_id", "kind", "line1", "line2", "postal_code", "city", "region",
                   "country")
NOTES = ("Prefers invoices by email.", "Purchase order number required on every invoice.",
         "Call before delivery.", "Pays by direct debit.")


@dataclass(frozen=True)
class ClientProfile:
    """What the invoice generator needs to know about a client."""

    id: int
    is_company: bool
    terms_days: int
    zero_rated: bool  # abroad: exports and reverse charge are taxed at 0%
    payer: str  # punctual, late, slow or defaulter
    weight: float  # relative share of the invoices
    plan: tuple[str, ...]  # SKUs billed every month, or () for none


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


def _phone(rng: random.Random) -> str:
    return f"+49 {rng.randint(30, 89)} {rng.randint(1000000, 9999999)}"


def make_clients(rng: random.Random, writer: TableWriter, count: int, first_day: date) -> list[ClientProfile]:
    """Write `count` clients, their contacts and addresses; the first is a large company."""
    clients, contacts, addresses, profiles = [], [], [], []
    for client_id in range(1, count + 1):
        is_company = client_id == 1 or rng.random() < 0.7
        postal_code, city, region, country = rng.choices(catalog.CITIES, catalog.CITY_WEIGHTS)[0]
        if not is_company:
            postal_code, city, region, country = catalog.CITIES[client_id % 8]  # German cities
        created = at(first_day - timedelta(days=rng.randint(1, 400)), rng.randint(8, 17))
        first, last = rng.choice(catalog.FIRST_NAMES), rng.choice(catalog.LAST_NAMES)
        if is_company:
            name = (f"{rng.choice(catalog.COMPANY_WORDS)} {rng.choice(catalog.COMPANY_TRADES)} "
                    f"{catalog.COMPANY_FORMS[country]}")
            email = f"accounts@{_slug(name)}-{client_id}.example.com"
            tax_id = f"{country}{rng.randint(100000000, 999999999)}"
            terms = rng.choices((14, 30, 45, 60), (2, 5, 2, 1))[0]
            credit_limit = Decimal(rng.choice((5000, 10000, 25000, 50000))) if rng.random() < 0.4 else None
        else:
            name = f"{first} {last}"
            email = f"{_slug(first)}.{_slug(last)}{client_id}@example.net"
            tax_id, terms, credit_limit = None, 14, None
        clients.append((
            client_id, (ClientKind.COMPANY if is_company else ClientKind.INDIVIDUAL).value, name,
            email, _phone(rng), tax_id, catalog.CURRENCY, terms, credit_limit,
            rng.choice(NOTES) if rng.random() < 0.05 else None,
            client_id != 1 and rng.random() < 0.02, created, created,
        ))
        people = [(first, last)] + [
            (rng.choice(catalog.FIRST_NAMES), rng.choice(catalog.LAST_NAMES))
            for _ in range(rng.choice((0, 1, 1, 2)) if is_company else 0)
        ]
        for position, (contact_first, contact_last) in enumerate(people):
            domain = email.split("@")[1]
            contacts.append((
                len(contacts) + 1, client_id,
                f"{contact_first} {contact_last}",
                f"{_slug(contact_first)}.{_slug(contact_last)}@{domain}" if is_company else email,
                _phone(rng), rng.choice(catalog.JOB_TITLES) if is_company else None,
                position == 0, created,
            ))
        kinds = [AddressKind.BILLING] + ([AddressKind.SHIPPING] if is_company and rng.random() < 0.3 else [])
        for kind in kinds:
            addresses.append((
                len(addresses) + 1, client_id, kind.value,
                f"{rng.choice(catalog.STREETS)} {rng.randint(1, 180)}",
                rng.choice((None, None, None, "Building B", "2nd floor")), postal_code, city,
                region, country,
            ))
        profiles.append(ClientProfile(
            id=client_id, is_company=is_company, terms_days=terms, zero_rated=country != "DE",
            payer=rng.choices(("punctual", "late", "slow", "defaulter"), (55, 30, 12, 3))[0],
            weight=rng.paretovariate(1.3),
            plan=rng.choice(catalog.RECURRING_PLANS) if is_company and rng.random() < 0.3 else (),
        ))
    writer.write("clients", CLIENT_COLUMNS, clients)
    writer.write("contacts", CONTACT_COLUMNS, contacts)
    writer.write("addresses", ADDRESS_COLUMNS, addresses)
    return _with_a_busy_first_client(profiles)


def _with_a_busy_first_client(profiles: list[ClientProfile]) -> list[ClientProfile]:
    """The client user belongs to client 1: give it the largest share so its portal has data."""
    busiest = max(profile.weight for profile in profiles)
    return [replace(profiles[0], weight=busiest, payer="late"), *profiles[1:]]
