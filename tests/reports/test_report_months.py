"""A month is read the same way wherever a report asks for one: a month at the edges of the
calendar (0001-05, 9999-12) is bad input naming the month (422, in Swedish on the pages),
never a 500 or a job that fails, and the first and last months allowed give reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cli_database import database
from fastapi.testclient import TestClient
from settled_rows import CARRIER, Trip, settle
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard import jobs
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.cli import main
from samfard.errors import InputError
from samfard.reports.service import cost_statement_sheet, invoice_basis_sheet, monthly_report

__all__ = ["database"]  # the fixture, imported for pytest

EDGES = ("9999-12", "0001-05", "0001-01", "0000-12", "2101-01", "1999-12", "2026-13", "2026-00")
REPORTS = (
    ("/api/v1/reports/monthly", {"principal": "23", "format": "html"}),
    ("/api/v1/reports/monthly", {"principal": "23", "format": "pdf"}),
    ("/api/v1/reports/monthly", {"principal": "23", "format": "csv"}),
    ("/api/v1/reports/cost-statement", {"principal": "23", "format": "csv"}),
    ("/api/v1/reports/cost-statement", {"principal": "23", "format": "xlsx"}),
    ("/api/v1/reports/invoice-basis", {"carrier": CARRIER, "format": "csv"}),
    ("/api/v1/reports/invoice-basis", {"carrier": CARRIER, "format": "xlsx"}),
)


@pytest.fixture
def analyst(session: Session) -> dict[str, str]:
    settle(session, [Trip("m1", "23", date(2026, 10, 5), 30000)])
    return auth(token_for(session, Role.ANALYST, now=NOW, principals=["*"]))


@pytest.mark.parametrize("month", EDGES)
def test_every_report_refuses_a_month_out_of_range_naming_the_month(
    app_client: TestClient, analyst: dict[str, str], month: str
) -> None:
    for path, params in REPORTS:
        answer = app_client.get(path, params={**params, "month": month}, headers=analyst)
        assert answer.status_code == 422, (path, params, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["field"] == "month", answer.text
        assert "2000-01 to 2100-12" in answer.json()["detail"]


@pytest.mark.parametrize("month", ["2000-01", "2100-12"])
def test_the_first_and_last_months_allowed_give_reports(
    app_client: TestClient, analyst: dict[str, str], month: str
) -> None:
    """2000-01 compares with 1999, 2100-12 ends on 2100-12-31: both dates exist. The
    carrier has no runs then, so its invoice basis is not found rather than empty."""
    for path, params in REPORTS:
        answer = app_client.get(path, params={**params, "month": month}, headers=analyst)
        expected = 404 if "invoice-basis" in path else 200
        assert answer.status_code == expected, (path, params, answer.text)


def test_the_services_refuse_an_edge_month_as_input(session: Session) -> None:
    """The same check where the routes end: a caller of the service (a job, the command)
    gets the input error, not a ValueError from `date`."""
    for year, month in ((9999, 12), (1, 5), (2026, 13)):
        with pytest.raises(InputError) as refused:
            monthly_report(
                session=session,
                actor=SYSTEM,
                principal="23",
                year=year,
                month=month,
                today=date(2027, 1, 1),
            )
        assert refused.value.field == "month"
        with pytest.raises(InputError):
            cost_statement_sheet(
                session=session, actor=SYSTEM, principal="23", year=year, month=month
            )
        with pytest.raises(InputError):
            invoice_basis_sheet(session=session, actor=SYSTEM, carrier=CARRIER, year=year,
                                month=month)  # fmt: skip


def test_a_report_job_for_an_edge_month_is_refused_before_it_starts(
    app_client: TestClient, session: Session, analyst: dict[str, str]
) -> None:
    before = session.scalar(select(func.count()).select_from(jobs.Job)) or 0
    for month in ("9999-12", "0001-05"):
        answer = app_client.post(
            "/api/v1/reports/monthly/jobs", json={"principal": "23", "month": month},
            headers=analyst,
        )  # fmt: skip
        assert answer.status_code == 422, answer.text
        assert answer.json()["field"] == "month"
    assert (session.scalar(select(func.count()).select_from(jobs.Job)) or 0) == before


def test_a_comment_on_an_edge_month_is_refused_naming_the_month(
    app_client: TestClient, session: Session
) -> None:
    admin = auth(token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, principals=["23"]))
    body = {"principal": "23", "kpi": "cost", "comment": "x"}
    for month in ("9999-12", "0000-01", "2026-13"):
        answer = app_client.put(
            "/api/v1/reports/comments", json={**body, "month": month}, headers=admin
        )
        assert answer.status_code == 422 and answer.json()["field"] == "month", answer.text


def test_the_follow_up_page_says_in_swedish_which_months_it_shows(
    app_client: TestClient, analyst: dict[str, str]
) -> None:
    for query in ("manad=9999-12&huvudman=23", "manad=0001-01"):
        page = app_client.get(f"/uppfoljning?{query}", headers=analyst)
        assert page.status_code == 200, page.text
        # Said at the Månad field (the error summary links to it), the typed month kept.
        assert 'href="#manad"' in page.text and "Månaden ”" in page.text
        assert "från 2000-01 till 2100-12" in page.text
    for kind in ("csv", "xlsx", "pdf"):
        file = app_client.get(
            f"/uppfoljning/manadsrapport.{kind}?manad=9999-12&huvudman=23", headers=analyst
        )
        assert file.status_code == 422, file.text
        assert file.headers["content-type"].startswith("text/html")
        assert "Uppgifterna behöver rättas" in file.text


def test_the_report_and_kpi_commands_refuse_an_edge_month(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for month in ("9999-12", "0001-05"):
        assert main(["report", "--month", month, "--principal", "23", "-o", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert "2000-01 to 2100-12" in err and "(month)" in err and "Traceback" not in err
        comment = ["kpi", "comment", "--principal", "23", "--month", month, "--kpi", "cost"]
        assert main([*comment, "--text", "x"]) == 2
        assert "(month)" in capsys.readouterr().err
    assert list(tmp_path.glob("manadsrapport-*")) == []
