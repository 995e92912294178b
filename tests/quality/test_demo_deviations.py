"""The demo's year of deviations: a few per 1 000 trips, a plausible mix with some
serious ones and some penalties, reported and handled through the services, the same
for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.costs.models import CarrierPenalty, SettledTrip
from samfard.costs.service import load_contract_files
from samfard.demo.deviations import load_demo_deviations, plan_deviations
from samfard.demo.history import HistorySettings, load_history
from samfard.quality.models import Deviation
from samfard.timeutil import STOCKHOLM, local

END = date(2026, 11, 23)
NOW = local(date(2026, 11, 22), time(12, 0))


def _trips(n: int) -> list[tuple[str, str, datetime]]:
    start = datetime(2026, 1, 1, 8, tzinfo=STOCKHOLM)
    return [(f"h{i:06d}", "Demo Taxi", start + timedelta(hours=i)) for i in range(n)]


def test_the_plan_is_the_same_for_a_seed_and_a_few_per_thousand() -> None:
    trips = _trips(60_000)
    first, again = plan_deviations(trips, seed=7), plan_deviations(trips, seed=7)
    assert first == again
    assert first != plan_deviations(trips, seed=8)
    rate = len(first) / 60
    assert 2 <= rate <= 5, rate
    kinds = Counter(d.kind for d in first)
    assert kinds.most_common(1)[0][0] == "late" and len(kinds) == 8
    assert any(d.severity in ("serious", "critical") for d in first)


def test_the_demo_year_is_stored_through_the_services(session: Session) -> None:
    load_contract_files(session)
    load_history(session, end_day=END, seed=3, now=NOW, settings=HistorySettings(weekday_trips=12))
    stored = load_demo_deviations(session, end_day=END, seed=3)
    deviations = session.scalars(select(Deviation)).all()
    assert stored == len(deviations) > 0
    assert all(d.trip_key and d.carrier_name and d.events for d in deviations)
    assert all(END - timedelta(days=366) <= d.day < END for d in deviations)
    statuses = Counter(d.status for d in deviations)
    assert statuses["closed"] > statuses["received"]
    penalties = session.scalar(select(func.count(CarrierPenalty.id))) or 0
    upheld = sum(1 for d in deviations if d.outcome == "upheld" and d.penalty_ore)
    assert penalties == upheld
    trips = session.scalar(
        select(func.count(SettledTrip.id)).where(SettledTrip.day >= END - timedelta(days=365))
    )
    assert trips and 1 <= 1000 * len(deviations) / trips <= 8
