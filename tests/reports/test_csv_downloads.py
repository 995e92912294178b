"""Every CSV a user downloads opens right in Excel: it starts with the UTF-8 byte order
mark and says charset=utf-8. Excel on Windows reads a CSV without the mark in the local
code page, so "Östersund" showed as "Ã–stersund". The mark is added once, where a download
is answered (`attachment.attachment`), so the rows are the writer's, unchanged."""

from __future__ import annotations

import base64
import csv
from datetime import date
from io import StringIO
from urllib.parse import quote

import pytest
from done_jobs import done_job
from fastapi.testclient import TestClient
from settled_rows import CARRIER, Trip, settle
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.reports.jobs import REPORT
from samfard.reports.scenarios.job import SCENARIO

BOM = b"\xef\xbb\xbf"
STORED_CSV = "huvudman;tabell;rad\n23;Månaden;Östersund\n"
# Every route that answers a CSV file, pages and API alike.
ROUTES = (
    "/enheter/uppfoljning.csv",
    "/api/v1/reports/care-units",
    "/uppfoljning/manadsrapport.csv?manad=2026-10&huvudman=23",
    "/api/v1/reports/monthly?month=2026-10&principal=23&format=csv",
    "/uppfoljning/jobb/{report_job}/manadsrapport.csv",
    "/api/v1/reports/monthly/jobs/{report_job}/file?format=csv",
    "/api/v1/reports/invoice-basis?carrier={carrier}&month=2026-10&format=csv",
    "/api/v1/reports/cost-statement?principal=23&month=2026-10&format=csv",
    "/uppfoljning/scenario/jobb/{scenario_job}/principals.csv",
)


@pytest.fixture
def world(session: Session) -> dict[str, str]:
    """A settled month of principal 23, a finished report job and a finished scenario
    job, and an analyst who may read them all."""
    settle(session, [Trip("c1", "23", date(2026, 10, 5), 30000)])
    report_files = {"html": "<p>rapport</p>", "csv": STORED_CSV,
                    "pdf": base64.b64encode(b"%PDF").decode()}  # fmt: skip
    return {
        "token": token_for(session, Role.ANALYST, now=NOW, principals=["*"]),
        "report_job": done_job(session, "a" * 32, REPORT, "23", report_files),
        "scenario_job": done_job(
            session,
            "b" * 32,
            SCENARIO,
            "23",
            {"principals.csv": "scenario,principal\nÖstersund,23\n"},
        ),
        "carrier": quote(CARRIER),
    }


@pytest.mark.parametrize("route", ROUTES)
def test_every_downloaded_csv_starts_with_the_byte_order_mark(
    app_client: TestClient, world: dict[str, str], route: str
) -> None:
    """Once, not twice; the media type says UTF-8; read past the mark, the header's first
    cell is a plain name."""
    answer = app_client.get(route.format(**world), headers=auth(world["token"]))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(BOM) and not answer.content.startswith(BOM * 2)
    header = next(csv.reader(StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert header[0][:1].isalpha(), header


def test_a_downloaded_csv_is_the_mark_and_then_the_writers_rows_unchanged(
    app_client: TestClient, world: dict[str, str]
) -> None:
    """The report job's stored CSV, downloaded: the same bytes after the mark, so read as
    'utf-8-sig' it gives the same rows, separators and letters."""
    route = f"/uppfoljning/jobb/{world['report_job']}/manadsrapport.csv"
    answer = app_client.get(route, headers=auth(world["token"]))
    assert answer.status_code == 200, answer.text
    assert answer.content == BOM + STORED_CSV.encode("utf-8")
    rows = list(csv.reader(StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["huvudman", "tabell", "rad"], ["23", "Månaden", "Östersund"]]
