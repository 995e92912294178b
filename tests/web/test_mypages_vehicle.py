"""Following the vehicle on the day from Mina resor, on SQLite and PostgreSQL: the
traveller sees their own vehicle's state, expected time and nearest place once the
driver reports, and another traveller's trip is refused as at the booking API.

The planned day is built once per database (`planned_run`); each test runs in a savepoint
of it, so its reports and accounts are gone before the next test."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import auth, busiest_run, plan_fixed, token_for
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.clock import FixedClock
from samfard.costs.service import load_contract_files
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import handoff
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.models import Run, Stop
from samfard.geo.models import Place
from samfard.timeutil import local

DAY = date(2026, 11, 23)

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned_run(module_session: Session) -> int:
    """The id of the busiest run of the planned day (`_planned_day`): built once per
    database, and each test runs in a savepoint of it."""
    run = _planned_day(module_session)
    module_session.commit()
    return run.id


def _run(session: Session, run_id: int) -> Run:
    """The run, read in the test's own session."""
    run = session.get(Run, run_id)
    assert run is not None
    return run


def _planned_day(session: Session) -> Run:
    """The demo day planned the evening before, its busiest run accepted by its carrier
    (so its trips are assigned to the vehicle)."""
    evening = local(date(2026, 11, 22), time(18, 0))
    load_day(session=session, demo=generate_day(DAY, seed=1, trips=30))
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    load_contract_files(session)
    plan_fixed(session, DAY, now=evening, seed=1)
    run = busiest_run(session, DAY)
    offers = handoff.offer_day(session=session, day=DAY, actor=SYSTEM, now=evening)
    offer = next(o for o in offers if o.run_id == run.id)
    if offer.state == "offered":
        handoff.answer_offer(session=session, offer_id=offer.id, accept=True, reason=None,
                             actor=SYSTEM, now=evening)  # fmt: skip
    return run


def _traveller_of(session: Session, stop: Stop) -> int:
    booking = session.get(Booking, stop.booking_id)
    assert booking is not None
    return booking.traveller_id


def _report(run: Run, kind: str, at: Any, stop: Stop | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "client_event_id": uuid.uuid4().hex,
        "run_id": run.id,
        "stop_id": stop.id if stop else None,
        "kind": kind,
        "at": at.isoformat(),
        **extra,
    }


def test_the_traveller_follows_their_own_vehicle_and_no_one_elses(
    app_client: TestClient, session: Session, clock: FixedClock, planned_run: int
) -> None:
    run = _run(session, planned_run)
    pickups = [s for s in run.stops if s.kind == "pickup"]
    # The page follows a booking's first leg not yet done: take a first leg.
    mine = next(s for s in pickups if s.leg_seq == 0)
    others = [s for s in pickups if _traveller_of(session, s) != _traveller_of(session, mine)]
    assert others, "the run carries more than one traveller"
    # Before the stop ahead of the traveller's is due, the vehicle has not set out for them.
    earlier = [s.planned_at for s in run.stops if s.seq < mine.seq]
    heads_off = max(earlier) if earlier else run.start_at
    clock.current = heads_off - timedelta(minutes=30)
    me = token_for(session, Role.TRAVELLER, now=clock.now(), username="folj-mig",
                   traveller_id=_traveller_of(session, mine))  # fmt: skip
    other = token_for(session, Role.TRAVELLER, now=clock.now(), username="folj-annan",
                      traveller_id=_traveller_of(session, others[0]))  # fmt: skip
    driver = token_for(session, Role.DRIVER, now=clock.now(), username="folj-forare",
                       carrier_id=run.vehicle.carrier_id, vehicle_id=run.vehicle_id)  # fmt: skip
    url = f"/mina-resor/resor/{mine.booking_id}/fordon"

    waiting = app_client.get(url, headers=auth(me))
    assert waiting.status_code == 200, waiting.text
    assert "Planerad" in waiting.text and "På väg" not in waiting.text
    assert "har inte gett sig av mot dig" in waiting.text

    clock.current = heads_off
    before = app_client.get(url, headers=auth(me))
    assert before.status_code == 200, before.text
    assert "På väg" in before.text and "inte rapporterat någon position" in before.text
    assert f"{mine.planned_at.astimezone(local(DAY, time(0)).tzinfo):%H:%M}" in before.text

    home = app_client.get("/mina-resor", headers=auth(me))
    assert home.status_code == 200 and 'aria-live="polite"' in home.text and url in home.text

    # The driver reports a position near a locality and arrives at the pickup.
    place = session.execute(
        select(Place.name, Place.lat, Place.lon).where(Place.kind == "locality")
    ).first()
    assert place is not None
    at = clock.now()
    position = _report(run, "position", at, lat=place.lat + 0.001, lon=place.lon)
    assert app_client.post("/api/v1/driver/events", json=position, headers=auth(driver)).is_success
    clock.current = at + timedelta(minutes=5)
    arrived = _report(run, "arrived", clock.now(), mine)
    answer = app_client.post("/api/v1/driver/events", json=arrived, headers=auth(driver))
    assert answer.status_code == 201, answer.text

    after = app_client.get(url, headers=auth(me))
    assert after.status_code == 200
    assert "Framme" in after.text and place.name in after.text
    assert f"{at.astimezone(local(DAY, time(0)).tzinfo):%H:%M}" in after.text
    for stop in others:  # nothing of the other travellers on the vehicle
        booking = session.get(Booking, stop.booking_id)
        assert booking is not None and booking.reference not in after.text

    # Another traveller on the same vehicle cannot follow this trip (the booking's scope).
    probe = app_client.get(url, headers=auth(other))
    assert probe.status_code in (403, 404)
    assert place.name not in probe.text

    clock.current = at + timedelta(minutes=7)
    picked = _report(run, "picked_up", clock.now(), mine)
    assert app_client.post("/api/v1/driver/events", json=picked, headers=auth(driver)).is_success
    assert "Hämtad" in app_client.get(url, headers=auth(me)).text
    dropoff = next(s for s in run.stops if s.kind == "dropoff" and s.leg_id == mine.leg_id)
    clock.current += timedelta(minutes=20)
    there = _report(run, "arrived", clock.now(), dropoff)
    assert app_client.post("/api/v1/driver/events", json=there, headers=auth(driver)).is_success
    at_destination = app_client.get(url, headers=auth(me)).text
    assert "Hämtad" in at_destination and "väntar på dig" not in at_destination


def test_a_trip_on_another_day_is_not_followed(
    app_client: TestClient, session: Session, clock: FixedClock, planned_run: int
) -> None:
    run = _run(session, planned_run)
    mine = next(s for s in run.stops if s.kind == "pickup")
    clock.current = local(DAY - timedelta(days=1), time(12))
    me = token_for(session, Role.TRAVELLER, now=clock.now(), username="folj-igar",
                   traveller_id=_traveller_of(session, mine))  # fmt: skip
    answer = app_client.get(f"/mina-resor/resor/{mine.booking_id}/fordon", headers=auth(me))
    assert answer.status_code == 200 and "Resan följs inte just nu" in answer.text


def test_a_planned_time_that_has_passed_is_not_given_as_the_expected_one(
    app_client: TestClient, session: Session, clock: FixedClock, planned_run: int
) -> None:
    """Read after the plan's time with no pickup reported, "Bilen väntas 10:00" at 10:20
    was a time already wrong: the page says when the plan expected the vehicle and that it
    has not come, and once the promised window has closed, that the vehicle is late."""
    run = _run(session, planned_run)
    mine = next(
        s
        for s in run.stops
        if s.kind == "pickup" and s.leg_seq == 0 and s.promised_until is not None
        and s.planned_at + timedelta(minutes=1) < s.promised_until
    )  # fmt: skip
    planned = f"{mine.planned_at.astimezone(local(DAY, time(0)).tzinfo):%H:%M}"
    clock.current = mine.planned_at + timedelta(minutes=1)
    me = token_for(session, Role.TRAVELLER, now=clock.now(), username="folj-sen",
                   traveller_id=_traveller_of(session, mine))  # fmt: skip
    url = f"/mina-resor/resor/{mine.booking_id}/fordon"
    behind = app_client.get(url, headers=auth(me)).text
    assert "Bilen väntas" not in behind
    assert f"skulle enligt planen ha kommit {planned} och är inte framme ännu" in behind
    assert "försenad" not in behind, "still within the promised window"
    clock.current = mine.promised_until + timedelta(minutes=1)  # type: ignore[operator]
    late = app_client.get(url, headers=auth(me)).text
    assert "Bilen är försenad." in late and "Bilen väntas" not in late


def test_the_leg_the_driver_reports_on_is_followed_though_an_earlier_one_was_not(
    app_client: TestClient, session: Session, clock: FixedClock, planned_run: int
) -> None:
    """The driver reported the way home, never the way there: the page followed the way
    there, "Bilen är försenad" (walk-through of the seventh session of 2026-12-06)."""
    plan = _run(session, planned_run).plan_run
    home_leg = next(s for r in plan.runs for s in r.stops if s.kind == "pickup" and s.leg_seq == 1)
    run = home_leg.run
    offers = handoff.list_offers(session=session, day=DAY, actor=SYSTEM)
    offer = next(o for o in offers if o.run_id == run.id)
    if offer.state == "offered":  # its carrier takes the run: the trip is on a vehicle
        handoff.answer_offer(session=session, offer_id=offer.id, accept=True, reason=None,
                             actor=SYSTEM, now=home_leg.planned_at)  # fmt: skip
    clock.current = home_leg.planned_at
    me = token_for(session, Role.TRAVELLER, now=clock.now(), username="folj-hem",
                   traveller_id=_traveller_of(session, home_leg))  # fmt: skip
    driver = token_for(session, Role.DRIVER, now=clock.now(), username="folj-hem-forare",
                       carrier_id=run.vehicle.carrier_id, vehicle_id=run.vehicle_id)  # fmt: skip
    arrived = _report(run, "arrived", clock.now(), home_leg)
    assert app_client.post("/api/v1/driver/events", json=arrived, headers=auth(driver)).is_success
    page = app_client.get(f"/mina-resor/resor/{home_leg.booking_id}/fordon", headers=auth(me))
    assert page.status_code == 200
    assert "Framme" in page.text and "försenad" not in page.text
