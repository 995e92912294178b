"""A target comes back as it was written: 650 is "650", never "6.5E+2", in the API, in
`samfard kpi target` and in `samfard kpi list`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from cli_database import database
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.cli import main
from samfard.reports.targets import set_target, target_views

__all__ = ["database"]  # the fixture, imported for pytest

# (kpi, value sent, value answered): money kr (stored in öre), percent, count.
VALUES = (
    ("cost_per_trip", 650, "650"),
    ("cost_per_trip", "700.00", "700"),
    ("cost_per_trip", 6.5, "6.5"),
    ("cost", 1000000, "1000000"),
    ("cost_per_km", "0.01", "0.01"),
    ("punctuality", 90, "90"),
    ("savings_pct", "12.50", "12.5"),
    ("trips", 0, "0"),
    ("deviations_per_1000", 4, "4"),
)


@pytest.mark.parametrize(("kpi", "sent", "answered"), VALUES)
def test_the_api_answers_the_target_as_written(
    app_client: TestClient, session: Session, kpi: str, sent: object, answered: str
) -> None:
    admin = auth(token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, principals=["23"]))
    body = {"principal": "23", "year": 2026, "kpi": kpi, "value": sent}
    put = app_client.put("/api/v1/reports/targets", json=body, headers=admin)
    assert put.status_code == 200, put.text
    assert put.json()["value"] == answered
    listed = app_client.get(
        "/api/v1/reports/targets", params={"principal": "23", "year": 2026}, headers=admin
    )
    assert [t["value"] for t in listed.json() if t["kpi"] == kpi] == [answered]


def test_the_service_keeps_whole_values_whole(session: Session) -> None:
    for value in ("650", "1E+3", "0.0"):
        view = set_target(session=session, actor=SYSTEM, principal="23", year=2026,
                          kpi="cost_per_trip", value=value, now=NOW)  # fmt: skip
        assert "E" not in str(view.value) and view.value == Decimal(value)
    assert [str(v.value) for v in target_views(session, principal="23", year=2026)] == ["0"]


def test_the_kpi_commands_print_the_target_as_written(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = ["kpi", "target", "--principal", "23", "--year", "2025", "--kpi"]
    assert main([*target, "cost_per_trip", "--value", "700"]) == 0
    assert "target 700 kr" in capsys.readouterr().out
    assert main([*target, "cost_per_trip", "--value", "650"]) == 0
    assert main([*target, "cost", "--value", "2000000"]) == 0
    capsys.readouterr()
    assert main(["kpi", "list", "--principal", "23", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "cost_per_trip: target 650 kr" in out and "cost: target 2000000 kr" in out
    assert "E+" not in out


@pytest.mark.parametrize(
    ("kpi", "sent"),
    [
        ("cost", 1e12),  # 10^14 öre overflowed NUMERIC(18, 4) on PostgreSQL: a 500
        ("cost", "1000000000000"),
        ("punctuality", "1000000000000"),
        ("cost_per_trip", "6.505"),  # finer than the öre: was rounded without a word
        ("cost_per_km", 0.001),
        ("savings_pct", "12.34567"),
    ],
)
def test_a_target_the_table_cannot_keep_exactly_is_refused_naming_the_value(
    app_client: TestClient, session: Session, kpi: str, sent: object
) -> None:
    admin = auth(token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, principals=["23"]))
    body = {"principal": "23", "year": 2026, "kpi": kpi, "value": sent}
    answer = app_client.put("/api/v1/reports/targets", json=body, headers=admin)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "value"
    listed = app_client.get(
        "/api/v1/reports/targets", params={"principal": "23", "year": 2026}, headers=admin
    )
    assert listed.json() == []


def test_the_largest_targets_kept_come_back_exactly(
    app_client: TestClient, session: Session
) -> None:
    admin = auth(token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, principals=["23"]))
    for kpi, value in (("cost", "999999999999.99"), ("punctuality", "999999.1234")):
        body = {"principal": "23", "year": 2026, "kpi": kpi, "value": value}
        put = app_client.put("/api/v1/reports/targets", json=body, headers=admin)
        assert put.status_code == 200 and put.json()["value"] == value, put.text
    listed = app_client.get(
        "/api/v1/reports/targets", params={"principal": "23", "year": 2026}, headers=admin
    )
    assert sorted(t["value"] for t in listed.json()) == ["999999.1234", "999999999999.99"]
