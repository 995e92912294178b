"""Settling a planned day: allocations add up per run, re-settling replaces the rows.

The small day of settlement_fixtures (demo contracts, demo day, a fifth of the demo fleet)
is loaded once per database (`loaded`); each test runs in a savepoint of it and plans the
day there as `plan_small_day` does, but the one settling a day not planned (its bookings
loaded, no plan)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from settlement_fixtures import DAY, PLAN_NOW, SETTLE_NOW
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import plan_fixed
from samfard.access.actor import SYSTEM
from samfard.assessment.service import decide
from samfard.booking.models import Booking
from samfard.booking.schemas import BookingUpdate, Companion, CompanionKind
from samfard.booking.service import update_booking
from samfard.costs.fee_ledger import FeeLedgerEntry
from samfard.costs.models import SettledRun, SettledTrip
from samfard.costs.service import load_contract_files, settle_day
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.models import Stop
from samfard.errors import NotFound
from samfard.rules.decision import companion_fees

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def loaded(module_session: Session) -> None:
    """`plan_small_day` up to its plan: demo contracts, the small demo day and a fifth of
    the demo fleet, built once per database; each test runs in a savepoint of it."""
    load_contract_files(module_session)
    load_day(session=module_session, demo=generate_day(DAY, seed=3, trips=30))
    with transaction(module_session):
        load_demo_fleet(module_session, scale=0.2)
    module_session.commit()


def _plan(session: Session) -> None:
    """The plan of settlement_fixtures.plan_small_day, made on the day `loaded` holds."""
    plan_fixed(session, DAY, now=PLAN_NOW, seed=1)


def test_allocations_add_up_to_each_run_cost_to_the_ore(session: Session, loaded: None) -> None:
    _plan(session)
    outcome = settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    runs = {r.run_ref: r for r in session.scalars(select(SettledRun))}
    trips = list(session.scalars(select(SettledTrip)))
    assert outcome.runs == len(runs) > 0 and outcome.trips == len(trips)
    borne: dict[str, int] = defaultdict(int)
    for trip in trips:
        borne[trip.run_ref] += trip.allocated_ore
    for ref, run in runs.items():
        parts = (
            run.start_fee_ore + run.distance_ore + run.driving_time_ore + run.waiting_time_ore
            + run.surcharge_ore + run.supplements_ore + run.fixed_ore + run.driver_ore
        )  # fmt: skip
        assert parts == run.total_ore
        assert borne[ref] == run.total_ore, ref
    assert outcome.cost == sum(r.total_ore for r in runs.values())
    assert outcome.standalone == sum(t.standalone_ore for t in trips)


def test_every_planned_pickup_is_settled_once_with_its_carrier_contract(
    session: Session, loaded: None
) -> None:
    _plan(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    pickups = {
        (s.booking_id, s.leg_seq) for s in session.scalars(select(Stop)) if s.kind == "pickup"
    }
    trips = list(session.scalars(select(SettledTrip)))
    assert {(t.booking_id, t.leg_seq) for t in trips} == pickups
    assert {t.contract_code for t in trips} <= {"JH-TAXI-2026", "VN-TAXI-2026", "JH-EGEN-2025"}
    assert all(t.run_passengers >= t.passengers >= 1 for t in trips)
    assert all(t.day == DAY for t in trips)


def test_settling_a_day_twice_replaces_its_rows(session: Session, loaded: None) -> None:
    _plan(session)
    first = settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    second = settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    assert second == first
    assert session.scalar(select(func.count(SettledTrip.id))) == first.trips
    assert session.scalar(select(func.count(SettledRun.id))) == first.runs


def test_settling_an_unplanned_day_names_the_command_to_run(session: Session, loaded: None) -> None:
    with pytest.raises(NotFound, match="samfard plan --date 2026-11-23"):
        settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)


def test_a_priced_run_starts_at_its_first_pickup_not_at_the_depot(
    session: Session, loaded: None
) -> None:
    """Carriers bill stretches with passengers on board, so idle shift hours cost nothing."""
    _plan(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    first_pickup: dict[str, object] = {}
    for trip in session.scalars(select(SettledTrip).order_by(SettledTrip.pickup_at)):
        first_pickup.setdefault(trip.run_ref, trip.pickup_at)
    runs = list(session.scalars(select(SettledRun)))
    assert all(run.start_at == first_pickup[run.run_ref] <= run.end_at for run in runs)
    shifts = {ref.rsplit(".", 1)[0] for ref in first_pickup}
    assert len(runs) >= len(shifts)


def test_every_run_carrying_one_trip_saves_exactly_nothing(session: Session, loaded: None) -> None:
    """A stretch with one traveller is that trip driven alone: its boarding and alighting
    time is in both the run and the standalone cost, in the same vehicle type."""
    _plan(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    trips_of: dict[str, list[SettledTrip]] = defaultdict(list)
    for trip in session.scalars(select(SettledTrip)):
        trips_of[trip.run_ref].append(trip)
    alone = [ts[0] for ts in trips_of.values() if len(ts) == 1]
    assert alone, "the small day should have runs with one trip"
    assert [(t.trip_key, t.standalone_ore - t.allocated_ore) for t in alone] == [
        (t.trip_key, 0) for t in alone
    ]
    runs = {r.run_ref: r for r in session.scalars(select(SettledRun))}
    assert all(runs[t.run_ref].waiting_cmin > 0 for t in alone)  # boarding is billed


def test_a_settled_leg_carries_the_fees_of_the_traveller_and_the_companions(
    session: Session, loaded: None
) -> None:
    """The traveller's fee from the ledger, the companions' (medresenärer) from the
    decision: both are what the principal takes in for the leg."""
    _plan(session)
    _bring_a_fellow_passenger(session)
    settle_day(session=session, day=DAY, actor=SYSTEM, now=SETTLE_NOW)
    ledger = {
        (e.booking_id, e.leg_index): e.paid_ore for e in session.scalars(select(FeeLedgerEntry))
    }
    with_companions = 0
    for trip in session.scalars(select(SettledTrip)):
        booking = session.get(Booking, trip.booking_id)
        assert booking is not None
        index = sorted(leg.seq for leg in booking.legs).index(trip.leg_seq)
        companions = companion_fees((booking.decision or {}).get("companions") or ())
        with_companions += bool(companions.get(index))
        expected = ledger.get((booking.id, index), 0)
        if (booking.id, index) in ledger:
            expected += companions.get(index, 0)
        assert trip.fee_ore == expected, booking.reference
    assert with_companions > 0, "the small day has companions who pay"


def _bring_a_fellow_passenger(session: Session) -> None:
    """A fellow passenger added to a planned trip, as at the desk: the change goes back to
    an assessor, who approves it, and the trip is placed again."""
    planned = session.scalars(
        select(Booking)
        .where(Booking.status == "scheduled", Booking.principal_code == "22")
        .order_by(Booking.id)
    )
    for booking in planned:
        companion = Companion(kind=CompanionKind.FELLOW_PASSENGER)
        update_booking(
            session=session,
            booking_id=booking.id,
            data=BookingUpdate(version=booking.version, companions=[companion]),
            actor=SYSTEM,
            now=PLAN_NOW,
        )
        if booking.status == "requested":
            decide(session=session, booking_id=booking.id, action="approve",
                   reason="the daughter comes along", mode=None, version=None,
                   actor=SYSTEM, now=PLAN_NOW)  # fmt: skip
        if booking.status == "scheduled" and (booking.decision or {}).get("companion_fee_ore"):
            return
    raise AssertionError("no planned trip of region 22 took a paying fellow passenger")
