"""Schemathesis against the API served over HTTP on PostgreSQL: generated requests to every
operation of the OpenAPI schema, as an admin, must never get a server error, and every answer
must be one the schema declares (status code, content type, body).

Time-boxed: each operation gets CASES_PER_OPERATION generated requests (at least MIN_CASES in
all) unless TIME_BOX runs out first, which fails the test rather than passing on fewer cases.
"""

import time
from collections import Counter

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from billing_app.auth.throttle import limits_storage
from billing_app.db import make_engine
from billing_app.demo import generate
from billing_app.models.users import Role
from tests.api.conftest import bearer, new_user, token_pair
from tests.conftest import migrate
from tests.support.databases import use_database
from tests.support.http import serving

MIN_CASES = 1000
CASES_PER_OPERATION = 12
TIME_BOX = 180.0  # seconds for the whole run, on 2 cores
CONFORMANCE = [checks.status_code_conformance, checks.content_type_conformance,
               checks.response_schema_conformance]
CHECKS = [checks.not_a_server_error, *CONFORMANCE]


@pytest.fixture
def fuzzed_api(pg_server, api_db_url):
    """The API on a database of its own with a small demo book in it (what a generated request
    creates or breaks stays there), sign-in throttling out of the way of re-signing in."""
    url = pg_server.create_database("billing_fuzz")
    migrate(url)
    engine = make_engine(url)
    generate(engine, invoices=40, seed=5)
    engine.dispose()
    use_database(url, LOGIN_IP_LIMITS="100000/minute", LOGIN_ACCOUNT_LIMITS="100000/minute")
    limits_storage().reset()
    from billing_app.api.app import create_api

    try:
        with serving(create_api()) as base_url:
            yield base_url
    finally:
        limits_storage().reset()
        use_database(api_db_url, LOGIN_IP_LIMITS=None, LOGIN_ACCOUNT_LIMITS=None)


class _Admin:
    """An admin's bearer header, signed in again when a generated request signed it out."""

    def __init__(self, base_url: str) -> None:
        self.user = new_user(Role.ADMIN)
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self.headers = self._sign_in()

    def _sign_in(self) -> dict[str, str]:
        return bearer(token_pair(self.client, self.user.email)["access_token"])

    def still_signed_in(self, response) -> None:
        if response.status_code == 401:
            self.headers = self._sign_in()


@pytest.mark.slow
def test_generated_requests_to_every_operation_get_declared_answers(fuzzed_api):
    schema = schemathesis.openapi.from_url(f"{fuzzed_api}/api/openapi.json")
    declared = httpx.get(f"{fuzzed_api}/api/openapi.json").json()["paths"]
    admin = _Admin(fuzzed_api)
    operations = [result.ok() for result in schema.get_all_operations()]
    started = time.monotonic()
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    rejected: Counter[str] = Counter()  # 422s per operation: what the schema allowed, the API not
    failures: list[str] = []

    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"

        @settings(max_examples=CASES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def call(case):
            if time.monotonic() - started > TIME_BOX:
                return
            response = case.call(base_url=fuzzed_api, headers=admin.headers, timeout=30)
            calls[label] += 1
            statuses[response.status_code] += 1
            if response.status_code == 422:
                rejected[label] += 1
            # a 503 the operation declares (health: "a part is failing") is an answer, not a crash
            unavailable = response.status_code == 503 and \
                "503" in declared[operation.path][operation.method.lower()]["responses"]
            try:
                case.validate_response(response, checks=CONFORMANCE if unavailable else CHECKS)
            except FailureGroup as group:
                failures.extend(f"{label}: {failure.title}: {failure.message[:300]}\n"
                                f"  {case.as_curl_command()[:400]}" for failure in group.exceptions)
            admin.still_signed_in(response)

        call()

    elapsed = time.monotonic() - started
    print(f"\nschemathesis: {sum(calls.values())} cases over {len(calls)} of {len(operations)} "
          f"operations in {elapsed:.0f} s; statuses {dict(sorted(statuses.items()))}")
    print(f"422 per operation: {dict(rejected.most_common())}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(dict.fromkeys(failures))
    assert set(calls) == {f"{op.method.upper()} {op.path}" for op in operations}, "operations left out"
    assert sum(calls.values()) >= MIN_CASES, f"only {sum(calls.values())} cases in {TIME_BOX:.0f} s"
