"""Booked lines and närtrafik end to end over HTTP, on SQLite and PostgreSQL: the timetable
is loaded with the reference data, a departure is offered with the moment booking closes,
a booking on it is assessed by the authority's rulebook and paid by the authority, a ride
at no timetabled time is refused with the reason, and närtrafik reaches the nearest stop."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, iso, register, token_for
from samfard.access.permissions import Role
from samfard.geo.models import Place

MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW)


def place(session: Session, key: str) -> int:
    found = session.scalar(select(Place.id).where(Place.key == key))
    assert found is not None, key
    return found


def line_booking(
    session: Session, traveller: int, origin: str, destination: str, at: str, **extra: Any
) -> dict[str, Any]:
    return {
        "traveller_id": traveller,
        "service": "anropsstyrd_linjetrafik",
        "principal": "RKM-23",
        "legs": [
            {
                "origin": {"place_id": place(session, origin)},
                "destination": {"place_id": place(session, destination)},
                "pickup_at": iso(MONDAY, at),
            }
        ],
        **extra,
    }


def test_the_timetable_is_published_with_its_lines(app_client: TestClient, operator: str) -> None:
    lines = app_client.get("/api/v1/lines", params={"principal": "RKM-23"}, headers=auth(operator))
    assert lines.status_code == 200, lines.text
    codes = {line["code"] for line in lines.json()}
    assert "AL 164" in codes and all(line["principal"] == "RKM-23" for line in lines.json())
    al164 = next(line for line in lines.json() if line["code"] == "AL 164")
    assert [s["place_key"] for s in al164["stops"]] == ["funasdalen", "hede", "vemdalen", "sveg"]


def test_a_departure_is_offered_with_its_booking_deadline(
    app_client: TestClient, operator: str
) -> None:
    offers = app_client.get(
        "/api/v1/lines/departures",
        params={
            "principal": "RKM-23",
            "origin": "hede",
            "destination": "sveg",
            "date": MONDAY.isoformat(),
        },
        headers=auth(operator),
    )
    assert offers.status_code == 200, offers.text
    [offer] = offers.json()
    assert offer["line"] == "AL 164"
    assert offer["boards_at"].startswith("2026-11-23T07:30")
    # The line leaves Funäsdalen 06:40 and wants two hours' notice.
    assert offer["book_by"].startswith("2026-11-23T04:40")
    back = app_client.get(
        "/api/v1/lines/departures",
        params={
            "principal": "RKM-23",
            "origin": "sveg",
            "destination": "hede",
            "date": MONDAY.isoformat(),
        },
        headers=auth(operator),
    )
    assert [o["boards_at"][11:16] for o in back.json()] == ["15:30"]


@pytest.mark.parametrize(
    ("origin", "destination", "field"),
    [
        ("Hede", "sveg", "origin"),
        ("hede", "x" * 3000, "destination"),
        ("hede", "umea", "destination"),
    ],
)
def test_a_stop_the_lines_do_not_call_at_is_refused_naming_the_stops(
    app_client: TestClient, operator: str, origin: str, destination: str, field: str
) -> None:
    """The stop's name for its key, or no stop at all, answered 200 with no departures
    (walk-through of the seventh session of 2026-12-06)."""
    answer = app_client.get(
        "/api/v1/lines/departures",
        params={"principal": "RKM-23", "origin": origin, "destination": destination,
                "date": MONDAY.isoformat()},
        headers=auth(operator),
    )  # fmt: skip
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    assert "funasdalen, gaddede, hammerdal, hede, " in answer.json()["detail"]


def test_a_booked_departure_is_approved_and_paid_by_the_authority(
    app_client: TestClient, session: Session, operator: str
) -> None:
    anna = register(app_client, operator)
    created = app_client.post(
        "/api/v1/bookings",
        json=line_booking(session, anna, "hede", "sveg", "07:30"),
        headers=auth(operator),
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "approved"
    assert body["principal"] == "RKM-23"
    decided = body["decided"]
    assert decided["decided_by"] == "rules", decided
    assert decided["fee_ore"] > 0


def test_a_ride_at_no_timetabled_time_is_refused_with_the_reason(
    app_client: TestClient, session: Session, operator: str
) -> None:
    anna = register(app_client, operator)
    created = app_client.post(
        "/api/v1/bookings",
        json=line_booking(session, anna, "hede", "sveg", "07:45"),
        headers=auth(operator),
    )
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "denied"
    stored = app_client.get(f"/api/v1/bookings/{created.json()['id']}", headers=auth(operator))
    reasons = " ".join(stored.json()["decision"]["refused_because"])
    assert "no booked line of RKM-23 leaves hede for sveg at 07:45" in reasons
    assert "(07:30 AL 164)" in reasons, "the refusal offers the day's departures"


def test_the_last_wheelchair_place_goes_to_the_first_to_book(
    app_client: TestClient, session: Session, operator: str
) -> None:
    """AL 39's vehicle has one wheelchair place: a second wheelchair on the same departure
    is refused; once the first cancels, the place is free again."""
    first = register(app_client, operator)
    second = register(app_client, operator, {**ANNA, "personal_number": "19400404-1234"})

    def book(traveller: int) -> dict[str, Any]:
        body = line_booking(session, traveller, "bredbyn", "ornskoldsvik", "08:10")
        body |= {"principal": "RKM-22", "needs": ["wheelchair"]}
        response = app_client.post("/api/v1/bookings", json=body, headers=auth(operator))
        assert response.status_code == 201, response.text
        return dict(response.json())

    taken = book(first)
    assert taken["status"] == "approved"
    refused = book(second)
    assert refused["status"] == "denied"
    stored = app_client.get(f"/api/v1/bookings/{refused['id']}", headers=auth(operator))
    assert "0 wheelchair place(s) left" in " ".join(stored.json()["decision"]["refused_because"])
    cancelled = app_client.post(
        f"/api/v1/bookings/{taken['id']}/cancel",
        json={"reason": "sjuk"},
        headers=auth(operator),
    )
    assert cancelled.status_code == 200, cancelled.text
    assert book(second)["status"] == "approved"


def test_a_line_that_does_not_run_that_day_is_refused(
    app_client: TestClient, session: Session, operator: str
) -> None:
    """AL 425 runs Tuesdays and Thursdays: a Monday ride matches no departure."""
    anna = register(app_client, operator)
    created = app_client.post(
        "/api/v1/bookings",
        json=line_booking(session, anna, "gaddede", "stromsund", "07:00"),
        headers=auth(operator),
    )
    assert created.json()["status"] == "denied"


def test_nartrafik_from_the_door_to_the_nearest_stop(
    app_client: TestClient, session: Session, operator: str
) -> None:
    """A home 6 km outside Föllinge: the nearest service point is Föllinge."""
    countryside = {
        **ANNA,
        "personal_number": "19400404-1234",
        "address": {
            "street": "Skogsvägen 3",
            "postal_code": "835 95",
            "city": "Föllinge",
            "municipality_code": "2309",
            "lat": 63.72,
            "lon": 14.64,
        },
    }
    traveller = register(app_client, operator, countryside)

    def book(destination: str) -> dict[str, Any]:
        response = app_client.post(
            "/api/v1/bookings",
            json={
                "traveller_id": traveller,
                "service": "nartrafik",
                "principal": "RKM-23",
                "legs": [
                    {
                        "origin": {"home": True},
                        "destination": {"place_id": place(session, destination)},
                        "pickup_at": iso(TUESDAY, "10:00"),
                    }
                ],
            },
            headers=auth(operator),
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    near = book("follinge")
    assert near["status"] == "approved", near
    assert near["decided"]["fee_ore"] == 3400
    far = book("ostersund")
    assert far["status"] == "denied"
