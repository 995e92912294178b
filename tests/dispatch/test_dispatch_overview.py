"""The traffic page's overview of a plan follows the plan's read rules: a principal's
reader sees the runs carrying their trips and no place of another principal's stop, and
every traveller whose stop is shown is audited."""

from __future__ import annotations

from datetime import timedelta

from dispatch_fixtures import DAY, PLAN_NOW, plan_demo_day
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM, Actor
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.dispatch import store
from samfard.dispatch.day_overview import day_overview

NOW = PLAN_NOW + timedelta(hours=1)


def test_the_overview_matches_the_plan_and_cuts_it_to_the_readers_principals(
    session: Session,
) -> None:
    plan_demo_day(session)
    stored = store.latest_plan(session, DAY)
    assert stored is not None
    everything = day_overview(session=session, day=DAY, actor=SYSTEM, now=NOW)
    assert everything.version == stored.version
    assert [r.id for r in everything.runs] == [r.id for r in stored.runs]
    assert [len(r.stops) for r in everything.runs] == [len(r.stops) for r in stored.runs]

    codes = {b.id: b.principal_code for b in session.scalars(select(Booking))}
    reader = Actor(
        user_id=None, username="op-23", role=Role.OPERATOR, principal_codes=frozenset({"23"})
    )
    before = session.scalar(select(func.count(AuditEntry.id))) or 0
    mine = day_overview(session=session, day=DAY, actor=reader, now=NOW)
    carrying = {
        run.id for run in stored.runs if any(codes[s.booking_id] == "23" for s in run.stops)
    }
    assert {r.id for r in mine.runs} == carrying
    for run in stored.runs:
        if run.id not in carrying:
            continue
        shown = next(r for r in mine.runs if r.id == run.id)
        for stop, seen in zip(run.stops, shown.stops, strict=True):
            if codes[stop.booking_id] != "23":
                assert seen.lat is None and seen.lon is None, "another principal's place"
    assert all(codes[row["booking_id"]] == "23" for row in mine.unserved)
    travellers = {
        b.traveller_id
        for b in session.scalars(select(Booking))
        if b.principal_code == "23"
        and any(s.booking_id == b.id for run in stored.runs for s in run.stops)
    }
    after = session.scalar(select(func.count(AuditEntry.id))) or 0
    assert after - before == len(travellers), "one audit entry per traveller shown"
