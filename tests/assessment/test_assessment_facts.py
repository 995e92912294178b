"""Facts read from the register for the engine (both databases), the purpose and age rules
of the fact builder (pure), and the audit of every read of a traveller's assessment data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, iso, place_id, register, token_for
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.assessment.facts import age_on, build_request, road_km, split_purpose
from samfard.assessment.service import trip_of
from samfard.booking.models import Booking
from samfard.rules.facts import Mode
from samfard.rules.loader import shipped_rulebooks
from samfard.travellers.models import Traveller

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(1950, 11, 25), date(2026, 11, 25), 76),  # birthday counts on the day
        (date(1950, 11, 26), date(2026, 11, 25), 75),
        (date(2008, 2, 29), date(2027, 2, 28), 18),  # leap-day birth: not yet 19
        (date(2008, 2, 29), date(2027, 3, 1), 19),
    ],
)
def test_age_on_the_trip_day_counts_whole_years(birth: date, day: date, age: int) -> None:
    assert age_on(birth, day) == age


@pytest.mark.parametrize(
    ("written", "purpose", "referral"),
    [
        (None, None, False),
        ("treatment", "treatment", False),
        ("referral", "doctor_visit", True),
        ("treatment+referral", "treatment", True),
        ("treatment+other", "treatment+other", False),
    ],
)
def test_purpose_carries_the_referral_flag(
    written: str | None, purpose: str | None, referral: bool
) -> None:
    assert split_purpose(written) == (purpose, referral)


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW)


def stored_trip(client: TestClient, token: str, traveller: int, hospital: str, purpose: str) -> int:
    unit = place_id(client, token, hospital)
    body = {
        "traveller_id": traveller,
        "service": "sjukresa",
        "principal": "23",
        "purpose": purpose,
        "needs": ["wheelchair"],
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": unit},
                "appointment_at": iso(WEDNESDAY, "10:00"),
            },
            {
                "origin": {"place_id": unit},
                "destination": {"home": True},
                "pickup_at": iso(WEDNESDAY, "13:00"),
                "return_of": 0,
            },
        ],
    }
    response = client.post("/api/v1/bookings", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_register_facts_of_a_stored_booking(
    app_client: TestClient, session: Session, operator: str
) -> None:
    """Anna (Östersund, born 1912-12-12) to the nearest hospital: county 23, her age on the
    trip day, road distance from the geodesic model, needs mapped to a wheelchair vehicle."""
    anna = register(app_client, operator)
    booking = session.get(
        Booking, stored_trip(app_client, operator, anna, "Östersunds sjukhus", "treatment")
    )
    traveller = session.get(Traveller, anna)
    assert booking is not None and traveller is not None
    request = build_request(session, trip_of(booking), traveller, shipped_rulebooks())
    assert (request.traveller.age, request.traveller.county) == (113, "23")
    assert request.traveller.municipality == "2380"
    trip = request.trip
    assert trip.destination_is_nearest and trip.destination_kind == "hospital"
    assert trip.requested_mode is Mode.WHEELCHAIR_VEHICLE and trip.needs.wheelchair
    outward = booking.legs[0]
    assert trip.legs[0].distance_km == road_km(
        (outward.origin_lat, outward.origin_lon),
        (outward.destination_lat, outward.destination_lon),
    )
    assert [leg.direction for leg in trip.legs] == ["outward", "return"]
    assert trip.legs[0].origin_municipality == "2380"
    assert trip.legs[0].nearest_unit_km is None
    assert request.traveller.ledger is not None and request.traveller.ledger.paid_ore == 0


def test_a_farther_unit_is_not_the_nearest_and_carries_the_distance_to_the_nearest(
    app_client: TestClient, session: Session, operator: str
) -> None:
    anna = register(app_client, operator)
    booking = session.get(
        Booking, stored_trip(app_client, operator, anna, "Sundsvalls sjukhus", "treatment+referral")
    )
    traveller = session.get(Traveller, anna)
    assert booking is not None and traveller is not None
    request = build_request(session, trip_of(booking), traveller, shipped_rulebooks())
    assert not request.trip.destination_is_nearest
    assert request.trip.referral and request.trip.purpose == "treatment"
    nearest = request.trip.legs[0].nearest_unit_km
    assert nearest is not None and Decimal(0) < nearest < Decimal(10)
    assert request.trip.legs[0].distance_km > Decimal(200)
    decision = booking.decision or {}
    assert "destination.referral" in {r["code"] for r in decision.get("reasons", [])}


def test_reads_of_assessment_data_are_audited(
    app_client: TestClient, session: Session, operator: str
) -> None:
    assessor = token_for(session, Role.ASSESSOR, now=NOW, username="assessor-audit")
    anna = register(app_client, operator)
    booking_id = stored_trip(app_client, operator, anna, "Östersunds sjukhus", "treatment")
    reads = [
        app_client.get("/api/v1/assessments/queue", headers=auth(assessor)),
        app_client.get(f"/api/v1/bookings/{booking_id}/decision-letter", headers=auth(assessor)),
        app_client.get(
            f"/api/v1/fee-ledger/{anna}", params={"principal": "23"}, headers=auth(assessor)
        ),
    ]
    assert [r.status_code for r in reads] == [200, 200, 200]
    purposes = set(
        session.scalars(
            select(AuditEntry.purpose).where(
                AuditEntry.username == "assessor-audit", AuditEntry.traveller_id == anna
            )
        )
    )
    assert {"assessment queue", "booking card", "fee ceiling status"} <= purposes
