"""Admin commands: python -m billing_app.cli <command> --help"""

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import func
from sqlmodel import select

from billing_app.auth.permissions import SYSTEM_ACTOR
from billing_app.db import get_engine, session_scope
from billing_app.errors import BillingError, Conflict
from billing_app.models.invoices import Invoice
from billing_app.models.users import Role
from billing_app.queries.company import company_ensure, company_today
from billing_app.settings import PROJECT_ROOT, get_settings
from billing_app.services.users import user_create


def migrate(_args) -> None:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    command.upgrade(config, "head")


def create_user(args) -> None:
    password = args.password or getpass.getpass("Password (at least 12 characters): ")
    with session_scope() as db:
        company_ensure(db)  # a fresh installation starts with default company settings
        user = user_create(db, actor=SYSTEM_ACTOR, email=args.email, name=args.name, role=args.role,
                           password=password, client_id=args.client_id)
        print(f"Created {user.role} {user.email} (id {user.id}).")


def demo_data(args) -> None:
    from billing_app.demo import generate

    if args.if_empty:
        with session_scope() as db:
            if db.exec(select(func.count()).select_from(Invoice)).one():
                print("Demo data: the database already has invoices; nothing loaded.")
                return
    try:
        counts = generate(get_engine(), invoices=args.invoices, seed=args.seed, today=args.today)
    except Conflict as error:
        if not args.if_empty:
            raise
        print(f"Demo data: {error.message} Nothing loaded.")
        return
    print("Demo data loaded: " + ", ".join(f"{n:,} {table}" for table, n in counts.items()))


def sample_statement(args) -> None:
    from billing_app.demo.statement import sample_statement as build

    with session_scope() as db:
        text = build(db, booked=args.today or company_today(db))
    if not text:
        print("Error: too few open invoices for a sample statement.", file=sys.stderr)
        raise SystemExit(1)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"Sample bank statement written to {args.out}: import it under Bank > Import statement.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="billing_app.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    commands.add_parser("migrate", help="apply database migrations (alembic upgrade head)").set_defaults(run=migrate)

    user = commands.add_parser("create-user", help="create a user, for example the first admin")
    user.add_argument("--email", required=True)
    user.add_argument("--name", required=True)
    user.add_argument("--role", choices=[r.value for r in Role], default=Role.ADMIN.value)
    user.add_argument("--password", help="omit to be asked for it")
    user.add_argument("--client-id", type=int, help="the client a client-role user belongs to")
    user.set_defaults(run=create_user)

    demo = commands.add_parser("demo-data", help="load deterministic demo data")
    demo.add_argument("--invoices", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--if-empty", action="store_true", help="do nothing if invoices exist")
    demo.add_argument("--today", type=date.fromisoformat, help="the day the data ends (YYYY-MM-DD; "
                      "default: today); the data has the same shape on any day")
    demo.set_defaults(run=demo_data)

    sample = commands.add_parser("sample-statement",
                                 help="write a CSV bank statement paying some open invoices")
    sample.add_argument("--out", default="var/sample-statement.csv")
    sample.add_argument("--today", type=date.fromisoformat,
                        help="the booking day of the statement (YYYY-MM-DD; default: today)")
    sample.set_defaults(run=sample_statement)

    args = parser.parse_args(argv)
    get_settings()
    try:
        args.run(args)
    except BillingError as error:
        print(f"Error: {error.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
