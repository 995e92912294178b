"""KPI targets and comments: set by the principal's administrator (API and command line),
scoped to the principal, shown as Mål / Uppfyllt / Kommentar in every report format."""

from __future__ import annotations

import csv
import io
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from report_month import load_month
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.demo.targets import set_demo_targets
from samfard.errors import Forbidden, InputError
from samfard.reports.kpi import Kpi
from samfard.reports.service import monthly_report
from samfard.reports.targets import set_comment, set_target

sys.path.insert(0, str(Path(__file__).parent.parent / "reports"))
from pdf_text import as_drawn, pdf_strings  # noqa: E402

MONTH = {"month": "2026-10", "principal": "23"}


def _admin(session: Session, principals: list[str]) -> dict[str, str]:
    name = "admin-" + "-".join(principals)
    return auth(
        token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, principals=principals, username=name)
    )


def test_admin_sets_a_target_and_a_comment_and_every_format_shows_them(
    app_client: TestClient, session: Session
) -> None:
    """October 2026, principal 23: 3 trips for 1 000 kr, 333,33 kr a trip, against a
    target of 300 kr (lower is better by default for a cost): not met."""
    load_month(session)
    headers = _admin(session, ["23"])
    body = {"principal": "23", "year": 2026, "kpi": "cost_per_trip", "value": "300",
            "comment": "Budget per resa"}  # fmt: skip
    stored = app_client.put("/api/v1/reports/targets", json=body, headers=headers)
    assert stored.status_code == 200, stored.text
    assert stored.json()["higher_is_better"] is False and stored.json()["unit"] == "kr"
    comment = {"principal": "23", "month": "2026-10", "kpi": "cost_per_trip",
               "comment": "Två långa färdtjänstresor i oktober."}  # fmt: skip
    assert app_client.put("/api/v1/reports/comments", json=comment, headers=headers).is_success
    listed = app_client.get(
        "/api/v1/reports/targets", params={"principal": "23", "year": 2026}, headers=headers
    )
    assert [(t["kpi"], Decimal(t["value"])) for t in listed.json()] == [
        ("cost_per_trip", Decimal(300))
    ]

    report = monthly_report(
        session=session, actor=SYSTEM, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    line = next(x for x in report.kpis if x.kpi is Kpi.COST_PER_TRIP)
    assert (line.target, line.met, line.comment) == (
        Decimal(30000),
        False,
        "Två långa färdtjänstresor i oktober.",
    )
    html = app_client.get("/api/v1/reports/monthly", params=MONTH, headers=headers).text
    assert "<td>300,00 kr</td><td>ej uppfyllt</td><td>Två långa färdtjänstresor" in html
    pdf = app_client.get("/api/v1/reports/monthly", params={**MONTH, "format": "pdf"},
                         headers=headers)  # fmt: skip
    drawn = [as_drawn(s) for s in pdf_strings(pdf.content)]
    assert "300,00 kr" in drawn and "ej uppfyllt" in drawn
    assert any("Två långa färdtjänstresor" in s for s in drawn)
    text = app_client.get("/api/v1/reports/monthly", params={**MONTH, "format": "csv"},
                          headers=headers).content.decode("utf-8-sig")  # fmt: skip
    row = next(
        r for r in csv.DictReader(io.StringIO(text), delimiter=";")
        if r["tabell"] == "Nyckeltal" and r["rad"] == "Kostnad per resa"
    )  # fmt: skip
    assert (row["utfall"], row["mål"], row["måluppfyllelse"]) == ("333,33", "300,00", "ej uppfyllt")
    assert row["kommentar"] == "Två långa färdtjänstresor i oktober."


def test_targets_are_scoped_to_the_admins_principal(
    app_client: TestClient, session: Session
) -> None:
    load_month(session)
    body = {"principal": "22", "year": 2026, "kpi": "punctuality", "value": "95"}
    refused = app_client.put("/api/v1/reports/targets", json=body, headers=_admin(session, ["23"]))
    assert refused.status_code == 403
    analyst = auth(token_for(session, Role.ANALYST, now=NOW, principals=["22"]))
    assert app_client.put("/api/v1/reports/targets", json=body, headers=analyst).status_code == 403
    bad = app_client.put(
        "/api/v1/reports/targets", json={**body, "kpi": "speed"}, headers=_admin(session, ["22"])
    )
    assert bad.status_code == 422 and "punctuality" in bad.text


def test_setting_again_replaces_and_an_empty_comment_removes(session: Session) -> None:
    load_month(session)
    for value in ("90", "94"):
        set_target(session=session, actor=SYSTEM, principal="23", year=2026,
                   kpi="punctuality", value=value, now=NOW)  # fmt: skip
    set_comment(session=session, actor=SYSTEM, principal="23", year=2026, month=10,
                kpi="punctuality", comment="Halka.", now=NOW)  # fmt: skip
    set_comment(session=session, actor=SYSTEM, principal="23", year=2026, month=10,
                kpi="punctuality", comment="", now=NOW)  # fmt: skip
    report = monthly_report(
        session=session, actor=SYSTEM, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    line = next(x for x in report.kpis if x.kpi is Kpi.PUNCTUALITY)
    assert line.target == Decimal(94) and "Halka" not in line.comment
    with pytest.raises(InputError, match="month must be 1 to 12"):
        set_comment(session=session, actor=SYSTEM, principal="23", year=2026, month=13,
                    kpi="punctuality", comment="x", now=NOW)  # fmt: skip
    with pytest.raises(InputError, match="unknown principal 99"):
        set_target(session=session, actor=SYSTEM, principal="99", year=2026,
                   kpi="punctuality", value="90", now=NOW)  # fmt: skip


def test_principal_admin_of_another_principal_is_refused_in_the_service(
    session: Session,
) -> None:
    from samfard.access.actor import Actor

    admin = Actor(user_id=1, username="a", role=Role.PRINCIPAL_ADMIN,
                  principal_codes=frozenset({"2380"}))  # fmt: skip
    with pytest.raises(Forbidden):
        set_target(session=session, actor=admin, principal="23", year=2026,
                   kpi="punctuality", value="90", now=NOW)  # fmt: skip


def test_demo_sets_targets_for_every_principal_with_history(session: Session) -> None:
    load_month(session)
    assert set_demo_targets(session, day=date(2026, 10, 20), now=NOW) > 0
    report = monthly_report(
        session=session, actor=SYSTEM, principal="23", year=2026, month=10, today=date(2027, 1, 1)
    )
    with_target = {line.kpi for line in report.kpis if line.target is not None}
    assert {Kpi.COST_PER_TRIP, Kpi.PUNCTUALITY, Kpi.SAVINGS_PCT} <= with_target
    assert any(line.comment.startswith("Sena hämtningar") for line in report.kpis)
