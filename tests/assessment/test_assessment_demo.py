"""The demo travels the paths of real use: its assessor approves through the assessment
service, so approved sjukresor carry the fee the rulebook gives their mode, in the ledger
and on the booking."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.assessment.facts import age_on
from samfard.booking.models import Booking
from samfard.costs.fee_ledger import FeeLedgerEntry
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.rules.facts import Mode, Service
from samfard.rules.loader import shipped_rulebooks
from samfard.rules.schema import SjukresaVersion
from samfard.travellers.models import Traveller

DAY = date(2026, 11, 23)
DECIDED = ("approved", "scheduled")


def _list_fee(principal: str, mode: str, age: int) -> int:
    """The patient's fee per leg as the rulebook in force on DAY writes it."""
    _, version = shipped_rulebooks().get(principal, Service.SJUKRESA).version_on(DAY)
    assert isinstance(version, SjukresaVersion)
    free_to = version.patient.free_to_age
    if free_to is not None and age <= free_to:
        return 0
    return next(rule.fee_ore for rule in version.modes if rule.mode is Mode(mode))


def test_demo_approvals_record_the_rulebook_fee_of_each_leg(session: Session) -> None:
    load_day(session=session, demo=generate_day(DAY, seed=5, trips=80))
    bookings = list(
        session.scalars(
            select(Booking).where(
                Booking.service_date == DAY,
                Booking.service == "sjukresa",
                Booking.status.in_(DECIDED),
            )
        )
    )
    by_assessor = [b for b in bookings if (b.decision or {}).get("decided_by") == "assessor"]
    assert by_assessor, "the demo's assessor approves part of the day's queue"
    charged = 0
    for booking in bookings:
        traveller = session.get(Traveller, booking.traveller_id)
        assert traveller is not None and booking.mode is not None
        entries = list(
            session.scalars(
                select(FeeLedgerEntry)
                .where(FeeLedgerEntry.booking_id == booking.id)
                .order_by(FeeLedgerEntry.leg_index)
            )
        )
        expected = _list_fee(
            booking.principal_code, booking.mode, age_on(traveller.birth_date, DAY)
        )
        assert [e.list_fee_ore for e in entries] == [expected] * len(booking.legs), booking.id
        assert [e.mode for e in entries] == [booking.mode] * len(booking.legs)
        assert all(0 <= e.paid_ore <= e.list_fee_ore for e in entries)
        assert booking.decision is not None
        assert booking.decision["outcome"] in ("approved", "automatic")
        assert booking.decision["chosen_mode"] == booking.mode
        charged += sum(e.paid_ore for e in entries)
    assert charged > 0
    for booking in by_assessor:
        assert booking.decision is not None
        assert booking.decision["assessor"]["username"] == "demo-assessor"
