"""Örnsköldsvik's 20 single trips a year outside the färdtjänst area are counted from the
stored bookings: the count handed to the rules was always 0, so the 21st trip was approved
as the first. Trips that stand count, cancelled ones not; the year is the permit year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from assessment_fixtures import STINA, book
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import auth, iso, place_id
from samfard.assessment.facts import build_request
from samfard.assessment.quota import permit_year
from samfard.assessment.service import trip_of
from samfard.booking.models import Booking
from samfard.rules.loader import shipped_rulebooks
from samfard.travellers.models import Traveller

HOME = {"street": "Storgatan 3", "postal_code": "891 33", "city": "Örnsköldsvik",
        "municipality_code": "2284", "lat": 63.2905, "lon": 18.7160}  # fmt: skip
FIRST_MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("granted", "day", "year"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), (date(2026, 1, 1), date(2026, 12, 31))),
        (date(2025, 9, 15), date(2026, 9, 14), (date(2025, 9, 15), date(2026, 9, 14))),
        (date(2025, 9, 15), date(2026, 9, 15), (date(2026, 9, 15), date(2027, 9, 14))),
        (date(2024, 2, 29), date(2026, 3, 1), (date(2026, 2, 28), date(2027, 2, 27))),
    ],
)
def test_the_permit_year_runs_from_the_permits_first_day(
    granted: date, day: date, year: tuple[date, date]
) -> None:
    assert permit_year(granted, day) == year


@pytest.fixture
def ornskoldsvik(app_client: TestClient, operator: str) -> int:
    body = {**STINA, "personal_number": "19480808-8886", "address": HOME}
    created = app_client.post("/api/v1/travellers", json=body, headers=auth(operator))
    assert created.status_code == 201, created.text
    traveller = int(created.json()["id"])
    permit = {"kind": "fardtjanst", "principal": "2284", "valid_from": "2026-01-01"}
    answer = app_client.post(
        f"/api/v1/travellers/{traveller}/permits", json=permit, headers=auth(operator)
    )
    assert answer.status_code == 201, answer.text
    return traveller


def to_harnosand(
    client: TestClient, token: str, traveller: int, day: date, *, back: bool = True
) -> dict[str, Any]:
    """Home to Härnösand, another municipality: outside Örnsköldsvik's area."""
    there = {"place_id": place_id(client, token, "Härnösand")}
    legs: list[dict[str, Any]] = [
        {"origin": {"home": True}, "destination": there, "pickup_at": iso(day, "09:00")}
    ]
    if back:
        legs.append(
            {
                "origin": there,
                "destination": {"home": True},
                "pickup_at": iso(day, "15:00"),
                "return_of": 0,
            }
        )
    body = {
        "traveller_id": traveller,
        "service": "fardtjanst",
        "principal": "2284",
        "purpose": "visit",
        "legs": legs,
    }
    return book(client, token, body)


def _codes(booking: dict[str, Any]) -> set[str]:
    return {r["code"] for r in booking["decision"]["reasons"]}


def test_the_twenty_first_trip_outside_the_area_in_a_permit_year_is_refused(
    app_client: TestClient, session: Session, operator: str, ornskoldsvik: int
) -> None:
    """Ten round trips use the 20 single trips; the next is refused with area.quota_used;
    a cancelled round trip gives its two back; the next permit year starts afresh."""
    booked = [
        to_harnosand(app_client, operator, ornskoldsvik, FIRST_MONDAY + timedelta(days=day))
        for day in range(10)
    ]
    assert [b["status"] for b in booked] == ["approved"] * 10, [
        b["decision"]["refused_because"] for b in booked
    ]
    assert all("area.quota" in _codes(b) for b in booked)
    late = FIRST_MONDAY + timedelta(days=20)
    refused = to_harnosand(app_client, operator, ornskoldsvik, late, back=False)
    assert refused["status"] == "denied"
    assert "area.quota_used" in {
        r["code"] for r in refused["decision"]["reasons"] if r["effect"] == "refuse"
    }
    cancelled = app_client.post(
        f"/api/v1/bookings/{booked[3]['id']}/cancel",
        json={"reason": "resan behövs inte"},
        headers=auth(operator),
    )
    assert cancelled.status_code == 200, cancelled.text
    again = to_harnosand(app_client, operator, ornskoldsvik, late, back=False)
    assert again["status"] == "approved", again["decision"]["refused_because"]
    stored = session.get(Booking, again["id"])
    traveller = session.get(Traveller, ornskoldsvik)
    assert stored is not None and traveller is not None
    request = build_request(session, trip_of(stored), traveller, shipped_rulebooks())
    assert request.traveller.outside_area_trips_this_year == 18  # itself left out
    next_year = to_harnosand(app_client, operator, ornskoldsvik, date(2027, 1, 4))
    assert next_year["status"] == "approved", next_year["decision"]["refused_because"]


def test_trips_inside_the_area_use_none_of_the_quota(
    app_client: TestClient, session: Session, operator: str, ornskoldsvik: int
) -> None:
    husum = {"place_id": place_id(app_client, operator, "Husum")}
    body = {
        "traveller_id": ornskoldsvik,
        "service": "fardtjanst",
        "principal": "2284",
        "purpose": "visit",
        "legs": [
            {
                "origin": {"home": True},
                "destination": husum,
                "pickup_at": iso(FIRST_MONDAY, "09:00"),
            }
        ],
    }
    inside = book(app_client, operator, body)
    outside = to_harnosand(app_client, operator, ornskoldsvik, FIRST_MONDAY)
    stored = session.get(Booking, outside["id"])
    traveller = session.get(Traveller, ornskoldsvik)
    assert stored is not None and traveller is not None
    request = build_request(session, trip_of(stored), traveller, shipped_rulebooks())
    assert inside["status"] == "approved"
    assert request.traveller.outside_area_trips_this_year == 0
