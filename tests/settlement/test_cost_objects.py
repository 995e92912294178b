"""Trips booked to an account of their own keep their cost centre and object from the
decision to the settled trip and into the monthly report, as a line of their own: Norway
referrals (cost centre 1600) and sjukresor of residents of asylum housing (1650)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from settlement_fixtures import DAY, SETTLE_NOW, plan_small_day
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.booking.models import Booking
from samfard.costs.models import SettledTrip
from samfard.costs.service import settle_day
from samfard.reports.service import monthly_report
from samfard.travellers.models import Traveller

LABEL = "varav Sjukresor kostnadsställe {}, objekt {}"


def test_trips_on_accounts_of_their_own_are_settled_and_reported_on_them(
    session: Session,
) -> None:
    plan_small_day(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    accounts: dict[int, tuple[str, str, str]] = {}
    for b in session.scalars(select(Booking).where(Booking.service_date == DAY)):
        found = (b.decision or {}).get("cost_object")
        if found:
            accounts[b.id] = (b.principal_code, found["cost_centre"], found["cost_object"])
    centres = {centre for _, centre, _ in accounts.values()}
    assert {"1600", "1650"} <= centres, "the demo day has a Norway referral and an asylum trip"
    asylum = {b for b, (_, centre, _) in accounts.items() if centre == "1650"}
    for booking_id in asylum:
        booking = session.get(Booking, booking_id)
        assert booking is not None
        traveller = session.get(Traveller, booking.traveller_id)
        assert traveller is not None and traveller.asylum_housing
    trips = list(session.scalars(select(SettledTrip).where(SettledTrip.day == DAY)))
    assert {t.booking_id for t in trips} & set(accounts), "a trip on an account was settled"
    per_account: dict[tuple[str, str, str], int] = defaultdict(int)
    for trip in trips:
        assert trip.booking_id is not None
        if trip.booking_id in accounts:
            principal, centre, cost_object = accounts[trip.booking_id]
            assert (trip.cost_centre, trip.cost_object) == (centre, cost_object)
            per_account[(principal, centre, cost_object)] += trip.allocated_ore
        else:
            assert (trip.cost_centre, trip.cost_object) == (None, None)
    for principal in sorted({p for p, _, _ in per_account}):
        report = monthly_report(
            session=session,
            actor=SYSTEM,
            principal=principal,
            year=DAY.year,
            month=DAY.month,
            today=date(2027, 1, 1),
        )
        lines = {line.label: line.current for line in report.month_lines}
        own = {(c, o): cost for (p, c, o), cost in per_account.items() if p == principal}
        for (centre, cost_object), cost in own.items():
            assert lines[LABEL.format(centre, cost_object)] == cost
        assert not any(
            "objekt" in line.label
            for line in report.ytd_lines
            if line.label not in {LABEL.format(c, o) for c, o in own}
        )
