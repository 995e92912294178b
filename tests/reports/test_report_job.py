"""The monthly report as a background job: it runs (a thread on SQLite, a `samfard worker`
on PostgreSQL), reports progress up to done, keeps the report's HTML, PDF and CSV where the
API and /uppfoljning serve them, serves them only to readers of the job's principal (to
others it is missing), and a job that cannot finish is recorded as failed with a Swedish
reason."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from helpers import NOW, login_form
from report_job_fixtures import report_database, run_queue, sessions_of, wait_for
from samfard import jobs
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import User
from samfard.access.service import issue_token
from samfard.app import create_app
from samfard.changes import Change
from samfard.clock import FixedClock
from samfard.config import Settings
from samfard.reports.jobs import REPORT

__all__ = ["report_database"]  # the fixture, imported for pytest

MONTH = "2026-10"


@pytest.fixture
def sessions(report_database: str) -> sessionmaker[Session]:
    return sessions_of(report_database)


@pytest.fixture
def client(report_database: str) -> Iterator[TestClient]:
    """The application on the report database with its own committing sessions."""
    settings = Settings(database_url=report_database, secure_cookies=False)
    app = create_app(settings, clock=FixedClock(NOW))
    with TestClient(app) as test_client:
        yield test_client


def _token(sessions: sessionmaker[Session], username: str) -> dict[str, str]:
    with sessions() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        token = issue_token(session=session, user=user, kind="bearer", now=NOW)
        session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_a_report_job_runs_to_done_and_serves_its_files_to_its_principal_only(
    client: TestClient, sessions: sessionmaker[Session], report_database: str
) -> None:
    reader, outsider = _token(sessions, "analys-23"), _token(sessions, "analys-22")
    refused = client.post(
        "/api/v1/reports/monthly/jobs", json={"principal": "23", "month": MONTH}, headers=outsider
    )
    assert refused.status_code == 403, "a reader of another principal cannot start it"
    started = client.post(
        "/api/v1/reports/monthly/jobs", json={"principal": "23", "month": MONTH}, headers=reader
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    assert started.json()["state"] in ("queued", "running")
    run_queue(report_database)
    assert wait_for(sessions, job_id).state == "done"

    status = client.get(f"/api/v1/reports/monthly/jobs/{job_id}", headers=reader).json()
    assert status["state"] == "done" and status["progress"] == 1.0 and status["error"] is None
    assert set(status["files"]) == {"html", "pdf", "csv"}
    with sessions() as session:
        steps = session.scalars(
            select(Change.kind).where(Change.topic == f"job:{job_id}").order_by(Change.id)
        ).all()
    assert steps.count("progress") >= 4 and steps[-1] == "done", steps

    direct = {
        f: client.get(
            "/api/v1/reports/monthly",
            params={"month": MONTH, "principal": "23", "format": f},
            headers=reader,
        )
        for f in ("csv", "html")
    }
    for format, url in status["files"].items():
        answer = client.get(url, headers=reader)
        assert answer.status_code == 200, answer.text
        assert f"manadsrapport-23-{MONTH}.{format}" in answer.headers["content-disposition"]
        if format == "pdf":
            assert answer.content.startswith(b"%PDF")
        else:
            assert answer.text == direct[format].text, f"the job's {format} is the report's"
        assert client.get(url, headers=outsider).status_code == 404  # as a missing job
    assert client.get(f"/api/v1/reports/monthly/jobs/{job_id}", headers=outsider).status_code == 404
    bad = client.get(status["files"]["csv"].replace("csv", "xlsx"), headers=reader)
    assert bad.status_code == 422 and "format" in bad.text


def test_a_report_job_is_refused_at_once_for_an_unknown_principal_or_month(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    everyone = _token(sessions, "analys-alla")
    for body, field in (
        ({"principal": "99", "month": MONTH}, "principal"),
        ({"principal": "23", "month": "2026-13"}, "month"),
    ):
        answer = client.post("/api/v1/reports/monthly/jobs", json=body, headers=everyone)
        assert answer.status_code == 422, answer.text
        assert field in answer.text
    with sessions() as session:
        started = session.scalars(select(jobs.Job).where(jobs.Job.started_by == "analys-alla"))
        assert started.all() == [], "nothing is stored for a refused job"


def _login(client: TestClient, username: str) -> None:
    client.cookies.clear()
    answer = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert answer.status_code == 303


def test_the_follow_up_page_starts_the_job_polls_it_and_links_its_files(
    client: TestClient, sessions: sessionmaker[Session], report_database: str
) -> None:
    _login(client, "analys-23")
    page = client.get("/uppfoljning", params={"manad": MONTH, "huvudman": "23"})
    assert 'hx-post="/uppfoljning/jobb"' in page.text
    fields = {"manad": MONTH, "huvudman": "23", "csrf_token": client.cookies[CSRF_COOKIE]}
    fragment = client.post("/uppfoljning/jobb", data=fields, headers={"HX-Request": "true"})
    assert fragment.status_code == 200, fragment.text
    with sessions() as session:
        job = session.scalars(select(jobs.Job).where(jobs.Job.kind == REPORT)).all()[-1]
    assert f'hx-get="/uppfoljning/jobb/{job.id}"' in fragment.text, "it polls while it runs"
    assert "Månadsrapporten tas fram" in fragment.text
    run_queue(report_database)
    assert wait_for(sessions, job.id).state == "done"
    done = client.get(f"/uppfoljning/jobb/{job.id}")
    assert "hx-get" not in done.text, "polling stops when the job is done"
    assert "Månadsrapport oktober 2026" in done.text
    pdf = client.get(f"/uppfoljning/jobb/{job.id}/manadsrapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    back = client.get("/uppfoljning", params={"manad": MONTH, "huvudman": "23", "jobb": job.id})
    assert f"/uppfoljning/jobb/{job.id}/manadsrapport.csv" in back.text

    _login(client, "analys-22")
    assert client.get(f"/uppfoljning/jobb/{job.id}").status_code == 404
    assert client.get(f"/uppfoljning/jobb/{job.id}/manadsrapport.csv").status_code == 404
    assert client.get(f"/trafik/jobb/{job.id}").status_code in (403, 404)


def _queued(sessions: sessionmaker[Session], job_id: str, **args: object) -> str:
    with sessions() as session, session.begin():
        session.add(
            jobs.Job(
                id=job_id,
                kind=REPORT,
                subject=f"fail:{job_id}",
                args={"today": NOW.date().isoformat(), **args},
                state="queued",
                message="I kö",
                started_by="test",
                created_at=NOW,
            )
        )
    return job_id


def test_a_report_job_that_cannot_finish_is_failed_with_a_swedish_reason(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        outsider = session.scalar(select(User.id).where(User.username == "analys-22"))
    out_of_scope = _queued(sessions, "rfail1", user_id=outsider, principal="23", month=MONTH)
    gone = _queued(sessions, "rfail2", user_id=987654, principal="23", month=MONTH)
    bad_month = _queued(sessions, "rfail3", user_id=outsider, principal="22", month="2026-13")
    # Queued past the route's check (an older job, another client): the calendar's edge is
    # the same Swedish refusal, not a ValueError from `date`.
    edge = _queued(sessions, "rfail4", user_id=outsider, principal="22", month="9999-12")
    reasons = {
        out_of_scope: "kontot analys-22 får inte läsa rapporter för huvudman 23",
        gone: "användaren (id 987654) finns inte längre eller är avstängd",
        bad_month: "rapporten kan inte tas fram för huvudman 22 och månad 2026-13",
        edge: "månad 9999-12 (Månaden ”9999-12” går inte att visa. Skriv den som ÅÅÅÅ-MM",
    }
    for job_id, reason in reasons.items():
        assert jobs.execute(sessions, job_id) == "failed"
        with sessions() as session:
            failed = jobs.get(session, job_id)
        assert failed.message == "Misslyckades" and failed.progress == 1.0
        assert failed.error is not None and reason in failed.error
        assert failed.result is None and failed.finished_at is not None
