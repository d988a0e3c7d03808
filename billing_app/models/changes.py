from sqlalchemy import BigInteger, Column, Identity
from sqlmodel import Field, SQLModel


class InvoiceChange(SQLModel, table=True):
    """One committed statement that changed invoices or clients (n: how many, once folded);
    written only by the PostgreSQL trigger of migration 0020, read as sum(n)."""

    __tablename__ = "invoice_changes"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    n: int = Field(sa_column=Column(BigInteger, nullable=False))
