"""Reports read from the settled tables: figures, formats, scope and the empty month."""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from report_month import load_month
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.attachment import content_disposition
from samfard.principals.models import Principal
from samfard.reports.monthly import CostLine
from samfard.reports.service import monthly_report
from samfard.reports.sheet import sheet_title

sys.path.insert(0, str(Path(__file__).parent.parent / "reports"))
from pdf_text import pdf_strings  # noqa: E402


def _line(lines: Sequence[CostLine], label: str) -> tuple[int, int]:
    for line in lines:
        if line.label == label:
            return line.current, line.previous
    raise AssertionError(f"no line {label}")


def test_monthly_report_from_the_database_matches_hand_computed_figures(
    session: Session,
) -> None:
    load_month(session)
    report = monthly_report(
        session=session, actor=SYSTEM, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    assert _line(report.month_lines, "Total kostnad") == (100000, 40000)
    assert _line(report.month_lines, "Kostnad Sjukresor") == (50000, 40000)
    assert _line(report.month_lines, "Kostnad Färdtjänst") == (50000, 0)
    assert _line(report.month_lines, "Kostnad om varje resa körts ensam") == (115000, 40000)
    assert _line(report.month_lines, "Samordningsvinst") == (15000, 0)
    assert _line(report.month_lines, "Egenavgifter") == (12500, 0)
    assert _line(report.month_lines, "Nettokostnad") == (87500, 40000)
    assert [(p.principal, p.trips, p.cost) for p in report.principals] == [("23", 3, 100000)]
    assert not report.empty


def test_a_month_without_trips_reports_zeros_and_says_so(session: Session) -> None:
    load_month(session)
    report = monthly_report(
        session=session, actor=SYSTEM, principal="23", year=2026, month=3, today=date(2027, 1, 1)
    )
    assert report.empty
    assert _line(report.month_lines, "Total kostnad") == (0, 0)
    assert "alla belopp är noll" in report.summary[0]


def _analyst(
    session: Session, principals: list[str], username: str | None = None
) -> dict[str, str]:
    return auth(token_for(session, Role.ANALYST, now=NOW, principals=principals, username=username))


def test_api_monthly_pdf_holds_the_table_values(app_client: TestClient, session: Session) -> None:
    load_month(session)
    response = app_client.get(
        "/api/v1/reports/monthly",
        params={"month": "2026-10", "principal": "23", "format": "pdf"},
        headers=_analyst(session, ["23"]),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_strings(response.content))
    assert "1 000,00 kr" in text.replace("\xa0", " ")  # total cost of the month
    assert "875,00 kr" in text.replace("\xa0", " ")  # net cost


def test_api_monthly_csv_and_html(app_client: TestClient, session: Session) -> None:
    load_month(session)
    headers = _analyst(session, ["23"])
    params = {"month": "2026-10", "principal": "23"}
    page = app_client.get("/api/v1/reports/monthly", params=params, headers=headers)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    rows = app_client.get(
        "/api/v1/reports/monthly", params={**params, "format": "csv"}, headers=headers
    )
    assert rows.status_code == 200
    assert ";1000,00;400,00;" in rows.text


def test_analyst_of_principal_23_is_refused_principal_22(
    app_client: TestClient, session: Session
) -> None:
    load_month(session)
    headers = _analyst(session, ["23"])
    for path, params in (
        ("/api/v1/reports/monthly", {"month": "2026-10", "principal": "22"}),
        ("/api/v1/reports/cost-statement", {"month": "2026-10", "principal": "22"}),
    ):
        response = app_client.get(path, params=params, headers=headers)
        assert response.status_code == 403, (path, response.text)
        assert "principal 22" in response.json()["detail"]


def test_a_principal_code_nobody_has_is_refused_not_answered_empty(
    app_client: TestClient, session: Session
) -> None:
    """A mistyped code gets a 422 that names it, not a file or list with nothing in it
    that reads as a month without trips."""
    load_month(session)
    headers = _analyst(session, ["*"])
    for path, params in (
        ("/api/v1/reports/monthly", {"month": "2026-10", "principal": "99"}),
        ("/api/v1/reports/cost-statement", {"month": "2026-10", "principal": "99"}),
        ("/api/v1/reports/targets", {"year": "2026", "principal": "99"}),
    ):
        response = app_client.get(path, params=params, headers=headers)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["detail"] == "unknown principal 99", path


def test_api_cost_statement_csv_and_xlsx(app_client: TestClient, session: Session) -> None:
    load_month(session)
    headers = _analyst(session, ["23"])
    params = {"month": "2026-10", "principal": "23"}
    response = app_client.get("/api/v1/reports/cost-statement", params=params, headers=headers)
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["t1", "t2", "t3", "TOTAL"]
    assert rows[-1][6] == "1000.00"  # allocated
    book = app_client.get(
        "/api/v1/reports/cost-statement", params={**params, "format": "xlsx"}, headers=headers
    )
    assert book.status_code == 200
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values[1:] == ["t1", "t2", "t3", "TOTAL"]


def test_api_invoice_basis_lists_the_carriers_runs_of_the_month(
    app_client: TestClient, session: Session
) -> None:
    load_month(session)
    params = {"month": "2026-10", "carrier": "Demo Taxi Jämtland Härjedalen"}
    everyone = _analyst(session, ["*"])
    response = app_client.get("/api/v1/reports/invoice-basis", params=params, headers=everyone)
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["r1", "r4", "r2", "TOTAL"]
    assert rows[-1][-1] == "1999.00"
    book = app_client.get(
        "/api/v1/reports/invoice-basis", params={**params, "format": "xlsx"}, headers=everyone
    )
    assert book.status_code == 200 and book.content[:2] == b"PK"


def test_invoice_basis_lists_to_an_analyst_only_the_runs_of_their_principals(
    app_client: TestClient, session: Session
) -> None:
    """The carrier also drove r4 for region 22 (999 kr): region 23 sees r1 and r2 only."""
    load_month(session)
    params = {"month": "2026-10", "carrier": "Demo Taxi Jämtland Härjedalen"}
    response = app_client.get(
        "/api/v1/reports/invoice-basis", params=params, headers=_analyst(session, ["23"])
    )
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["r1", "r2", "TOTAL"]
    assert rows[-1][-1] == "1000.00"
    other = app_client.get(
        "/api/v1/reports/invoice-basis",
        params=params,
        headers=_analyst(session, ["22"], username="analyst-22"),
    )
    assert [r[0] for r in csv.reader(io.StringIO(other.text))][1:] == ["r4", "TOTAL"]


@pytest.mark.parametrize("principal", ["2[3]", "A/B:*?", "Härjedalen", "漢字", 'x"; y=1'])
def test_a_statement_of_any_principal_asked_for_is_a_file_not_a_server_error(
    app_client: TestClient, session: Session, principal: str
) -> None:
    """The file's name and its sheet's title carry the principal's code: a character a
    header or Excel refuses is replaced there, and the code as given travels in
    `filename*`. (A code no principal has is refused first; these are stored ones.)"""
    session.add(Principal(code=principal, name="Prov", kind="municipality", county_code="23",
                          services=[], handled_by_code=None))  # fmt: skip
    session.flush()
    headers = _analyst(session, ["*"])
    for format in ("csv", "xlsx"):
        params = {"month": "2026-10", "principal": principal, "format": format}
        answer = app_client.get("/api/v1/reports/cost-statement", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        disposition = answer.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="kostnadsredovisning-')
        name = f"kostnadsredovisning-{principal}-2026-10.{format}"
        assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
        plain = disposition.split('filename="')[1].split('"')[0]
        assert re.fullmatch(r"[A-Za-z0-9._-]+", plain), plain
    assert load_workbook(io.BytesIO(answer.content)).active is not None


def test_names_excel_refuses_become_sheet_titles_it_takes() -> None:
    assert sheet_title("A/B Taxi: [jan]?*\\") == "A-B Taxi- -jan----"
    assert sheet_title("x" * 40) == "x" * 31 and sheet_title("''") == "Blad"
    assert content_disposition("beslut-7.pdf", inline=True) == (
        "inline; filename=\"beslut-7.pdf\"; filename*=UTF-8''beslut-7.pdf"
    )
