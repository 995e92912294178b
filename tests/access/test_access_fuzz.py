"""Property: the OpenAPI document is true and no request makes the server fail.

Schemathesis generates requests from the document, valid ones and invalid ones, for every
operation (future ones included) and checks each answer: never a 5xx, only documented
status codes and content types, bodies that match their schema, and no schema-valid request
refused by the request validation (the document and the validation must agree). Bounded:
a few examples per operation and mode, derandomised (a fixed seed), so a run is short and
repeatable; a failure prints the request to replay.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import issue_token

EXAMPLES_PER_OPERATION = 3
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _validation_refused(response: Any) -> bool:
    """A 422 from the request validation (it lists `errors`), not from a domain rule."""
    if response.status_code != 422:
        return False
    try:
        return "errors" in response.json()
    except ValueError:
        return False


def _exercise(
    operation: Any,
    mode: GenerationMode,
    *,
    session: Session,
    user: User,
    failures: list[str],
    statuses: set[int],
) -> None:
    """Send a few generated requests of one operation and mode; note every broken promise."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case: Any) -> None:
        # A fresh token per request: a generated POST /auth/logout revokes the one it sends.
        token = issue_token(session=session, user=user, kind="bearer", now=NOW)
        where = f"{mode.value} {case.method} {case.operation.path}"
        try:
            response = case.call(headers=auth(token))
        except Exception as error:  # raised inside the app: a client would see a 500
            failures.append(f"{where} raised {error!r}"[:300])
            session.rollback()  # the app would drop its session; the test reuses it
            return
        statuses.add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as error:
            failures.append(f"{where} -> {response.status_code}: {error}"[:700])
        if mode is GenerationMode.POSITIVE and _validation_refused(response):
            failures.append(f"{where}: schema-valid request refused: {response.text[:300]}")

    try:
        call()
    except Unsatisfiable:
        assert mode is GenerationMode.NEGATIVE  # nothing to get wrong (no parameters or body)


# The operator's scopes, and the one role that holds almost every permission (reports,
# assessors' decisions, drivers' reports): the operator alone never reached the report
# files or those bodies, where a fuzz run as every role found broken promises.
@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SYSTEM_ADMIN])
def test_the_document_is_true_and_nothing_fails(
    app_client: TestClient, session: Session, role: Role
) -> None:
    token_for(session, role, now=NOW, username=f"fuzz-{role.value}")
    user = session.scalars(select(User).where(User.username == f"fuzz-{role.value}")).one()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app_client.app)
    failures: list[str] = []
    statuses: set[int] = set()
    operations = 0
    for result in schema.get_all_operations():
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(
                result.ok(),
                mode,
                session=session,
                user=user,
                failures=failures,
                statuses=statuses,
            )
    assert operations > 20
    assert failures == [], f"{len(failures)} broken promises:\n\n" + "\n\n".join(failures)
    assert {200, 404, 422} <= statuses  # the requests got past authentication


def test_an_unsupported_method_is_405_with_allow(app_client: TestClient) -> None:
    for path in ("/api/v1/travellers", "/api/v1/bookings/1", "/health", "/login"):
        answer = app_client.request("TRACE", path)
        assert answer.status_code == 405, path
        page = not path.startswith("/api/")  # outside the API a failure is a page
        media = "text/html; charset=utf-8" if page else "application/problem+json"
        assert answer.headers["content-type"] == media, path
        assert answer.headers.get("allow"), path  # RFC 9110: a 405 says what is allowed
