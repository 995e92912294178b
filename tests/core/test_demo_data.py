"""The demo generator: realistic shape, reproducible from a seed, loadable into a database."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.booking.legs import SAME_SPOT_METRES
from samfard.booking.models import Booking
from samfard.cli import main
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.geo.distance import km_between
from samfard.travellers.personnummer import parse_personal_number

DAY = date(2026, 11, 23)


def test_same_seed_same_day_and_another_seed_another() -> None:
    assert generate_day(DAY, seed=7, trips=200) == generate_day(DAY, seed=7, trips=200)
    assert generate_day(DAY, seed=7, trips=200) != generate_day(DAY, seed=8, trips=200)


def test_default_day_has_about_600_trips_of_every_kind() -> None:
    demo = generate_day(DAY, seed=1)
    assert 600 <= demo.trip_count <= 602
    purposes = Counter(b.purpose for b in demo.bookings)
    services = Counter(b.service for b in demo.bookings)
    assert purposes["dialysis"] > 20 and purposes["referral"] >= 1
    assert services["fardtjanst"] > 50 and services["riksfardtjanst"] >= 1
    assert any("stretcher" in b.needs for b in generate_day(DAY, seed=1, trips=3000).bookings)
    regions = Counter(b.principal_code for b in demo.bookings if b.service == "sjukresa")
    assert regions["22"] > regions["23"] > 0  # Västernorrland is the larger county


def test_no_trip_ends_at_its_own_door() -> None:
    """A booking refuses a trip under 50 m; the 3 000-trip day of 2026-12-02 (seed 1) once
    held four such legs (homes next to their care unit), so loading it failed."""
    demo = generate_day(date(2026, 12, 2), seed=1, trips=3000)
    for booking in demo.bookings:
        for leg in booking.legs:
            metres = 1000 * km_between(leg.origin.lat, leg.origin.lon,
                                       leg.destination.lat, leg.destination.lon)  # fmt: skip
            assert metres >= SAME_SPOT_METRES, (leg.origin.name, leg.destination.name)


def test_synthetic_people_have_valid_numbers_and_are_marked() -> None:
    demo = generate_day(DAY, seed=3, trips=300)
    for person in demo.travellers:
        parse_personal_number(person.personal_number, today=DAY)
        assert person.last_name.endswith("(syntetisk)")


def test_referrals_go_from_funasdalen_to_roros_or_tynset() -> None:
    demo = generate_day(DAY, seed=1)
    referrals = [b for b in demo.bookings if b.purpose == "referral"]
    for booking in referrals:
        assert booking.legs[0].origin.municipality_code == "2361"
        assert booking.legs[0].destination.name in ("Røros sykehus", "Tynset sykehus")


def test_loader_stores_the_day_through_the_services(session: Session) -> None:
    demo = generate_day(DAY, seed=2, trips=60)
    result = load_day(session=session, demo=demo)
    on_day = session.scalar(select(func.count(Booking.id)).where(Booking.service_date == DAY))
    assert on_day == len(demo.bookings)
    assert result.travellers == len(demo.travellers)
    statuses = Counter(session.scalars(select(Booking.status).where(Booking.service_date == DAY)))
    assert set(statuses) <= {"approved", "requested", "denied"} and statuses["approved"] > 0


def test_demo_data_command_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "day.json"
    assert (
        main(
            [
                "demo-data",
                "--date",
                "2026-11-23",
                "--seed",
                "4",
                "--trips",
                "50",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    written = json.loads(out.read_text())
    assert written["day"] == "2026-11-23"
    assert sum(len(b["legs"]) for b in written["bookings"]) >= 50
