"""A job id tells nothing of work that is not the caller's: another principal's report job,
and a job of another kind, answer on every route that reads a job exactly as a job that
does not exist (404, "no job …"). The probe of 2026-12-06 got 403 "your account is not
scoped to principal 23" for another principal's report job from the API, its file and the
progress page, and 404 "no job …" for a missing one: the difference told which ids were
real and whose."""

from __future__ import annotations

import base64

import pytest
from done_jobs import done_job
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.reports.jobs import REPORT
from samfard.reports.scenarios.job import SCENARIO

MISSING = "0" * 32
# Every route that reads a report or scenario job, by its id.
API_ROUTES = (
    "/api/v1/reports/monthly/jobs/{id}",
    "/api/v1/reports/monthly/jobs/{id}/file?format=csv",
)
PAGE_ROUTES = (
    "/uppfoljning/jobb/{id}",
    "/uppfoljning/jobb/{id}/manadsrapport.csv",
    "/uppfoljning?manad=2026-10&huvudman=22&jobb={id}",
)
SCENARIO_ROUTES = ("/uppfoljning/scenario/jobb/{id}", "/uppfoljning/scenario?jobb={id}")


def _done_job(session: Session, job_id: str, kind: str, principal: str) -> str:
    files = {"html": "<p>rapport</p>", "csv": "a;b\n", "pdf": base64.b64encode(b"%PDF").decode()}
    return done_job(session, job_id, kind, principal, files)


@pytest.fixture
def readers(session: Session) -> dict[str, str]:
    return {
        code: token_for(
            session, Role.ANALYST, now=NOW, username=f"analys-{code}", principals=[code]
        )  # fmt: skip
        for code in ("22", "23")
    }


@pytest.mark.parametrize("route", API_ROUTES)
def test_another_principals_report_job_answers_as_a_missing_one(
    app_client: TestClient, session: Session, readers: dict[str, str], route: str
) -> None:
    theirs = _done_job(session, "a" * 32, REPORT, "23")
    own = app_client.get(route.format(id=theirs), headers=auth(readers["23"]))
    assert own.status_code == 200, own.text
    outside = app_client.get(route.format(id=theirs), headers=auth(readers["22"]))
    missing = app_client.get(route.format(id=MISSING), headers=auth(readers["22"]))
    assert (outside.status_code, missing.status_code) == (404, 404), outside.text
    assert outside.json()["detail"] == f"no job {theirs}"
    assert outside.json() == missing.json() | {"detail": outside.json()["detail"]}
    assert "23" not in outside.text.replace(theirs, "")


@pytest.mark.parametrize("route", PAGE_ROUTES)
def test_the_follow_up_pages_answer_another_principals_job_as_a_missing_one(
    app_client: TestClient, session: Session, readers: dict[str, str], route: str
) -> None:
    theirs = _done_job(session, "b" * 32, REPORT, "23")
    outside = app_client.get(route.format(id=theirs), headers=auth(readers["22"]))
    missing = app_client.get(route.format(id=MISSING), headers=auth(readers["22"]))
    assert (outside.status_code, missing.status_code) == (404, 404), outside.text
    assert outside.text.replace(theirs, MISSING) == missing.text.replace(
        missing.headers["x-request-id"], outside.headers["x-request-id"]
    )


def test_a_job_of_another_kind_answers_as_a_missing_one(
    app_client: TestClient, session: Session, readers: dict[str, str]
) -> None:
    """A scenario run's id on the report routes, a report job's on the scenario pages: the
    same 404 and words as an id that names no job (it said "no report job …")."""
    scenario = _done_job(session, "c" * 32, SCENARIO, "centralen")
    report = _done_job(session, "d" * 32, REPORT, "23")
    for route in API_ROUTES:
        answer = app_client.get(route.format(id=scenario), headers=auth(readers["23"]))
        assert answer.status_code == 404 and answer.json()["detail"] == f"no job {scenario}"
    for route in SCENARIO_ROUTES:
        answer = app_client.get(route.format(id=report), headers=auth(readers["23"]))
        missing = app_client.get(route.format(id=MISSING), headers=auth(readers["23"]))
        assert (answer.status_code, missing.status_code) == (404, 404), route
