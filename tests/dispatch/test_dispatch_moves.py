"""Moving a leg to another run: saved only when the verifier accepts the changed plan,
refused with the plan unchanged otherwise; an unplanned leg can be moved into a run.

The planned demo day is built once per database (`planned`); each test runs in a savepoint
of it, so a move one test makes is gone before the next."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dispatch_fixtures import DAY, PLAN_NOW, plan_demo_day
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM, Actor
from samfard.access.permissions import Role
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, Leg
from samfard.booking.transitions import apply_transition
from samfard.db import transaction
from samfard.dispatch import service, store
from samfard.dispatch.models import PlanRun
from samfard.dispatch.moves import MoveOutcome, MoveRefused, move_leg
from samfard.errors import Forbidden

NOW = PLAN_NOW + timedelta(hours=1)

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned(module_session: Session) -> None:
    """The small demo day of dispatch_fixtures, planned: built once per database, and each
    test runs in a savepoint of it."""
    plan_demo_day(module_session)
    module_session.commit()


def _layout(plan: PlanRun) -> dict[int, list[tuple[int, int, str]]]:
    return {run.id: [(s.booking_id, s.leg_seq, s.kind) for s in run.stops] for run in plan.runs}


def _try_moves(
    session: Session, plan: PlanRun
) -> tuple[MoveOutcome | None, tuple[int, int, int, int] | None]:
    """Try each planned leg against each other run until one move is accepted; returns
    the accepted move and (booking, leg, from run, to run)."""
    runs = [(run.id, [(s.booking_id, s.leg_seq) for s in run.stops if s.kind == "pickup"])
            for run in plan.runs]  # fmt: skip
    for source_id, legs in runs:
        for booking_id, leg_seq in legs:
            for target_id, _ in runs:
                if target_id == source_id:
                    continue
                try:
                    outcome = move_leg(
                        session=session,
                        day=DAY,
                        booking_id=booking_id,
                        leg_seq=leg_seq,
                        to_run_id=target_id,
                        actor=SYSTEM,
                        now=NOW,
                    )
                except MoveRefused:
                    continue
                return outcome, (booking_id, leg_seq, source_id, target_id)
    return None, None


def test_a_move_is_saved_verified_and_keeps_the_promise_and_refusals_change_nothing(
    session: Session, planned: None
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    before = _layout(plan)
    outcome, move = _try_moves(session, plan)
    assert outcome is not None and move is not None, "no leg of the demo day could move"
    booking_id, leg_seq, source_id, target_id = move
    session.expire_all()
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    after = _layout(plan)
    # The leg's pickup and drop-off left the old run and ride the new one, nothing else moved.
    assert (booking_id, leg_seq, "pickup") in after[target_id]
    assert (booking_id, leg_seq, "dropoff") in after[target_id]
    assert all((booking_id, leg_seq) != (b, s) for b, s, _ in after.get(source_id, []))
    for run_id, stops in before.items():
        if run_id not in (source_id, target_id):
            assert after[run_id] == stops
    # The stored plan passes the independent verifier when rebuilt from the database.
    _, report = service.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations
    # The traveller's promised window is the one given before the move.
    leg = session.query(Leg).filter_by(booking_id=booking_id, seq=leg_seq).one()
    pickup = next(
        s for s in plan.runs[[r.id for r in plan.runs].index(target_id)].stops
        if s.booking_id == booking_id and s.leg_seq == leg_seq and s.kind == "pickup"
    )  # fmt: skip
    assert leg.promised_pickup_from is not None and leg.promised_pickup_until is not None
    assert leg.promised_pickup_from <= pickup.planned_at <= leg.promised_pickup_until
    assert outcome.to_vehicle == plan.runs[[r.id for r in plan.runs].index(target_id)].vehicle.code


def test_a_refused_move_leaves_the_plan_as_it_was(session: Session, planned: None) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    pickup = next(s for s in plan.runs[0].stops if s.kind == "pickup")
    refused: MoveRefused | None = None
    for target_id in [run.id for run in plan.runs[1:]]:
        session.expire_all()
        current = store.latest_plan(session, DAY)
        assert current is not None
        before, objective = _layout(current), current.objective
        try:
            move_leg(
                session=session,
                day=DAY,
                booking_id=pickup.booking_id,
                leg_seq=pickup.leg_seq,
                to_run_id=target_id,
                actor=SYSTEM,
                now=NOW,
            )
        except MoveRefused as error:
            refused = error
            session.expire_all()
            after = store.latest_plan(session, DAY)
            assert after is not None
            assert _layout(after) == before and after.objective == objective
            break
    assert refused is not None, "every run took the leg: the demo day has no refusal to test"
    assert refused.kind in ("no_position", "verifier") and refused.status == 409


def test_an_unplanned_leg_moved_into_a_run_is_scheduled_and_leaves_the_unplanned_list(
    session: Session, planned: None
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    # Take one booking out of its run as live insertion does when a leg does not fit.
    run = plan.runs[0]
    stop = next(s for s in run.stops if s.kind == "pickup")
    booking = session.get(Booking, stop.booking_id)
    assert booking is not None
    with transaction(session):
        for leg in booking.legs:
            leg.promised_pickup_from = leg.promised_pickup_until = None
        for r in plan.runs:
            r.stops = [s for s in r.stops if s.booking_id != booking.id]
        plan.runs = [r for r in plan.runs if r.stops]
        plan.unserved = [
            *plan.unserved,
            *(
                {"request_id": f"b{booking.id}.{leg.seq}", "booking_id": booking.id,
                 "leg_seq": leg.seq, "reason": "taken out by the test"}
                for leg in booking.legs
            ),
        ]  # fmt: skip
        if booking.status == BookingStatus.SCHEDULED.value:
            apply_transition(
                session, booking, BookingStatus.APPROVED, actor=SYSTEM, now=NOW, reason="test"
            )
    moved = 0
    for leg in sorted(booking.legs, key=lambda leg: leg.seq):
        for target in list(plan.runs):
            try:
                move_leg(
                    session=session,
                    day=DAY,
                    booking_id=booking.id,
                    leg_seq=leg.seq,
                    to_run_id=target.id,
                    actor=SYSTEM,
                    now=NOW,
                )
            except MoveRefused:
                continue
            moved += 1
            break
    assert moved == len(booking.legs), "no run took the unplanned legs back"
    session.expire_all()
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    assert all(row["booking_id"] != booking.id for row in plan.unserved)
    refreshed = session.get(Booking, booking.id)
    assert refreshed is not None and refreshed.status == BookingStatus.SCHEDULED.value
    for leg in refreshed.legs:
        assert leg.promised_pickup_from is not None, "a newly placed leg gets a promise"
    _, report = service.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations


def test_only_an_account_scoped_to_every_principal_moves_legs(
    session: Session, planned: None
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    pickup = next(s for s in plan.runs[0].stops if s.kind == "pickup")
    scoped = Actor(
        user_id=None, username="op-23", role=Role.OPERATOR, principal_codes=frozenset({"23"})
    )
    with pytest.raises(Forbidden, match="all principals"):
        move_leg(
            session=session,
            day=DAY,
            booking_id=pickup.booking_id,
            leg_seq=pickup.leg_seq,
            to_run_id=plan.runs[1].id,
            actor=scoped,
            now=NOW,
        )


def test_a_move_keeps_every_other_stop_of_both_runs_whatever_its_bookings_state(
    session: Session, planned: None
) -> None:
    """Both runs of a move are rewritten from the problem; stops of bookings the planner
    would not plan again (here every other booking on the plan set back to requested, as
    an assessor's reversal leaves them) must stay on them (they used to leave silently)."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    on_plan = sorted({s.booking_id for run in plan.runs for s in run.stops if s.booking_id})
    with transaction(session):
        for booking_id in on_plan:
            booking = session.get(Booking, booking_id)
            assert booking is not None
            booking.status = BookingStatus.REQUESTED.value
    before = _layout(plan)
    moved: tuple[int, int] | None = None
    for booking_id in on_plan:  # each booking plannable in turn, until one of its legs moves
        booking = session.get(Booking, booking_id)
        assert booking is not None
        with transaction(session):
            booking.status = BookingStatus.SCHEDULED.value
        outcome, move = _try_moves_of(session, plan, booking_id)
        if outcome is not None and move is not None:
            moved = (booking_id, move)
            break
        with transaction(session):
            booking.status = BookingStatus.REQUESTED.value
    assert moved is not None, "no leg of the demo day could move"
    booking_id, (leg_seq, source_id, target_id) = moved
    session.expire_all()
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    after = _layout(plan)
    for run_id in (source_id, target_id):
        kept = [stop for stop in before[run_id] if stop[:2] != (booking_id, leg_seq)]
        assert [s for s in after.get(run_id, []) if s[:2] != (booking_id, leg_seq)] == kept


def _try_moves_of(
    session: Session, plan: PlanRun, booking_id: int
) -> tuple[MoveOutcome | None, tuple[int, int, int] | None]:
    """Try each planned leg of one booking against each other run until a move is
    accepted; returns it and (leg, from run, to run)."""
    for source in plan.runs:
        for stop in source.stops:
            if stop.booking_id != booking_id or stop.kind != "pickup":
                continue
            for target in plan.runs:
                if target.id == source.id:
                    continue
                try:
                    outcome = move_leg(
                        session=session,
                        day=DAY,
                        booking_id=booking_id,
                        leg_seq=stop.leg_seq,
                        to_run_id=target.id,
                        actor=SYSTEM,
                        now=NOW,
                    )
                except MoveRefused:
                    continue
                return outcome, (stop.leg_seq, source.id, target.id)
    return None, None
