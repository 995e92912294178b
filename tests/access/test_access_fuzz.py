"""Property: no request an operator can send, valid or not, makes the server fail (5xx).
Schemathesis generates requests from the OpenAPI document; few examples per operation keep
the run short, and every operation of the document is covered, including future ones."""

from __future__ import annotations

from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import issue_token

EXAMPLES_PER_OPERATION = 4


def test_no_request_makes_the_server_fail(app_client: TestClient, session: Session) -> None:
    token_for(session, Role.OPERATOR, now=NOW, username="fuzz-operator")
    user = session.scalars(select(User).where(User.username == "fuzz-operator")).one()
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app_client.app)
    failures: list[str] = []
    statuses: set[int] = set()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
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
            where = f"{case.method} {case.operation.path}"
            try:
                response = case.call(headers=auth(token))
            except Exception as error:  # raised inside the app: the client would see a 500
                failures.append(f"{where} raised {error!r}"[:300])
                session.rollback()  # the app would drop its session; the test reuses it
                return
            statuses.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{where} -> {response.status_code}: {response.text[:200]}")

        call()
    assert operations > 20
    assert failures == [], "\n".join(failures)
    assert {200, 404, 422} <= statuses  # the requests got past authentication
