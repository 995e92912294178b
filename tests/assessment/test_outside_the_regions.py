"""An address beyond the two regions is outside them, not in the municipality of the
nearest known place: a Sundsvall resident's riksfärdtjänst to Drottninggatan in Stockholm
was refused as a trip within Sundsvall (2281), and färdtjänst there waited for an assessor
with "no fee band covers 497 km" instead of being refused as outside the service area.
The places and the demo's homes inside the regions keep their own municipality."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from assessment_fixtures import STINA, WEDNESDAY, book
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import auth, iso, place_id, register
from samfard.assessment.boundaries import COAST_KM, municipality_at, served_codes
from samfard.assessment.facts import Gazetteer, build_request
from samfard.assessment.service import trip_of
from samfard.booking.models import Booking
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.geo.places import packaged_rows
from samfard.rules.facts import OUTSIDE_REGIONS
from samfard.rules.loader import shipped_rulebooks
from samfard.travellers.models import Traveller

DROTTNINGGATAN = {"address": "Drottninggatan 1, Stockholm", "lat": 59.33, "lon": 18.06}
GAVLE = {"address": "Drottninggatan 10, Gävle", "lat": 60.675, "lon": 17.141}


def test_every_place_in_the_regions_lies_in_its_own_municipality() -> None:
    """Every place of places.csv in the 15 municipalities resolves to its own; the
    hospitals beyond them (Umeå, Norway) to outside the regions."""
    wrong = []
    for row in packaged_rows():
        code = row["municipality_code"]
        expected = code if code in served_codes() else OUTSIDE_REGIONS
        found = municipality_at(float(row["lat"]), float(row["lon"]))
        if found != expected:
            wrong.append((row["key"], code, found))
    assert wrong == []
    assert len(served_codes()) == 15


@pytest.mark.parametrize(
    ("where", "lat", "lon", "expected"),
    [
        ("Stockholm", 59.33, 18.06, OUTSIDE_REGIONS),
        ("Gävle", 60.675, 17.141, OUTSIDE_REGIONS),
        ("Hudiksvall, next county", 61.73, 17.10, OUTSIDE_REGIONS),
        ("Dorotea, 6 km beyond Strömsund", 64.26, 16.41, OUTSIDE_REGIONS),
        ("Meråker, Norway", 63.415, 11.745, OUTSIDE_REGIONS),
        ("Umeå", 63.83, 20.26, OUTSIDE_REGIONS),
        ("Ytterhogdal, far from any listed place", 62.18, 14.95, "2361"),
        ("Valsjöbyn, north-west Krokom", 64.06, 14.13, "2309"),
        ("Frostviken, north of Gäddede", 64.95, 14.60, "2313"),
        ("Alnö, an island of Sundsvall", 62.43, 17.45, "2281"),
        ("Ulvön, off the simplified coast", 63.017, 18.65, "2282"),
    ],
)
def test_an_address_is_in_the_municipality_whose_boundary_holds_it(
    where: str, lat: float, lon: float, expected: str
) -> None:
    """Large municipalities stay whole far from their places (Härjedalen, Krokom,
    Strömsund); islands within COAST_KM of the simplified coast belong to the nearest."""
    assert municipality_at(lat, lon) == expected, where
    assert COAST_KM < 10


def test_the_demo_homes_and_places_resolve_to_their_own_municipality(session: Session) -> None:
    """Every demo home, as an address (without the rule that the home is the home), and
    every place a demo trip goes to, lies in the municipality the demo gave it."""
    day = generate_day(date(2026, 11, 23), seed=3, trips=300)
    gazetteer = Gazetteer.of(session)
    nobody = Traveller(lat=0.0, lon=0.0, municipality_code="0000")
    wrong = [
        (t.city, t.municipality_code, found)
        for t in day.travellers
        if (found := gazetteer.municipality(None, t.lat, t.lon, nobody)) != t.municipality_code
    ]
    assert wrong == []
    for booking in day.bookings:
        for leg in booking.legs:
            for spot in (leg.origin, leg.destination):
                expected = (
                    spot.municipality_code
                    if spot.municipality_code in served_codes()
                    else OUTSIDE_REGIONS
                )
                assert municipality_at(spot.lat, spot.lon) == expected, spot


def test_a_loaded_demo_day_gives_the_rules_no_leg_outside_the_regions_but_abroad(
    session: Session,
) -> None:
    load_day(session=session, demo=generate_day(date(2026, 11, 23), seed=5, trips=80))
    bookings = list(session.scalars(select(Booking)))
    assert bookings
    for booking in bookings:
        traveller = session.get(Traveller, booking.traveller_id)
        assert traveller is not None
        request = build_request(session, trip_of(booking), traveller, shipped_rulebooks())
        for leg in request.trip.legs:
            for code, place in (
                (leg.origin_municipality, leg.origin_place),
                (leg.destination_municipality, leg.destination_place),
            ):
                assert code in served_codes() or (place is not None and code != OUTSIDE_REGIONS)


def _sundsvall_holder(client: TestClient, operator: str, kind: str) -> int:
    traveller = register(client, operator, STINA)
    permit = {"kind": kind, "principal": "2281", "valid_from": "2026-01-01"}
    answer = client.post(
        f"/api/v1/travellers/{traveller}/permits", json=permit, headers=auth(operator)
    )
    assert answer.status_code == 201, answer.text
    return traveller


def _away(traveller: int, service: str, where: dict[str, Any]) -> dict[str, Any]:
    return {
        "traveller_id": traveller,
        "service": service,
        "principal": "2281",
        "purpose": "visit",
        "legs": [
            {
                "origin": {"home": True},
                "destination": where,
                "pickup_at": iso(WEDNESDAY, "08:00"),
            },
            {
                "origin": where,
                "destination": {"home": True},
                "pickup_at": iso(WEDNESDAY, "18:00"),
                "return_of": 0,
            },
        ],
    }


def _codes(decision: dict[str, Any], effect: str | None = None) -> set[str]:
    return {r["code"] for r in decision["reasons"] if effect is None or r["effect"] == effect}


def test_riksfardtjanst_to_stockholm_goes_between_municipalities(
    app_client: TestClient, session: Session, operator: str
) -> None:
    traveller = _sundsvall_holder(app_client, operator, "riksfardtjanst")
    booking = book(app_client, operator, _away(traveller, "riksfardtjanst", DROTTNINGGATAN))
    decision = booking["decision"]
    assert "trip.within_municipality" not in _codes(decision)
    assert decision["rules_outcome"] != "refused", decision["refused_because"]
    stored = session.get(Booking, booking["id"])
    person = session.get(Traveller, traveller)
    assert stored is not None and person is not None
    legs = build_request(session, trip_of(stored), person, shipped_rulebooks()).trip.legs
    assert [(leg.origin_municipality, leg.destination_municipality) for leg in legs] == [
        ("2281", OUTSIDE_REGIONS),
        (OUTSIDE_REGIONS, "2281"),
    ]


def test_riksfardtjanst_between_two_places_outside_the_regions_is_not_within_one(
    app_client: TestClient, operator: str
) -> None:
    """Stockholm to Gävle, on the way home: both ends lie outside the centre's municipalities,
    which says nothing of whether they share one, so the leg is not refused as within one."""
    traveller = _sundsvall_holder(app_client, operator, "riksfardtjanst")
    trip = _away(traveller, "riksfardtjanst", DROTTNINGGATAN)
    trip["legs"][1]["destination"] = GAVLE
    booking = book(app_client, operator, trip)
    assert "trip.within_municipality" not in _codes(booking["decision"])


@pytest.mark.parametrize("where", [DROTTNINGGATAN, GAVLE], ids=["Stockholm", "Gävle"])
def test_fardtjanst_to_another_county_is_refused_as_outside_the_area(
    app_client: TestClient, operator: str, where: dict[str, Any]
) -> None:
    traveller = _sundsvall_holder(app_client, operator, "fardtjanst")
    booking = book(app_client, operator, _away(traveller, "fardtjanst", where))
    assert booking["status"] == "denied", booking["decision"]["needs_assessor_because"]
    assert "area.outside" in _codes(booking["decision"], "refuse")
    assert "fee.no_band" not in _codes(booking["decision"])


def test_fardtjanst_within_the_area_far_from_a_place_stays_inside(
    app_client: TestClient, operator: str
) -> None:
    """Liden, about 20 km from any listed place of Sundsvall, is still Sundsvall."""
    traveller = _sundsvall_holder(app_client, operator, "fardtjanst")
    forest = {"address": "Byvägen 3, Liden", "lat": 62.70, "lon": 16.80}
    assert municipality_at(forest["lat"], forest["lon"]) == "2281"  # type: ignore[arg-type]
    body = _away(traveller, "fardtjanst", forest)
    body["legs"][0]["destination"] = {"place_id": place_id(app_client, operator, "Matfors")}
    body["legs"][1]["origin"] = forest
    booking = book(app_client, operator, body)
    assert "area.inside" in _codes(booking["decision"])
