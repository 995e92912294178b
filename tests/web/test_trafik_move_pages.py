"""The move form /trafik/flytta over HTTP. A walk-through of a working day (2026-12) found
the run the trip was already on taken as a move ("Flyttad: … går nu med Östersund taxi 1",
the same run; a form from before a move, sent again with the back button, still offered
it), and "Närmast först" ordered by time alone: for a Frösön-Östersund trip Sundsvall taxi
2 came first. Now the trip's own run is no choice and is refused at the field, and the runs
that pass nearest the trip's pickup around its time come first.

The clock of these tests is Friday 2026-11-20 (helpers.NOW); the planned day is Monday
2026-11-23.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form, plan_fixed
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking, Leg
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import store
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.models import Run
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.geo.distance import km_between
from samfard.timeutil import local
from samfard.travellers.models import Traveller

DAY = date(2026, 11, 23)
EVENING = local(date(2026, 11, 22), time(18, 0))
NEAR_KM = 30.0  # a run passing this near the pickup at the trip's time …
FAR_KM = 100.0  # … is listed before one that is never nearer than this all day


pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned_day(module_session: Session) -> None:
    """The demo generator's 60 trips of DAY on a fifth of the demo fleet, planned the
    evening before, and the controller's account: built once per database, and each test
    runs in a savepoint of it."""
    load_day(session=module_session, demo=generate_day(DAY, seed=3, trips=60))
    with transaction(module_session):
        load_demo_fleet(module_session, scale=0.2)
    plan_fixed(module_session, DAY, now=EVENING, seed=1)
    create_user(
        session=module_session, username="trafikledare", password=STRONG_PASSWORD,
        role=Role.OPERATOR, now=NOW, principal_codes=["*"],
    )  # fmt: skip
    module_session.commit()


@pytest.fixture
def controller(app_client: TestClient, planned_day: None) -> str:
    """The controller logged in to the test's client; returns the CSRF token."""
    app_client.cookies.clear()
    app_client.post("/login", data=login_form("trafikledare", app_client))
    return str(app_client.cookies[CSRF_COOKIE])


def _places(session: Session, run: Run) -> list[tuple[datetime, float, float]]:
    """Where the run is when, as the controller may see it: its depot at its start and
    end, and every traveller's stop but a protected one's."""
    depot = (run.vehicle.depot_lat, run.vehicle.depot_lon)
    seen: list[tuple[datetime, float, float]] = [(run.start_at, *depot), (run.end_at, *depot)]
    for stop in run.stops:
        assert stop.leg_id is not None, "the demo day has no goods"
        leg = session.get(Leg, stop.leg_id)
        booking = session.get(Booking, stop.booking_id)
        assert leg is not None and booking is not None
        traveller = session.get(Traveller, booking.traveller_id)
        if traveller is None or traveller.protected_identity:
            continue
        pickup = stop.kind == "pickup"
        place = (
            (leg.origin_lat, leg.origin_lon)
            if pickup
            else (leg.destination_lat, leg.destination_lon)
        )
        seen.append((stop.planned_at, *place))
    return sorted(seen)


def _around_km(
    places: list[tuple[datetime, float, float]], at: datetime, lat: float, lon: float
) -> float:
    """Straight km from the pickup to the nearer of the run's places either side of `at`."""
    before = [p for p in places if p[0] <= at][-1:]
    after = [p for p in places if p[0] >= at][:1]
    return min(km_between(p[1], p[2], lat, lon) for p in before + after)


def _options(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<option value="(\d+)"', html)]


def _groups(html: str) -> list[list[int]]:
    """The runs of each group of the select (Ryms, Ryms inte), in order."""
    return [_options(group) for group in re.findall(r"<optgroup.*?</optgroup>", html, re.S)]


def test_the_runs_passing_nearest_the_trip_in_place_and_time_come_first(
    app_client: TestClient, session: Session, controller: str
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    runs = {run.id: run for run in plan.runs}
    places = {run.id: _places(session, run) for run in plan.runs}
    checked = 0
    for run in plan.runs:
        for stop in run.stops:
            if stop.kind != "pickup" or checked >= 8:
                continue
            booking = session.get(Booking, stop.booking_id)
            leg = session.get(Leg, stop.leg_id)
            assert booking is not None and leg is not None
            traveller = session.get(Traveller, booking.traveller_id)
            at = leg.requested_pickup_at or leg.appointment_at
            if traveller is None or traveller.protected_identity or at is None:
                continue
            page = app_client.get(f"/trafik/flytta?booking_id={booking.id}&leg_seq={stop.leg_seq}")
            offered = _options(page.text)
            assert run.id not in offered and sorted(offered) == sorted(set(runs) - {run.id})
            lat, lon = leg.origin_lat, leg.origin_lon
            # The runs that can take the trip come first, those that cannot after; within
            # each group, among the runs out on the road at the trip's time, nearer first.
            for group in _groups(page.text):
                out = [i for i in group if runs[i].start_at <= at <= runs[i].end_at]
                km = [_around_km(places[i], at, lat, lon) for i in out]
                assert km == sorted(km), (booking.reference, list(zip(out, km, strict=True)))
                # A run near the pickup then comes before one that is far from it all day.
                near = [i for i, d in zip(out, km, strict=True) if d <= NEAR_KM]
                far = [
                    i
                    for i in group
                    if min(km_between(p[1], p[2], lat, lon) for p in places[i]) > FAR_KM
                ]
                if near and far:
                    assert group.index(near[-1]) < group.index(far[0]), booking.reference
            checked += 1
    assert checked == 8


def test_the_run_the_trip_is_on_is_no_choice_and_is_refused_at_the_field(
    app_client: TestClient, session: Session, controller: str
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    run = max(plan.runs, key=lambda r: len(r.stops))
    stop = next(s for s in run.stops if s.kind == "pickup")
    name = vehicle_name_sv(run.vehicle.code)
    leg = f"booking_id={stop.booking_id}&leg_seq={stop.leg_seq}"
    page = app_client.get(f"/trafik/flytta?{leg}")
    assert run.id not in _options(page.text)
    assert re.search(rf"<dt>Nu</dt><dd>{re.escape(name)} \(", page.text)
    # The same form sent with the trip's own run (a page from before a move, or forged).
    sent = app_client.post(
        "/trafik/flytta",
        data={
            "datum": DAY.isoformat(), "booking_id": str(stop.booking_id),
            "leg_seq": str(stop.leg_seq), "to_run_id": str(run.id), "csrf_token": controller,
        },
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 200, sent.headers.get("location")
    message = f"Resan går redan med {name}. Välj en annan körning att flytta den till."
    assert f'<a href="#till-korning">{message}</a>' in sent.text
    assert 'id="till-korning-error"' in sent.text
    session.expire_all()
    newest = store.latest_plan(session, DAY)
    assert newest is not None and newest.version == plan.version
    assert any(s.booking_id == stop.booking_id for s in session.get(Run, run.id).stops)  # type: ignore[union-attr]


def test_the_move_form_audits_its_read_of_the_trips_places(
    app_client: TestClient, session: Session, controller: str
) -> None:
    """The form shows where the trip starts and ends: a read of the traveller's personal
    data, audited like every other (a probe found none written)."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    stop = next(s for run in plan.runs for s in run.stops if s.kind == "pickup")
    page = app_client.get(f"/trafik/flytta?booking_id={stop.booking_id}&leg_seq={stop.leg_seq}")
    assert page.status_code == 200
    booking = session.get(Booking, stop.booking_id)
    assert booking is not None
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.record_type == "booking",
            AuditEntry.record_id == str(booking.id),
            AuditEntry.username == "trafikledare",
        )
    ).all()
    assert [e.traveller_id for e in entries] == [booking.traveller_id]
    assert entries[0].action == "read" and "flytt" in entries[0].purpose
