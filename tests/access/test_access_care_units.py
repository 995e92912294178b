"""A care account's unit is a care place of its principals (`access.care_units`): the
unit was free text, and a typo or another region's hospital made a nurse who matched
nothing or worked for the wrong region."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, auth, token_for
from samfard.access import care_units, users
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.access.schemas import UserChange
from samfard.demo.care import UNITS
from samfard.errors import InputError
from samfard.geo.models import Place

ALL = frozenset({"*"})


@pytest.fixture
def admin(session: Session) -> str:
    return token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="root")


def nurse(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "username": "syster",
        "password": STRONG_PASSWORD,
        "role": "care_issuer",
        "principal_codes": ["22"],
        "care_unit": "Sundsvalls sjukhus",
    }
    body.update(changes)
    return body


def test_a_care_unit_of_the_principals_region_is_accepted(
    app_client: TestClient, admin: str
) -> None:
    response = app_client.post("/api/v1/users", json=nurse(), headers=auth(admin))
    assert response.status_code == 201, response.text
    assert response.json()["care_unit"] == "Sundsvalls sjukhus"


def test_a_misspelt_unit_is_refused_at_the_care_unit_field(
    app_client: TestClient, admin: str
) -> None:
    response = app_client.post(
        "/api/v1/users", json=nurse(care_unit="Sundsvall sjukhus"), headers=auth(admin)
    )
    assert response.status_code == 422
    assert response.json()["field"] == "care_unit"
    assert "no care unit named 'Sundsvall sjukhus'" in response.json()["detail"]


def test_another_regions_unit_is_refused(app_client: TestClient, admin: str) -> None:
    response = app_client.post(
        "/api/v1/users", json=nurse(care_unit="Östersunds sjukhus"), headers=auth(admin)
    )
    assert response.status_code == 422
    assert response.json()["field"] == "care_unit"
    assert "not in the county" in response.json()["detail"]


def test_a_place_that_is_no_care_unit_is_refused(app_client: TestClient, admin: str) -> None:
    """A locality or a university hospital beyond the counties issues no certificates."""
    for name in ("Sundsvall", "St. Olavs hospital"):
        response = app_client.post("/api/v1/users", json=nurse(care_unit=name), headers=auth(admin))
        assert response.status_code == 422, name
        assert response.json()["field"] == "care_unit"


def test_changing_an_account_to_another_regions_unit_is_refused(
    app_client: TestClient, admin: str, session: Session
) -> None:
    made = app_client.post("/api/v1/users", json=nurse(), headers=auth(admin)).json()
    root = Actor(user_id=None, username="root", role=Role.SYSTEM_ADMIN, principal_codes=ALL)
    change = UserChange(
        role=Role.CARE_ISSUER, principal_codes=["22"], care_unit="Hälsocentral Sveg"
    )
    with pytest.raises(InputError) as refused:
        users.change(session=session, actor=root, user_id=made["id"], data=change)
    assert refused.value.field == "care_unit"


def test_a_principal_administrator_staffs_only_units_of_their_principals(
    app_client: TestClient, session: Session
) -> None:
    sundsvall = token_for(
        session, Role.PRINCIPAL_ADMIN, now=NOW, username="sv-admin", principals=["2281", "22"]
    )
    ok = app_client.post("/api/v1/users", json=nurse(), headers=auth(sundsvall))
    assert ok.status_code == 201, ok.text
    other = app_client.post(
        "/api/v1/users",
        json=nurse(username="syster2", care_unit="Hälsocentral Funäsdalen"),
        headers=auth(sundsvall),
    )
    assert other.status_code == 422
    assert other.json()["field"] == "care_unit"


def test_the_units_of_a_principal_are_its_countys_care_places(session: Session) -> None:
    regions = dict(care_units.choices(session, ["22", "2380"]))
    west = regions["Region Västernorrland"]
    assert "Sundsvalls sjukhus" in west and "Hälsocentral Kramfors" in west
    assert "Östersunds sjukhus" not in west
    assert "Östersunds sjukhus" in regions["Region Jämtland Härjedalen"]
    assert "Sundsvall" not in care_units.units_of(session, ["22"])  # a locality


def test_the_demos_units_are_valid_care_units(session: Session) -> None:
    """demo/care.py makes its nurses with the unit's place name: each is a care unit of
    the unit's region under the rule."""
    for unit in UNITS:
        place = session.query(Place).filter_by(key=unit.place_key).one()
        assert not list(care_units.problems(session, place.name, [unit.principal])), place.name
