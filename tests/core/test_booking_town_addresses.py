"""Two streets of a town are two places, though both lie at the town's point.

The gazetteer has no street index: a home registered without coordinates and a street
typed at the desk ("Kyrkgatan 20, Östersund") are both placed at their town's point. A trip
between them was refused as one that "starts where it ends". It is booked (a trip of no
length for the planner); the same place twice (the home, the same place id, the same
address written twice) is still refused, and so is a point of its own (typed
coordinates) 22 m from the home (tests/access/test_access_derived_facts.py). Over the API,
the series and a new time, on SQLite and PostgreSQL; the desk's page:
tests/web/test_desk_town_addresses.py."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import (
    ANNA,
    NOW,
    auth,
    iso,
    place_id,
    plan_fixed,
    register_in_ostersund_fardtjanst,
    token_for,
)
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.costs.service import load_contract_files
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.fleet import load_demo_fleet
from samfard.timeutil import local

MONDAY = date(2026, 11, 23)
# Östersund's point in the gazetteer (places.csv): where a home without coordinates lies.
OSTERSUND = {"lat": 63.1767, "lon": 14.6361}
GUNNEL = ANNA | {
    "first_name": "Gunnel",
    "address": ANNA["address"] | {"street": "Storgatan 12"} | OSTERSUND,  # type: ignore[operator]
}
KYRKGATAN = {"address": "Kyrkgatan 20, Östersund"} | OSTERSUND


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW, username="town-desk")


@pytest.fixture
def gunnel(app_client: TestClient, operator: str) -> int:
    return register_in_ostersund_fardtjanst(app_client, operator, GUNNEL)


def _trip(traveller: int, destination: dict[str, Any], *, back: bool = True) -> dict[str, Any]:
    legs: list[dict[str, Any]] = [
        {"origin": {"home": True}, "destination": destination,
         "pickup_at": iso(MONDAY, "14:00")},
        {"origin": destination, "destination": {"home": True},
         "pickup_at": iso(MONDAY, "16:00"), "return_of": 0},
    ]  # fmt: skip
    return {
        "traveller_id": traveller,
        "service": "fardtjanst",
        "principal": "2380",
        "purpose": "leisure",
        "legs": legs if back else legs[:1],
    }


def test_a_street_in_the_travellers_own_town_is_booked(
    app_client: TestClient, operator: str, gunnel: int, session: Session
) -> None:
    """Both ends at Östersund's point, with different addresses: booked, the legs at the
    town's point (a trip of no length), the addresses as typed."""
    answer = app_client.post(
        "/api/v1/bookings", json=_trip(gunnel, KYRKGATAN), headers=auth(operator)
    )
    assert answer.status_code == 201, answer.text
    booking = session.get(Booking, answer.json()["id"])
    assert booking is not None
    out, back = sorted(booking.legs, key=lambda leg: leg.seq)
    assert (out.origin_address, out.destination_address) == (
        "Storgatan 12, Östersund",
        "Kyrkgatan 20, Östersund",
    )
    assert (out.origin_lat, out.origin_lon) == (out.destination_lat, out.destination_lon)
    assert back.destination_address == "Storgatan 12, Östersund"


@pytest.mark.parametrize(
    "destination",
    [
        {"home": True},
        {"address": "Storgatan 12, Östersund"} | OSTERSUND,
        {"address": "storgatan 12,  ÖSTERSUND"} | OSTERSUND,  # written otherwise, the same
        # A point of its own 22 m from the town's: the caller says where it is.
        {"address": "Punkt, Östersund", "lat": OSTERSUND["lat"] + 0.0002, "lon": OSTERSUND["lon"]},
    ],
    ids=["home", "the home's address", "the home's address written otherwise", "a typed point"],
)
def test_the_same_place_twice_is_still_refused(
    app_client: TestClient, operator: str, gunnel: int, destination: dict[str, Any]
) -> None:
    answer = app_client.post(
        "/api/v1/bookings", json=_trip(gunnel, destination, back=False), headers=auth(operator)
    )
    assert answer.status_code == 422, answer.text
    assert "starts where it ends" in answer.json()["detail"]
    assert answer.json()["field"] == "legs[0].destination"


def test_the_same_gazetteer_place_twice_is_still_refused(
    app_client: TestClient, operator: str, gunnel: int
) -> None:
    town = {"place_id": place_id(app_client, operator, "Brunflo")}
    body = _trip(gunnel, town, back=False)
    body["legs"][0]["origin"] = town
    answer = app_client.post("/api/v1/bookings", json=body, headers=auth(operator))
    assert answer.status_code == 422
    assert "starts where it ends" in answer.json()["detail"]


def test_a_series_between_two_streets_of_the_town_is_booked(
    app_client: TestClient, operator: str, gunnel: int
) -> None:
    """The series resolves its places once and checks each day as a booking: the same
    rule. The home twice is refused there too."""
    legs = [
        {"origin": {"home": True}, "destination": KYRKGATAN, "pickup_time": "14:00"},
        {"origin": KYRKGATAN, "destination": {"home": True}, "pickup_time": "16:00",
         "return_of": 0},
    ]  # fmt: skip
    series = {
        "traveller_id": gunnel,
        "service": "fardtjanst",
        "principal": "2380",
        "purpose": "leisure",
        "weekdays": ["mon", "wed"],
        "start_date": "2026-11-23",
        "end_date": "2026-11-27",
        "legs": legs,
    }
    answer = app_client.post("/api/v1/series", json=series, headers=auth(operator))
    assert answer.status_code == 201, answer.text
    legs[0]["destination"] = {"home": True}
    home_to_home = series | {"legs": legs[:1]}
    refused = app_client.post("/api/v1/series", json=home_to_home, headers=auth(operator))
    assert refused.status_code == 422
    assert "starts where it ends" in refused.json()["detail"]


def test_a_new_time_for_such_a_trip_is_not_refused_for_its_places(
    app_client: TestClient, operator: str, gunnel: int
) -> None:
    """A new time moves no place: the places are not checked again (the stored ends at the
    home's point were both read as the home, and the trip was refused as booked)."""
    created = app_client.post(
        "/api/v1/bookings", json=_trip(gunnel, KYRKGATAN), headers=auth(operator)
    ).json()
    answer = app_client.patch(
        f"/api/v1/bookings/{created['id']}",
        json={
            "version": created["version"],
            "legs": [{"seq": 1, "pickup_at": iso(MONDAY, "17:00")}],
        },
        headers=auth(operator),
    )
    assert answer.status_code == 200, answer.text


def test_a_protected_home_is_not_measured_by_the_same_place_check(
    app_client: TestClient, operator: str
) -> None:
    """The guess of a protected home at its own coordinates, under another address, is
    booked as before (test_access_derived_facts); the home twice is refused for any
    traveller, since it says nothing of where the home is."""
    hidden = register_in_ostersund_fardtjanst(
        app_client,
        operator,
        GUNNEL | {"personal_number": "19800101-0001", "protected_identity": True,
                  "address": GUNNEL["address"] | {"lat": 63.18, "lon": 14.65}},  # type: ignore[operator]
    )  # fmt: skip
    guess = {"address": "Gissad gata 1, Östersund", "lat": 63.18, "lon": 14.65}
    answer = app_client.post("/api/v1/bookings", json=_trip(hidden, guess), headers=auth(operator))
    assert answer.status_code == 201, answer.text
    home_to_home = _trip(hidden, {"home": True}, back=False)
    refused = app_client.post("/api/v1/bookings", json=home_to_home, headers=auth(operator))
    assert refused.status_code == 422


def test_the_planner_carries_a_trip_of_no_length(
    app_client: TestClient, operator: str, gunnel: int, session: Session
) -> None:
    """The trip is planned at the town's point: picked up and left there, both legs on a run."""
    answer = app_client.post(
        "/api/v1/bookings", json=_trip(gunnel, KYRKGATAN), headers=auth(operator)
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "approved", answer.json()["decision"]
    load_contract_files(session)
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    plan_fixed(session, MONDAY, now=local(date(2026, 11, 22), time(18, 0)))
    plan = store.latest_plan(session, MONDAY)
    assert plan is not None
    carried = [s for run in plan.runs for s in run.stops if s.booking_id == answer.json()["id"]]
    assert len(carried) == 4, plan.unserved  # two legs, each picked up and left
    assert not [u for u in plan.unserved if u.get("booking_id") == answer.json()["id"]]
