from fastapi import APIRouter, HTTPException
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from billing_app.api.deps import DbSession

router = APIRouter(tags=["health"])


@router.get("/health")
def health(session: DbSession) -> dict[str, str]:
    """{"status": "ok"} when the database answers, else 503."""
    try:
        session.exec(text("SELECT 1")).one()
    except SQLAlchemyError:
        raise HTTPException(503, "The database is not reachable.") from None
    return {"status": "ok"}
