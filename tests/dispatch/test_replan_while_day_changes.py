"""Re-planning while the day changes: the plan is solved with no transaction open and
stored as the day stands when it is written (dispatch.day_reading). A booking cancelled
meanwhile is not on it, one approved meanwhile is, a move by hand is not undone, and on
SQLite another request may write while the day is solved."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from dispatch_fixtures import DAY, PLAN_NOW, load_demo, plan_demo_day
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from helpers import fixed_solver
from samfard.access.actor import SYSTEM
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.transitions import apply_transition
from samfard.db import make_engine, transaction, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import service, store
from samfard.dispatch.moves import MoveRefused, move_leg
from samfard.errors import Conflict
from samfard.planning.model import Problem, Solution
from samfard.reference import load_reference_data

NOW = PLAN_NOW + timedelta(hours=1)


class ChangesWhileSolving:
    """The fixed engine, after `change` has run: what another request commits while the
    day is solved."""

    def __init__(self, change: Callable[[], None]) -> None:
        self.change: Callable[[], None] | None = change
        self.inner = fixed_solver()

    def solve(
        self, problem: Problem, *, time_limit_s: float, seed: int, initial: Solution | None = None
    ) -> Solution:
        if self.change is not None:
            change, self.change = self.change, None
            change()
        return self.inner.solve(problem, time_limit_s=time_limit_s, seed=seed, initial=initial)


def _other(connection: Connection) -> Session:
    """A second session on the test's connection, as another request's."""
    return sessionmaker(bind=connection, join_transaction_mode="create_savepoint")()


def _replan(session: Session, change: Callable[[], None]) -> service.PlanOutcome:
    return service.plan_day(
        session=session, day=DAY, actor=SYSTEM, now=NOW, seed=1, solver=ChangesWhileSolving(change)
    )


def _planned_bookings(session: Session) -> set[int]:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    return {s.booking_id for run in plan.runs for s in run.stops if s.booking_id}


def test_a_booking_cancelled_while_the_day_is_replanned_is_not_on_the_stored_plan(
    session: Session, connection: Connection
) -> None:
    plan_demo_day(session)
    cancelled = min(_planned_bookings(session))

    def cancel() -> None:
        with _other(connection) as other, transaction(other):
            booking = other.get(Booking, cancelled)
            assert booking is not None
            apply_transition(
                other, booking, BookingStatus.CANCELLED, actor=SYSTEM, now=NOW, reason="sjuk"
            )

    outcome = _replan(session, cancel)
    session.expire_all()
    assert outcome.version == 2
    assert cancelled not in _planned_bookings(session)
    assert cancelled not in {row["booking_id"] for row in outcome.unserved}
    assert session.get(Booking, cancelled).status == BookingStatus.CANCELLED.value  # type: ignore[union-attr]
    _, report = service.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations[:3]


def test_bookings_approved_while_the_day_is_replanned_are_on_the_stored_plan(
    session: Session, connection: Connection
) -> None:
    plan_demo_day(session)
    known = set(session.scalars(select(Booking.id)))

    def book() -> None:
        with _other(connection) as other:
            load_day(session=other, demo=generate_day(DAY, seed=9, trips=12))

    _replan(session, book)
    session.expire_all()
    new = [
        b
        for b in session.scalars(select(Booking).where(Booking.service_date == DAY))
        if b.id not in known
    ]
    inserted = [b for b in new if b.status == BookingStatus.SCHEDULED.value]
    assert inserted, "the demo's new bookings should be placed live while the day is solved"
    planned = _planned_bookings(session)
    assert {b.id for b in inserted} <= planned, "a booking scheduled meanwhile is on the plan"
    plan = store.latest_plan(session, DAY)
    assert plan is not None and plan.version == 2
    pickups = {
        (s.booking_id, s.leg_seq): s for run in plan.runs for s in run.stops if s.kind == "pickup"
    }
    for booking in inserted:
        for leg in booking.legs:
            stop = pickups[(booking.id, leg.seq)]
            assert leg.promised_pickup_from is not None and leg.promised_pickup_until is not None
            assert leg.promised_pickup_from <= stop.planned_at <= leg.promised_pickup_until
    _, report = service.verify_stored(session=session, day=DAY)
    assert report.ok, report.violations[:3]


def test_a_move_by_hand_while_the_day_is_replanned_is_kept_and_the_replan_says_why(
    session: Session, connection: Connection
) -> None:
    plan_demo_day(session)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    moved: list[tuple[int, int, int]] = []

    def move() -> None:
        with _other(connection) as other:
            runs = list(plan.runs)
            for source in runs:
                for stop in [s for s in source.stops if s.kind == "pickup" and s.booking_id]:
                    for target in runs:
                        if target.id == source.id:
                            continue
                        try:
                            move_leg(
                                session=other,
                                day=DAY,
                                booking_id=stop.booking_id,  # type: ignore[arg-type]
                                leg_seq=stop.leg_seq,  # type: ignore[arg-type]
                                to_run_id=target.id,
                                actor=SYSTEM,
                                now=NOW,
                            )
                        except MoveRefused:
                            continue
                        moved.append((stop.booking_id, stop.leg_seq, target.vehicle_id))  # type: ignore[arg-type]
                        return

    with pytest.raises(Conflict, match="moved by hand") as refused:
        _replan(session, move)
    assert refused.value.detail_sv is not None  # /trafik shows the failed job in Swedish
    assert refused.value.detail_sv.startswith("Dagen planerades inte om: resor flyttades")
    assert moved, "no leg of the demo day could move"
    session.expire_all()
    plan = store.latest_plan(session, DAY)
    assert plan is not None and plan.version == 1
    booking_id, leg_seq, vehicle_id = moved[0]
    on = {(s.booking_id, s.leg_seq): run.vehicle_id for run in plan.runs for s in run.stops}
    assert on[(booking_id, leg_seq)] == vehicle_id, "the move stands"


def test_on_sqlite_another_request_writes_while_the_day_is_solved(tmp_path: Path) -> None:
    """Its own database file: the suite's shared connection holds SQLite's write lock for
    the whole test, so only a database of its own shows whether planning holds it. Before,
    the write waited out the busy timeout (15 s) and failed with "database is locked"."""
    url = f"sqlite:///{tmp_path / 'day.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            load_reference_data(session=session)
            load_demo(session, trips=20)
            cancelled = min(
                session.scalars(
                    select(Booking.id).where(Booking.status == BookingStatus.APPROVED.value)
                )
            )
        wrote: list[str] = []

        def cancel_elsewhere() -> None:
            # Another request is another thread with its own connection.
            def run() -> None:
                with Session(engine) as other, transaction(other):
                    booking = other.get(Booking, cancelled)
                    assert booking is not None
                    apply_transition(
                        other, booking, BookingStatus.CANCELLED, actor=SYSTEM, now=NOW, reason="x"
                    )
                wrote.append("cancelled")

            writer = threading.Thread(target=run)
            writer.start()
            writer.join(timeout=60)

        with Session(engine, expire_on_commit=False) as session:
            outcome = _replan(session, cancel_elsewhere)
        assert wrote == ["cancelled"]
        assert outcome.version == 1
        with Session(engine) as session:
            assert cancelled not in _planned_bookings(session)
    finally:
        engine.dispose()
