"""The demo works on every date and seed: what the generator makes, the booking service takes.

A demo once failed on 2026-12-02 (seed 1): the generator put a home 47 m from the health
centre and booking validation refuses a leg shorter than 50 m. These tests run the real
generator and the real loader (the booking, series and register use cases) over every day
of a 60-day span, across several seeds.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.booking.legs import PlannedLeg, Spot, check_leg
from samfard.booking.models import Booking
from samfard.demo.generator import DemoBooking, booked_at, generate_day
from samfard.demo.loader import load_day
from samfard.timeutil import STOCKHOLM
from samfard.travellers.personnummer import parse_personal_number

FIRST = date(2026, 11, 20)
SPAN = [FIRST + timedelta(days=n) for n in range(60)]  # includes 2026-12-02 and 2026-12-07
SEEDS = (1, 2, 3)


def _legs_accepted(booking: DemoBooking, day: date) -> None:
    """Raise the booking service's own InputError if it would refuse a leg."""
    checked: list[PlannedLeg] = []
    for index, leg in enumerate(booking.legs):
        origin, destination = (
            Spot(None, s.name, s.lat, s.lon, s.kind) for s in (leg.origin, leg.destination)
        )
        candidate = PlannedLeg(
            origin, destination, leg.pickup_at, leg.appointment_at, leg.return_of
        )
        checked.append(
            check_leg(
                candidate, index=index, now=booked_at(day), earlier=checked, protected_home=False
            )
        )


@pytest.mark.parametrize("seed", SEEDS)
def test_full_size_days_pass_leg_validation_on_every_date(seed: int) -> None:
    """600-trip days (the demo's default) for 60 days: every leg passes the booking check
    and is asked for on the day itself (a return asked after the drive could fall after
    midnight until the generator required the traveller home by 22:00),
    every personal number is valid and used once (the register refuses a duplicate)."""
    numbers: Counter[str] = Counter()
    for day in SPAN:
        demo = generate_day(day, seed=seed, trips=600)
        for booking in demo.bookings:
            _legs_accepted(booking, day)
            asked = [leg.pickup_at or leg.appointment_at for leg in booking.legs]
            assert {a.astimezone(STOCKHOLM).date() for a in asked if a} == {day}, booking
        for person in demo.travellers:
            parse_personal_number(person.personal_number, today=day)
        numbers.update(p.personal_number for p in demo.travellers)
    assert max(numbers.values()) == 1, "a personal number was drawn twice within 60 days"


def test_no_dialysis_series_starts_on_a_sunday() -> None:
    """The units treat Monday to Saturday: a Sunday's series would book no trip that day."""
    sunday = next(d for d in SPAN if d.weekday() == 6)
    demo = generate_day(sunday, seed=1, trips=600)
    assert not [b for b in demo.bookings if b.dialysis_weekdays]
    monday = generate_day(sunday + timedelta(days=1), seed=1, trips=600)
    assert [b for b in monday.bookings if b.dialysis_weekdays]


def test_every_day_of_60_loads_through_the_booking_services(session: Session) -> None:
    """Sixty consecutive days, generated and loaded one after the other into one database by
    the real loader (register, permits, certificates, bookings, series, approvals).

    The days are small (6 trips, about 3 bookings) to keep the run short: the loader's
    paths are the same at any size, and the full-size days are checked against the same
    leg validation above. The seeds take turns by day, so each backend loads every date
    and every seed once instead of the span three times over.
    """
    for index, day in enumerate(SPAN):
        demo = generate_day(day, seed=SEEDS[index % len(SEEDS)], trips=6)
        result = load_day(session=session, demo=demo)
        stored = session.scalar(
            select(func.count(Booking.id)).where(
                Booking.service_date == day, Booking.created_at == booked_at(day)
            )
        )
        assert result.bookings == stored == len(demo.bookings), day
        assert result.travellers == len(demo.travellers)
