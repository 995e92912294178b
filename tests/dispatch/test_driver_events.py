"""Reports from the vehicle: stored once per client id (a replayed queue counts once),
checked against what was reported before, moving the booking's lifecycle, published on
the bus, and only on the driver's own vehicle's run today.

The planned demo day is built once per database (`planned_day`); each test reports in a
savepoint of it, so its reports are gone before the next test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from dispatch_fixtures import DAY, PlannedDay, plan_demo_day
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import auth, token_for
from samfard import events
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.changes import Change
from samfard.clock import FixedClock
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.models import Run, Stop
from samfard.timeutil import local
from samfard.travellers.models import Traveller

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned_day(module_session: Session) -> PlannedDay:
    """The demo day loaded and planned, built once per database; each test runs in a
    savepoint of it."""
    planned = plan_demo_day(module_session)
    module_session.commit()
    return planned


@pytest.fixture
def published() -> Iterator[list[events.DomainEvent]]:
    """Every StopReported and PositionReported published while the test runs."""
    seen: list[events.DomainEvent] = []

    def keep(_: Session, event: events.DomainEvent) -> None:
        seen.append(event)

    events.subscribe(events.StopReported, keep)
    events.subscribe(events.PositionReported, keep)
    yield seen
    for kind in (events.StopReported, events.PositionReported):
        events._handlers[kind].remove(keep)


def _first_run(session: Session) -> Run:
    plan = store.latest_plan(session, DAY)
    assert plan is not None and plan.runs
    return plan.runs[0]


def _driver(session: Session, clock: FixedClock, run: Run, username: str = "forare") -> str:
    clock.current = local(DAY, time(23, 30))  # late on the day: every stop is in the past
    return token_for(
        session,
        Role.DRIVER,
        now=clock.now(),
        username=username,
        carrier_id=run.vehicle.carrier_id,
        vehicle_id=run.vehicle_id,
    )


def _report(stop: Stop | None, run: Run, kind: str, at: datetime, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_event_id": uuid.uuid4().hex,
        "run_id": run.id,
        "stop_id": stop.id if stop else None,
        "kind": kind,
        "at": at.isoformat(),
    }
    body.update(extra)
    return body


def _pair(run: Run) -> tuple[Stop, Stop]:
    """The pickup and drop-off of the run's first leg."""
    pickup = next(s for s in run.stops if s.kind == "pickup")
    dropoff = next(s for s in run.stops if s.kind == "dropoff" and s.leg_id == pickup.leg_id)
    return pickup, dropoff


def test_a_trip_reported_through_moves_the_booking_and_a_replay_counts_once(
    app_client: TestClient,
    session: Session,
    clock: FixedClock,
    planned_day: PlannedDay,
    published: list[Any],
) -> None:
    run = _first_run(session)
    token = _driver(session, clock, run)
    pickup, dropoff = _pair(run)
    at = pickup.planned_at
    arrived = _report(pickup, run, "arrived", at)
    first = app_client.post("/api/v1/driver/events", json=arrived, headers=auth(token))
    assert first.status_code == 201, first.text
    again = app_client.post("/api/v1/driver/events", json=arrived, headers=auth(token))
    assert again.status_code == 200 and again.json() == first.json(), "a replay answers the stored"
    count = select(func.count()).select_from(StopEvent)
    assert session.scalar(count.where(StopEvent.client_event_id == arrived["client_event_id"])) == 1
    picked = _report(pickup, run, "picked_up", at + timedelta(minutes=2))
    assert app_client.post("/api/v1/driver/events", json=picked, headers=auth(token)).is_success
    booking = session.get(Booking, pickup.booking_id)
    assert booking is not None
    session.refresh(booking)
    assert booking.status == "in_progress"
    dropped = _report(dropoff, run, "dropped_off", dropoff.planned_at)
    answer = app_client.post("/api/v1/driver/events", json=dropped, headers=auth(token))
    assert answer.status_code == 201, answer.text
    session.refresh(booking)
    one_leg = len(booking.legs) == 1
    assert booking.status == ("completed" if one_leg else "in_progress")
    kinds = [(type(e).__name__, e.status, e.stop_id) for e in published]
    assert kinds == [
        ("StopReported", "arrived", pickup.id),
        ("StopReported", "picked_up", pickup.id),
        ("StopReported", "dropped_off", dropoff.id),
    ], "each report is published once, a replay is not"
    assert published[0].at == at and published[0].run_id == run.id
    topics = set(session.scalars(select(Change.topic)))
    assert {f"run:{run.id}", f"plan:{DAY.isoformat()}"} <= topics


def test_impossible_and_out_of_order_reports_are_refused_with_what_to_do(
    app_client: TestClient, session: Session, clock: FixedClock, planned_day: PlannedDay
) -> None:
    run = _first_run(session)
    token = _driver(session, clock, run)
    pickup, dropoff = _pair(run)
    at = pickup.planned_at

    def post(body: dict[str, Any]) -> Any:
        return app_client.post("/api/v1/driver/events", json=body, headers=auth(token))

    early = post(_report(dropoff, run, "dropped_off", at))
    assert early.status_code == 409 and "picked up" in early.json()["detail"]
    wrong_kind = post(_report(dropoff, run, "picked_up", at))
    assert wrong_kind.status_code == 422 and wrong_kind.json()["field"] == "kind"
    assert post(_report(pickup, run, "arrived", at)).status_code == 201
    before = post(_report(pickup, run, "picked_up", at - timedelta(minutes=3)))
    assert before.status_code == 409 and "out of order" in before.json()["detail"]
    assert before.json()["field"] == "at"
    assert post(_report(pickup, run, "picked_up", at + timedelta(minutes=1))).status_code == 201
    twice = post(_report(pickup, run, "no_show", at + timedelta(minutes=2)))
    assert twice.status_code == 409 and "finished once" in twice.json()["detail"]
    reused = _report(pickup, run, "arrived", at)
    used = select(StopEvent.client_event_id).where(StopEvent.kind == "picked_up")
    reused["client_event_id"] = session.scalars(used).one()
    clash = post(reused)
    assert clash.status_code == 409 and clash.json()["field"] == "client_event_id"
    future = post(_report(None, run, "position", clock.now() + timedelta(hours=1), lat=63, lon=14))
    assert future.status_code == 422 and future.json()["field"] == "at"
    ancient = post(_report(None, run, "position", datetime(1900, 1, 1, tzinfo=UTC), lat=63, lon=14))
    assert ancient.status_code == 422 and "before the run's day" in ancient.json()["detail"]
    no_stop = post(_report(None, run, "arrived", at))
    assert no_stop.status_code == 422
    assert session.scalar(select(func.count()).select_from(StopEvent)) == 2


def test_a_no_show_is_recorded_on_the_booking_and_a_position_is_published(
    app_client: TestClient,
    session: Session,
    clock: FixedClock,
    planned_day: PlannedDay,
    published: list[Any],
) -> None:
    run = _first_run(session)
    token = _driver(session, clock, run)
    pickup, _ = _pair(run)
    booking_id = pickup.booking_id
    charged = session.get(Booking, booking_id)
    assert charged is not None
    with transaction(session):  # a Sundsvall färdtjänst trip: a no-show fee is charged
        charged.principal_code, charged.service = "2281", "fardtjanst"
    body = _report(pickup, run, "no_show", pickup.planned_at)
    at_once = app_client.post("/api/v1/driver/events", json=body, headers=auth(token))
    assert at_once.status_code == 409 and "Framme" in at_once.json()["detail"], at_once.text
    # The driver's page shows the refusal as it comes: in Swedish too.
    assert at_once.json()["detail_sv"].startswith("Rapportera Framme först")
    arrived = _report(pickup, run, "arrived", pickup.planned_at)
    assert app_client.post("/api/v1/driver/events", json=arrived, headers=auth(token)).is_success
    assert pickup.promised_from is not None
    early = _report(pickup, run, "no_show", pickup.promised_from - timedelta(minutes=1))
    refused = app_client.post("/api/v1/driver/events", json=early, headers=auth(token))
    assert refused.status_code == 409 and refused.json()["field"] == "at", refused.text
    body = _report(pickup, run, "no_show", max(pickup.planned_at, pickup.promised_from))
    answer = app_client.post("/api/v1/driver/events", json=body, headers=auth(token))
    assert answer.status_code == 201, answer.text
    booking = session.get(Booking, booking_id)
    assert booking is not None
    session.refresh(booking)
    assert booking.status == "no_show"
    # Recorded for the run though its stops left the plan with the booking: the report was
    # dropped ("not in the plan any more") and /trafik never showed the no-show
    # (walk-through of the seventh session of 2026-12-06).
    done = session.scalars(
        select(StopDone).where(StopDone.booking_id == booking_id, StopDone.kind == "pickup")
    ).one()
    assert (done.status, done.vehicle_id) == ("no_show", run.vehicle_id)
    position = _report(None, run, "position", clock.now(), lat=63.18, lon=14.64)
    moved = app_client.post("/api/v1/driver/events", json=position, headers=auth(token))
    assert moved.status_code == 201 and moved.json()["lat"] == 63.18
    assert isinstance(published[-1], events.PositionReported)
    assert published[-1].vehicle_id == run.vehicle_id


def test_a_driver_reports_only_on_their_own_vehicles_run_today(
    app_client: TestClient, session: Session, clock: FixedClock, planned_day: PlannedDay
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None and len(plan.runs) >= 2
    mine, other = plan.runs[0], plan.runs[1]
    token = _driver(session, clock, mine)
    stop = other.stops[0]
    refused = app_client.post(
        "/api/v1/driver/events",
        json=_report(stop, other, "arrived", stop.planned_at),
        headers=auth(token),
    )
    assert refused.status_code == 404 and refused.json()["field"] == "run_id"
    assert refused.json()["detail"] == f"no run with id {other.id}"  # as if it were not there
    clock.current = local(DAY + timedelta(days=1), time(6, 0))
    own = mine.stops[0]
    tomorrow = app_client.post(
        "/api/v1/driver/events",
        json=_report(own, mine, "arrived", clock.now() - timedelta(minutes=1)),
        headers=auth(token),
    )
    assert tomorrow.status_code == 403 and "today" in tomorrow.json()["detail"]
    operator = token_for(session, Role.OPERATOR, now=clock.now())
    no_right = app_client.post(
        "/api/v1/driver/events",
        json=_report(own, mine, "arrived", clock.now()),
        headers=auth(operator),
    )
    assert no_right.status_code == 403
    assert session.scalar(select(func.count()).select_from(StopEvent)) == 0


def test_the_drivers_run_lists_stops_with_their_reports(
    app_client: TestClient, session: Session, clock: FixedClock, planned_day: PlannedDay
) -> None:
    run = _first_run(session)
    token = _driver(session, clock, run)
    pickup, _ = _pair(run)
    body = _report(pickup, run, "arrived", pickup.planned_at)
    app_client.post("/api/v1/driver/events", json=body, headers=auth(token))
    shown = app_client.get("/api/v1/driver/run", headers=auth(token))
    assert shown.status_code == 200, shown.text
    data = shown.json()
    assert data["run_id"] == run.id
    assert [s["stop_id"] for s in data["stops"]] == [s.id for s in run.stops]
    at_pickup = next(s for s in data["stops"] if s["stop_id"] == pickup.id)
    assert [r["kind"] for r in at_pickup["reports"]] == ["arrived"]
    assert all("personal_number" not in s for s in data["stops"])
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.request_id == shown.headers["X-Request-Id"])
    ).all()
    assert entries and all(e.username == "forare" for e in entries), "the read is audited"
    reported = session.scalars(
        select(AuditEntry).where(AuditEntry.purpose == "driver report arrived")
    ).all()
    assert [e.username for e in reported] == ["forare"], "the report is audited"


def test_a_protected_travellers_name_never_reaches_the_driver_but_the_address_does(
    app_client: TestClient, session: Session, clock: FixedClock, planned_day: PlannedDay
) -> None:
    run = _first_run(session)
    token = _driver(session, clock, run)
    pickup, _ = _pair(run)
    booking = session.get(Booking, pickup.booking_id)
    assert booking is not None
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None
    traveller.protected_identity = True
    traveller.driver_notes = "Portkod 1234"
    session.flush()
    shown = app_client.get("/api/v1/driver/run", headers=auth(token))
    assert shown.status_code == 200, shown.text
    stop = next(s for s in shown.json()["stops"] if s["stop_id"] == pickup.id)
    assert stop["first_name"] == "Resenär (skyddad identitet)"
    assert stop["door_notes"] == "Portkod 1234", "the driver must find the door"
    for secret in (traveller.last_name, traveller.personal_number):
        assert secret not in shown.text
    # Another traveller on the run may share the first name; the protected one's stops
    # must not carry it.
    theirs = {s.id for s in run.stops if s.booking_id == booking.id}
    named = {s["first_name"] for s in shown.json()["stops"] if s["stop_id"] in theirs}
    assert named == {"Resenär (skyddad identitet)"}
