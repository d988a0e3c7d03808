"""GET /api/v1/health: the database, the broker and the worker's last heartbeat; for compose
health checks and monitoring. 200 when every part is ok, else 503 naming the failing parts.
Nothing in it is secret (no URLs, no hosts)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from billing_app.api.deps import DbSession
from billing_app.queries.health import broker_check, database_check, worker_check

router = APIRouter(tags=["health"])


class PartHealth(BaseModel):
    status: str
    message: str | None = None
    last_heartbeat: str | None = None
    age_seconds: int | None = None


class HealthReport(BaseModel):
    status: str
    checks: dict[str, PartHealth]


class HealthError(BaseModel):
    code: str
    message: str
    field: str | None


class HealthFailing(HealthReport):
    error: HealthError


@router.get("/health", response_model=HealthReport,
            responses={503: {"model": HealthFailing, "description": "A part is failing."}})
def health(session: DbSession):
    """{"status": "ok", "checks": {"database", "broker", "worker"}}; 503 when a part fails,
    with the error shape of every API error added."""
    checks = {"database": database_check(session), "broker": broker_check(),
              "worker": worker_check(session)}
    failing = [name for name, check in checks.items() if check["status"] != "ok"]
    if not failing:
        return {"status": "ok", "checks": checks}
    return JSONResponse(status_code=503, content={
        "status": "failing", "checks": checks,
        "error": {"code": "unavailable", "field": None,
                  "message": f"Not working: {', '.join(failing)}."}})
