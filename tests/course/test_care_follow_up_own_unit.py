"""Care staff follow their own unit up at /enheter (page, CSV and the API's CSV), never
another unit's rows, staff or totals, and no traveller; an analyst still sees every unit
of the region. SQLite and PostgreSQL. Before 7 December 2026 /enheter was for readers of
reports only, and a nurse had no way to see what her unit prescribes."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from io import StringIO

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, login_form, register
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.care.follow_up import follow_up
from samfard.errors import Forbidden
from samfard.travellers.models import Certificate, Issuer

UNIT = "Medicinmottagningen Sundsvall"  # the `nurse` fixture's unit
TIMRA = "Hälsocentral Timrå"
HIDDEN = {**ANNA, "personal_number": "19800101-0001", "first_name": "Hemlig",
          "last_name": "Gömdsson", "protected_identity": True,
          "address": {"street": "Dolda gränd 7", "postal_code": "851 70", "city": "Sundsvall",
                      "municipality_code": "2281", "lat": 62.3908, "lon": 17.3069}}  # fmt: skip


@pytest.fixture
def two_units(session: Session, app_client: TestClient, operator: str, stina: int) -> None:
    """Three certificates of the nurse's unit (one for a protected patient), five of
    Timrå's, and a certification about to lapse at each unit."""
    hidden = register(app_client, operator, HIDDEN)
    for unit, count, who in ((UNIT, 3, "Doktor Egen"), (TIMRA, 5, "Doktor Annan")):
        issuer = Issuer(hsa_id=f"SE2321000180-{count}X", name=who, unit=unit,
                        principal_code="22", course_passed_on=date(2025, 1, 10),
                        certified_until=NOW.date() + timedelta(days=30))  # fmt: skip
        session.add(issuer)
        session.flush()
        for n in range(count):
            session.add(
                Certificate(traveller_id=hidden if n == 0 else stina, principal_code="22",
                            kind="single_trip", modes=["taxi"], valid_from=date(2026, 11, 20),
                            valid_until=date(2026, 12, 20), unit=unit, issued_at=NOW,
                            issuer_id=issuer.id)
            )  # fmt: skip
    session.flush()


def _csv_units(text: str) -> dict[str, int]:
    """Each unit in the CSV with its certificates over the months."""
    units: dict[str, int] = {}
    for row in list(csv.reader(StringIO(text), delimiter=";"))[1:]:
        units[row[0]] = units.get(row[0], 0) + int(row[4])
    return units


def test_a_nurse_sees_her_own_unit_and_nothing_of_another(
    app_client: TestClient, session: Session, nurse: str, two_units: None
) -> None:
    answer = app_client.post("/login", data=login_form("syster-sara", app_client))
    assert answer.status_code == 200
    page = app_client.get("/enheter")
    assert page.status_code == 200
    assert '<a href="/enheter"' in page.text, "a link in the navigation"
    assert f'<th scope="row">{UNIT}</th>' in page.text
    assert f"Du ser din egen enhet, {UNIT}." in page.text
    assert "Doktor Egen" in page.text, "her unit's certification about to lapse"
    for other in (TIMRA, "Doktor Annan", "SE2321000180-5X", "Hemlig", "Gömdsson"):
        assert other not in page.text, other
    cells = page.text.split(f'<th scope="row">{UNIT}</th>', 1)[1]
    assert '<td class="num">3</td>' in cells and '<td class="num">8</td>' not in page.text
    own_csv = app_client.get("/enheter/uppfoljning.csv")
    assert own_csv.status_code == 200
    assert _csv_units(own_csv.text) == {UNIT: 3}
    api = app_client.get("/api/v1/reports/care-units", headers=auth(nurse))
    assert api.status_code == 200 and _csv_units(api.text) == {UNIT: 3}


def test_an_analyst_still_sees_every_unit_of_the_region(
    app_client: TestClient, session: Session, analyst: str, two_units: None
) -> None:
    assert app_client.post("/login", data=login_form("analyst-user", app_client)).status_code == 200
    page = app_client.get("/enheter").text
    assert f'<th scope="row">{UNIT}</th>' in page and f'<th scope="row">{TIMRA}</th>' in page
    assert "Doktor Egen" in page and "Doktor Annan" in page
    assert "Du ser din egen enhet" not in page
    assert _csv_units(app_client.get("/enheter/uppfoljning.csv").text) == {UNIT: 3, TIMRA: 5}


def test_care_staff_without_a_unit_see_nothing(session: Session, two_units: None) -> None:
    """An account that reads no reports is scoped by its unit; without one it is refused,
    not shown every unit of its region."""
    unitless = Actor(user_id=None, username="utan-enhet", role=Role.CARE_ISSUER,
                     principal_codes=frozenset({"22"}))  # fmt: skip
    with pytest.raises(Forbidden):
        follow_up(session=session, actor=unitless, now=NOW)
