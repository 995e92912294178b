"""Norway referrals keep their cost centre and object from the decision to the settled trip
and into the monthly report, as a line of their own."""

from __future__ import annotations

from collections import defaultdict

from settlement_fixtures import DAY, SETTLE_NOW, plan_small_day
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.booking.models import Booking
from samfard.costs.models import SettledTrip
from samfard.costs.service import settle_day
from samfard.reports.service import monthly_report

LABEL = "varav Sjukresor kostnadsställe 1600, objekt {}"


def test_norway_referrals_are_settled_and_reported_on_their_cost_object(
    session: Session,
) -> None:
    plan_small_day(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    referrals = {
        b.id: b.decision["cost_object"]["cost_object"]
        for b in session.scalars(select(Booking).where(Booking.service_date == DAY))
        if b.decision and b.decision.get("cost_object")
    }
    assert referrals, "the demo day has a Norway referral with a cost object"
    trips = list(session.scalars(select(SettledTrip).where(SettledTrip.day == DAY)))
    settled = [t for t in trips if t.booking_id in referrals]
    assert settled, "the referral was planned and settled"
    per_object: dict[str, int] = defaultdict(int)
    for trip in trips:
        assert trip.booking_id is not None
        if trip.booking_id in referrals:
            assert (trip.cost_centre, trip.cost_object) == ("1600", referrals[trip.booking_id])
            per_object[referrals[trip.booking_id]] += trip.allocated_ore
        else:
            assert (trip.cost_centre, trip.cost_object) == (None, None)
    report = monthly_report(
        session=session, actor=SYSTEM, principal="23", year=DAY.year, month=DAY.month
    )
    lines = {line.label: line.current for line in report.month_lines}
    for cost_object, cost in per_object.items():
        assert lines[LABEL.format(cost_object)] == cost
    assert not any(
        "objekt" in line.label
        for line in report.ytd_lines
        if line.label not in {LABEL.format(o) for o in per_object}
    )
