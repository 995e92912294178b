"""Every allowed and forbidden transition against a stored booking, on both databases:
allowed ones change the status and append exactly one event, forbidden ones change nothing."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

import pytest
from sqlalchemy.orm import Session

from helpers import NOW
from samfard.access.actor import SYSTEM
from samfard.booking.lifecycle import ALLOWED, BookingStatus
from samfard.booking.models import Booking
from samfard.booking.schemas import BookingCreate, LegCreate, Location
from samfard.booking.service import create_booking, load_booking
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.errors import InvalidTransition
from samfard.timeutil import local
from samfard.travellers.schemas import Address, TravellerCreate
from samfard.travellers.service import register_traveller

PAIRS = list(itertools.product(BookingStatus, BookingStatus))


@pytest.fixture
def stored_booking(session: Session) -> Booking:
    traveller = register_traveller(
        session=session,
        actor=SYSTEM,
        now=NOW,
        data=TravellerCreate(
            personal_number="19121212-1212",
            first_name="Per",
            last_name="Test",
            address=Address(
                street="Storgatan 1",
                postal_code="85230",
                city="Sundsvall",
                municipality_code="2281",
                lat=62.39,
                lon=17.30,
            ),
        ),
    )
    booking, _ = create_booking(
        session=session,
        actor=SYSTEM,
        now=NOW,
        data=BookingCreate(
            traveller_id=traveller.id,
            service="sjukresa",
            principal="22",
            legs=[
                LegCreate(
                    origin=Location(home=True),
                    destination=Location(address="Sundsvalls sjukhus", lat=62.3935, lon=17.2730),
                    appointment_at=local(date(2026, 11, 23), time(9, 0)),
                )
            ],
        ),
    )
    return booking


@pytest.mark.parametrize(("current", "target"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_stored_transition(
    current: BookingStatus, target: BookingStatus, session: Session, stored_booking: Booking
) -> None:
    stored_booking.status = current.value
    session.commit()  # a savepoint release under the test's outer transaction
    events_before = len(stored_booking.events)
    if target in ALLOWED[current]:
        moved = _move(session, stored_booking.id, target)
        assert moved.status == target.value
        assert len(moved.events) == events_before + 1
        assert (moved.events[-1].from_status, moved.events[-1].to_status) == (current, target)
    else:
        with pytest.raises(InvalidTransition):
            _move(session, stored_booking.id, target)
        session.refresh(stored_booking)
        assert stored_booking.status == current.value
        assert len(stored_booking.events) == events_before


def _move(session: Session, booking_id: int, target: BookingStatus) -> Booking:
    """One lifecycle step in its own transaction, as every use case takes it. (Which route
    may ask for which step, such as decisions only through the assessment, is tested with
    the routes.)"""
    with transaction(session):
        booking = load_booking(session=session, booking_id=booking_id)
        apply_transition(
            session,
            booking,
            target,
            actor=SYSTEM,
            now=NOW,
            reason="checked",
            late_notice=timedelta(hours=2),
        )
    return booking
