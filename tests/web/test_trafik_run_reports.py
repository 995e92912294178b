"""A run's page says what the driver reported, and a trip under way is not offered a move.

A walk-through of a working day (2026-12) found /trafik/korning/{id} silent on which stops
the driver had reported, and offering Flytta for a traveller already reported Hämtad;
trying it answered "Flytten gick inte och planen är oförändrad. Ladda om sidan och försök
igen.", which no reload could help. Another refusal said only "Kontrollen av den ändrade
planen hittade fel, så ingenting sparades." although docs/workspace.md promised the
details. Now each reported stop says what and when, a leg whose pickup is reported has no
Flytta and the move service refuses it (422) saying why, and a refusal of the verifier
names the trip, what broke with the times, and the run.

The clock of these tests is Friday 2026-11-20 (helpers.NOW); the planned day is Monday
2026-11-23 (the reports are dated on it). The planned day is built once per database; each
test reports in a savepoint of it.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from live_day_pages import DAY, page_login, plan_live_day
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.booking.models import Booking
from samfard.changes import Change
from samfard.dispatch import store
from samfard.dispatch.driver.schemas import StopEventCreate
from samfard.dispatch.driver.service import record_report
from samfard.dispatch.models import PlanRun, Run, Stop
from samfard.dispatch.move_checks import LegUnderWay
from samfard.dispatch.move_words import Names, refusal_sv
from samfard.dispatch.moves import move_leg
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.planning.model import (
    Problem,
    Request,
    Route,
    Solution,
    StopKind,
    Vehicle,
    Window,
    matrix,
)
from samfard.planning.model import Stop as PlanStop
from samfard.planning.verifier import verify
from samfard.timeutil import STOCKHOLM, local

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned(module_session: Session) -> None:
    """The small planned day of live_day_pages (tests/web/conftest.py gives it per test):
    built once per database, and each test runs in a savepoint of it."""
    plan_live_day(module_session)
    module_session.commit()


def _plan(session: Session) -> PlanRun:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    return plan


def _driver_reports(session: Session, run: Run, stop: Stop, *kinds: str, at: datetime) -> None:
    """What the driver's page sends, through its use case, a minute apart from `at`."""
    driver = Actor(user_id=None, username="forare-test", role=Role.DRIVER,
                   carrier_id=run.vehicle.carrier_id, vehicle_id=run.vehicle_id)  # fmt: skip
    for n, kind in enumerate(kinds):
        when = at + timedelta(minutes=n)
        data = StopEventCreate(
            client_event_id=uuid.uuid4().hex, run_id=run.id, stop_id=stop.id, kind=kind, at=when
        )  # type: ignore[arg-type]
        record_report(session=session, data=data, actor=driver, now=when + timedelta(seconds=1))


def _row(page: str, reference: str, seq: int, kind: str) -> str:
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, re.S)
    what = "Hämtning" if kind == "pickup" else "Lämning"
    found = [r for r in rows if f"{reference} resa {seq + 1}" in r and what in r]
    assert len(found) == 1, (reference, seq, kind)
    return found[0]


def _clock(at: datetime) -> str:
    return f"{at.astimezone(STOCKHOLM):%H:%M}"


def test_reported_stops_are_marked_and_a_trip_under_way_is_not_moved(
    app_client: TestClient, session: Session, planned: None
) -> None:
    csrf = page_login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    run = max(_plan(session).runs, key=lambda r: (len(r.stops), -r.id))
    pickups = [s for s in run.stops if s.kind == "pickup" and s.booking_id is not None]
    assert len(pickups) >= 2, "the run needs two trips"
    first, other = pickups[0], pickups[-1]
    booking = session.get(Booking, first.booking_id)
    assert booking is not None
    reference = booking.reference
    page = app_client.get(f"/trafik/korning/{run.id}").text
    assert '<th scope="col">Rapporterat</th>' in page
    before = re.findall(r'href="/trafik/flytta\?booking_id=(\d+)&amp;leg_seq=(\d+)"', page)
    assert (str(first.booking_id), str(first.leg_seq)) in before

    at = first.planned_at
    _driver_reports(session, run, first, "arrived", "picked_up", at=at)
    page = app_client.get(f"/trafik/korning/{run.id}").text
    row = _row(page, reference, first.leg_seq or 0, "pickup")
    assert f"Framme {_clock(at)}, Hämtad {_clock(at + timedelta(minutes=1))}" in row
    assert "/trafik/flytta" not in row, "no Flytta for a traveller on board"
    assert f"booking_id={other.booking_id}&amp;leg_seq={other.leg_seq}" in page

    # The move service refuses it, saying why; nothing changes.
    target = next(r for r in _plan(session).runs if r.id != run.id)
    with pytest.raises(LegUnderWay) as refused:
        move_leg(session=session, day=DAY, booking_id=first.booking_id or 0,
                 leg_seq=first.leg_seq or 0, to_run_id=target.id,
                 actor=Actor(user_id=None, username="tl", role=Role.OPERATOR,
                             principal_codes=frozenset({"*"})),
                 now=at + timedelta(minutes=5))  # fmt: skip
    assert refused.value.status == 422
    name = vehicle_name_sv(run.vehicle.code)
    said = refused.value.detail_sv or ""
    assert said == (
        f"{reference} resa {(first.leg_seq or 0) + 1} går inte att flytta: hämtningen är "
        f"rapporterad Hämtad {_clock(at + timedelta(minutes=1))} med {name}, så resenären "
        "sitter i bilen."
    )
    # The form (an old page, the back button) says the same at the field.
    form = {
        "datum": DAY.isoformat(),
        "booking_id": str(first.booking_id),
        "leg_seq": str(first.leg_seq),
        "to_run_id": str(target.id),
        "csrf_token": csrf,
    }
    answer = app_client.post("/trafik/flytta", data=form, follow_redirects=False)
    assert answer.status_code == 200
    assert said in answer.text and "Ladda om sidan" not in answer.text
    assert first.id in {s.id for s in run.stops}
    # And the form itself, opened from an old link, offers no run to choose.
    opened = app_client.get(
        "/trafik/flytta", params={"booking_id": first.booking_id, "leg_seq": first.leg_seq}
    ).text
    assert said in opened and 'name="to_run_id"' not in opened


def test_a_no_show_is_listed_on_the_run_with_its_time(
    app_client: TestClient, session: Session, planned: None
) -> None:
    page_login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    run = max(_plan(session).runs, key=lambda r: (len(r.stops), -r.id))
    pickup = next(s for s in run.stops if s.kind == "pickup" and s.promised_from is not None)
    assert pickup.promised_from is not None
    booking = session.get(Booking, pickup.booking_id)
    assert booking is not None
    at = pickup.promised_from + timedelta(minutes=2)
    run_id = run.id
    _driver_reports(session, run, pickup, "arrived", "no_show", at=at)
    page = app_client.get(f"/trafik/korning/{run_id}").text
    section = page.split("<h2>Uteblev</h2>", 1)
    assert len(section) == 2, "the run lists its no-shows"
    assert re.search(
        rf"<li>{booking.reference} resa {(pickup.leg_seq or 0) + 1}: Uteblev "
        rf"{_clock(at + timedelta(minutes=1))}</li>",
        section[1],
    ), section[1][:300]


def test_a_refusal_of_the_verifier_names_the_trip_what_broke_and_the_run() -> None:
    """One vehicle, one promised trip: picked up at 11:40 against a promise of 10:50-11:05."""
    minutes = [[0, 10], [10, 0]]
    time = matrix([[60.0 * m for m in row] for row in minutes])
    promised = Window(10 * 3600 + 50 * 60, 11 * 3600 + 5 * 60)
    request = Request("b7.0", 0, 1, Window(10 * 3600, 13 * 3600), Window(0, 86400),
                      60.0, 60.0, (1, 0, 0), None, promised_pickup=promised)  # fmt: skip
    vehicle = Vehicle("3", (4, 0, 0), Window(0, 86400), 0, 0)
    problem = Problem((request,), (vehicle,), time, time)
    t = 11 * 3600 + 40 * 60
    route = Route("3", (PlanStop(StopKind.START, 0, t), PlanStop(StopKind.PICKUP, 0, t, "b7.0"),
                        PlanStop(StopKind.DROPOFF, 1, t + 660, "b7.0"),
                        PlanStop(StopKind.END, 1, t + 720)))  # fmt: skip
    solution = Solution((route,), (), 0.0)
    found = [v for v in verify(problem, solution).violations if v.subject == "b7.0"]
    names = Names({"b7.0": "SF-ABC resa 1"}, {"3": "Sundsvall taxi 3"},
                  lambda s: local(DAY, datetime.min.time()) + timedelta(seconds=s))  # fmt: skip
    said = refusal_sv(found, set(), problem, solution, names)
    assert said.startswith("Flytten sparades inte. Kontrollen av planen med resan i den ")
    assert "SF-ABC resa 1 hämtas 11:40 men är utlovad 10:50–11:05 (Sundsvall taxi 3)" in said
    assert said.endswith("Välj en annan körning.")
    already = refusal_sv(found, {(v.kind.value, v.subject) for v in found}, problem, solution,
                         names)  # fmt: skip
    assert "redan försenade, och flytten gör det värre" in already
    assert already.endswith("Välj en annan körning.") and "Planera om" not in already


def test_a_trip_moves_off_a_run_reported_late(
    app_client: TestClient, session: Session, planned: None
) -> None:
    """A run reported an hour late has its forecast stored, which breaks the promises
    behind it: findings of the verifier on the stored plan. Every move of one of its later
    trips was refused for them ("Körningarna är redan försenade ... Planera om resten av
    dagen"), though moving a trip off a late run is what the controller wants then. A
    finding the plan had before, unchanged, now refuses nothing."""
    csrf = page_login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    runs = sorted(_plan(session).runs, key=lambda r: (-len(r.stops), r.id))
    late = next(r for r in runs if sum(s.kind == "pickup" for s in r.stops) >= 3)
    late_id, late_code = late.id, late.vehicle.code
    pickups = [s for s in late.stops if s.kind == "pickup"]
    _driver_reports(session, late, pickups[0], "arrived",
                    at=pickups[0].planned_at + timedelta(minutes=60))  # fmt: skip
    leg = pickups[-1]
    booking_id, leg_seq = leg.booking_id, leg.leg_seq
    said: list[str] = []
    saved_on = None
    for target in _plan(session).runs:
        if target.id == late_id:
            continue
        form = {"datum": DAY.isoformat(), "booking_id": str(booking_id),
                "leg_seq": str(leg_seq), "to_run_id": str(target.id),
                "csrf_token": csrf}  # fmt: skip
        answer = app_client.post("/trafik/flytta", data=form, follow_redirects=False)
        if answer.status_code == 303:
            saved_on = target.vehicle.code
            break
        assert answer.status_code == 200, answer.text
        said.append(" ".join(answer.text.split()))
    assert saved_on is not None, "no run took a trip off the late run: " + " | ".join(
        text.split("Flytten sparades inte.", 1)[-1][:200] for text in said
    )
    moved_to = next(
        r for r in _plan(session).runs
        if any(s.booking_id == booking_id and s.leg_seq == leg_seq for s in r.stops)
    )  # fmt: skip
    assert moved_to.vehicle.code == saved_on != late_code
    # The day's pages and the driver pages of both vehicles follow the plan's topic.
    assert session.scalar(
        select(Change.kind).where(Change.topic == f"plan:{DAY.isoformat()}", Change.kind == "moved")
    ), "the move is announced"
    assert not any("Planera om resten av dagen och försök" in text for text in said)


def test_a_pickup_reported_before_one_planned_ahead_of_it_is_flagged_on_the_run(
    app_client: TestClient, session: Session, planned: None
) -> None:
    """The driver picks up the run's second trip before its first: the second's row says
    "Rapporterad i annan ordning än planen" and names the first, the page counts it, and
    the fragment htmx fetches while the page is open says the same."""
    page_login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    run = max(_plan(session).runs, key=lambda r: (len(r.stops), -r.id))
    first, second = [s for s in run.stops if s.kind == "pickup" and s.booking_id is not None][:2]
    references = {}
    for stop in (first, second):
        booking = session.get(Booking, stop.booking_id)
        assert booking is not None
        references[stop.id] = (booking.reference, stop.leg_seq or 0)
    run_id, at = run.id, second.planned_at
    _driver_reports(session, run, second, "picked_up", at=at)
    page = app_client.get(f"/trafik/korning/{run_id}").text
    assert "annan ordning" not in page, "the first stop may yet be passed without a report"
    _driver_reports(session, run, first, "picked_up", at=at + timedelta(minutes=5))
    page = app_client.get(f"/trafik/korning/{run_id}").text
    ref, seq = references[first.id]
    flagged = _row(page, *references[second.id], "pickup")
    assert "Rapporterad i annan ordning än planen" in flagged
    assert f"gjord före hämtning {ref} resa {seq + 1}, som ligger före i planen." in flagged
    rows = re.findall(r"<tr[^>]*>.*?</tr>", page, re.S)
    (taken_later,) = [r for r in rows if f"<td>{ref} resa {seq + 1}</td>" in r and "Hämtning" in r]
    assert "annan ordning" not in taken_later, "only the stop taken early is flagged"
    assert "1 stopp rapporterat i annan ordning än planen." in page
    fragment = app_client.get(f"/trafik/korning/{run_id}", headers={"HX-Request": "true"}).text
    assert fragment.lstrip().startswith('<section id="korning-stopp"')
    assert "<h1>" not in fragment and "Rapporterad i annan ordning än planen" in fragment
    assert f'data-senaste="hämtning {ref} resa {seq + 1}: Hämtad ' in fragment
