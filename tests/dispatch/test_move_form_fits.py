"""The move form (/trafik/flytta) says, before the controller chooses, which runs can take
the leg. A walk-through (2026-12) found every run of the day listed: the first fifteen
tried were each refused with "Resan ryms inte i den körningen … Välj en annan körning.",
the sixteenth took the trip. Now each run is checked as the move checks it
(dispatch.move_fit): the runs that fit come first ("ryms, hämtas 10:42"), the others after
("ryms inte" and why), and a refusal at submit says the same why.

The planned day is dispatch_fixtures' (built once per database); each test runs in a
savepoint of it.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from dispatch_fixtures import (
    CONTROLLER_LOGIN,
    DAY,
    PLAN_NOW,
    PlannedDay,
    add_controller,
    plan_demo_day,
)
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import login_form
from samfard.access.actor import SYSTEM
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.booking.models import Booking, Leg
from samfard.db import dry_run
from samfard.dispatch import store
from samfard.dispatch.leg_request import tolerance_minutes, waiting_included
from samfard.dispatch.live_state import booking_ids_on, bookings_on_runs, leg_inputs_on
from samfard.dispatch.models import PlanRun, Run, Vehicle
from samfard.dispatch.move_fit import (
    Misfit,
    MoveInputs,
    could_fit,
    judge_move,
    misfit_sv,
    run_fits,
)
from samfard.dispatch.moves import MoveOutcome, MoveRefused, move_leg
from samfard.dispatch.planning_inputs import DayProblem, PlanningDefaults
from samfard.dispatch.problem_builder import build_problem
from samfard.planning.insertion import Insertion, InsertionSettings, insert
from samfard.planning.model import Route, Solution
from samfard.planning.model import Vehicle as PlanVehicle
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller

pytestmark = pytest.mark.world_per_module

OPTION = re.compile(r'<option value="(\d+)"( selected)?>(.*?)</option>', re.S)


@pytest.fixture(scope="module")
def planned_day(module_session: Session) -> PlannedDay:
    planned = plan_demo_day(module_session)
    add_controller(module_session)
    module_session.commit()
    return planned


@pytest.fixture
def csrf(app_client: TestClient, planned_day: PlannedDay) -> str:
    """The controller logged in on the test's client; returns the CSRF token."""
    app_client.cookies.clear()
    app_client.post("/login", data=login_form(CONTROLLER_LOGIN, app_client))
    return str(app_client.cookies[CSRF_COOKIE])


def _marked(page: str) -> dict[int, tuple[bool, str, bool]]:
    """Run id -> (listed as fitting, the option's words, preselected), in page order."""
    found: dict[int, tuple[bool, str, bool]] = {}
    for group in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', page, re.S):
        fits = group[0].startswith("Ryms (")
        for run_id, selected, text in OPTION.findall(group[1]):
            found[int(run_id)] = (fits, html.unescape(text).strip(), bool(selected))
    return found


def _trial_move(
    session: Session, booking_id: int, leg_seq: int, run_id: int
) -> MoveOutcome | MoveRefused:
    """Moving the leg into the run an hour after the plan was made, in a throw-away
    transaction: what the move does, or its refusal."""
    with dry_run(session) as trial:
        try:
            return move_leg(
                session=trial, day=DAY, booking_id=booking_id, leg_seq=leg_seq,
                to_run_id=run_id, actor=SYSTEM, now=PLAN_NOW + timedelta(hours=1),
            )  # fmt: skip
        except MoveRefused as refused:
            return refused


def _form(
    app_client: TestClient, booking_id: int, leg_seq: int
) -> dict[int, tuple[bool, str, bool]]:
    page = app_client.get(f"/trafik/flytta?booking_id={booking_id}&leg_seq={leg_seq}")
    assert page.status_code == 200, page.text[:300]
    return _marked(page.text)


def _move(app_client: TestClient, csrf: str, booking_id: int, leg_seq: int, run_id: int) -> str:
    answer = app_client.post(
        "/trafik/flytta",
        data={
            "csrf_token": csrf, "datum": DAY.isoformat(), "booking_id": str(booking_id),
            "leg_seq": str(leg_seq), "to_run_id": str(run_id),
        },
        follow_redirects=False,
    )  # fmt: skip
    if answer.status_code == 303:
        return "saved: " + app_client.get(answer.headers["location"]).text
    assert answer.status_code == 200, answer.text[:300]
    return html.unescape(answer.text)


def _mixed_leg(
    app_client: TestClient, session: Session
) -> tuple[int, int, dict[int, tuple[bool, str, bool]]]:
    """A planned leg that some runs can take and some cannot, with its form's marks."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    for run in plan.runs:
        for stop in run.stops:
            if stop.kind != "pickup" or stop.booking_id is None or stop.leg_seq is None:
                continue
            marks = _form(app_client, stop.booking_id, stop.leg_seq)
            if any(m[0] for m in marks.values()) and not all(m[0] for m in marks.values()):
                return stop.booking_id, stop.leg_seq, marks
    raise AssertionError("no leg of the demo day fits some runs and not others")


def test_the_runs_that_fit_come_first_marked_and_the_move_agrees_with_each_mark(
    app_client: TestClient, session: Session, csrf: str
) -> None:
    """Every run is marked as the move would judge it: the move into each run, tried in a
    throw-away transaction, is saved exactly where the form says "ryms", at the pickup
    time it says, and refused elsewhere with the reason the form gave."""
    booking_id, leg_seq, marks = _mixed_leg(app_client, session)
    order = [fits for fits, _, _ in marks.values()]
    assert order == sorted(order, reverse=True), "the runs that fit come first"
    first = next(run_id for run_id, (fits, _, _) in marks.items() if fits)
    assert marks[first][2], "the first run that fits is preselected"
    for run_id, (fits, text, _) in marks.items():
        outcome = _trial_move(session, booking_id, leg_seq, run_id)
        if isinstance(outcome, MoveRefused):
            refused = outcome
            assert not fits, (text, refused.detail_sv)
            why = text.split(" – ryms inte: ", 1)[1]
            assert refused.detail_sv is not None and why in refused.detail_sv, (why, refused)
            continue
        assert fits, text
        assert text.endswith(f" – ryms, hämtas {outcome.pickup_at.astimezone(STOCKHOLM):%H:%M}")
    # Over the page: a run marked "ryms inte" is refused with the same why, the plan as it
    # was; the preselected run takes the trip.
    refused_id = next(run_id for run_id, (fits, _, _) in marks.items() if not fits)
    why = marks[refused_id][1].split(" – ryms inte: ", 1)[1]
    refused_page = _move(app_client, csrf, booking_id, leg_seq, refused_id)
    assert (
        "Resan ryms inte i " in refused_page and f": {why}. Välj en annan körning." in refused_page
    )
    saved = _move(app_client, csrf, booking_id, leg_seq, first)
    at = marks[first][1].rsplit("hämtas ", 1)[1]
    assert saved.startswith("saved: ") and f"hämtas {at}" in saved


def _fitting_run(
    app_client: TestClient, session: Session
) -> tuple[int, int, int, dict[int, tuple[bool, str, bool]]]:
    """A planned leg and a run it fits into."""
    booking_id, leg_seq, marks = _mixed_leg(app_client, session)
    run_id = next(run_id for run_id, (fits, _, _) in marks.items() if fits)
    return booking_id, leg_seq, run_id, marks


def test_a_run_whose_shift_ends_before_the_trip_is_marked_and_refused_saying_so(
    app_client: TestClient, session: Session, csrf: str
) -> None:
    booking_id, leg_seq, run_id, _ = _fitting_run(app_client, session)
    leg = session.scalar(select(Leg).where(Leg.booking_id == booking_id, Leg.seq == leg_seq))
    run = session.get(Run, run_id)
    assert leg is not None and run is not None
    at = (leg.requested_pickup_at or leg.appointment_at or run.start_at).astimezone(STOCKHOLM)
    vehicle = session.get(Vehicle, run.vehicle_id)
    assert vehicle is not None
    vehicle.shift_start = (at - timedelta(hours=4)).time().replace(second=0, microsecond=0)
    vehicle.shift_end = (at - timedelta(hours=2)).time().replace(second=0, microsecond=0)
    session.commit()
    fits, text, _ = _form(app_client, booking_id, leg_seq)[run_id]
    ends = f"{vehicle.shift_end:%H:%M}"
    assert not fits and text.endswith(
        f"ryms inte: fordonets pass slutar {ends}, före resan hinner köras"
    )
    refused = _move(app_client, csrf, booking_id, leg_seq, run_id)
    assert (
        f"fordonets pass slutar {ends}, före resan hinner köras. Välj en annan körning." in refused
    )


def test_a_vehicle_without_a_wheelchair_place_is_marked_and_refused_saying_so(
    app_client: TestClient, session: Session, csrf: str
) -> None:
    booking_id, leg_seq, _, marks = _fitting_run(app_client, session)
    booking = session.get(Booking, booking_id)
    assert booking is not None
    booking.needs = ["wheelchair"]
    session.commit()
    now = _form(app_client, booking_id, leg_seq)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    runs = {run.id: run for run in plan.runs}
    without = [i for i in now if runs[i].vehicle.wheelchair_places == 0]
    assert without, "the demo fleet has vehicles without a wheelchair place"
    for run_id in without:
        fits, text, _ = now[run_id]
        assert not fits and "ryms inte: resan behöver 1 rullstolsplats, och fordonet har 0" in text
    refused = _move(app_client, csrf, booking_id, leg_seq, without[0])
    assert "resan behöver 1 rullstolsplats, och fordonet har 0. Välj en annan körning." in refused
    assert marks, "the form listed runs before the change"


def test_a_protected_travellers_places_stay_masked_and_the_read_is_audited(
    app_client: TestClient, session: Session, csrf: str
) -> None:
    booking_id, leg_seq, _, _ = _fitting_run(app_client, session)
    booking = session.get(Booking, booking_id)
    assert booking is not None
    traveller = session.get(Traveller, booking.traveller_id)
    leg = session.scalar(select(Leg).where(Leg.booking_id == booking_id, Leg.seq == leg_seq))
    assert traveller is not None and leg is not None
    traveller.protected_identity = True
    session.commit()
    page = app_client.get(f"/trafik/flytta?booking_id={booking_id}&leg_seq={leg_seq}").text
    assert "Skyddad adress" in page
    for secret in (leg.origin_address, leg.destination_address):
        assert secret and secret not in page
    marks = _marked(page)
    assert any(fits for fits, _, _ in marks.values()), "the runs are still checked"
    # Only whether each run takes the trip: a pickup time or a shift's reach from each
    # run's known places would tell where the hidden home is (the second probe of the
    # seventh session of 2026-12-06).
    for fits, words, _ in marks.values():
        assert words.endswith("ryms" if fits else "ryms inte"), words
    entries = session.scalars(
        select(AuditEntry).where(
            AuditEntry.record_type == "booking",
            AuditEntry.record_id == str(booking_id),
            AuditEntry.username == "trafikledare",
        )
    ).all()
    assert entries and all("flytt" in e.purpose for e in entries)
    assert {e.traveller_id for e in entries} == {booking.traveller_id}


# The form's check, faster (2026-12): the requests of each leg are made once for all the
# runs a form checks (`ProblemBuilder`), the bookings are read as rows (`leg_inputs_on`),
# and a run is screened first by an insertion with room for all and no ride limits
# (`could_fit`). The tests below hold that nothing a controller sees changed: every mark
# of every leg equals a trial move into that run, the problems are the ones
# `build_problem` builds, and the screen refuses only runs the move's own check refuses,
# with the words the three questions of before gave.


def _planned_legs(session: Session, count: int) -> list[tuple[int, int]]:
    """`count` planned legs spread over the day (every leg when fewer), and the unplanned."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    legs = sorted(
        {
            (stop.booking_id, stop.leg_seq)
            for run in plan.runs
            for stop in run.stops
            if stop.kind == "pickup" and stop.booking_id is not None and stop.leg_seq is not None
        }
    )
    step = max(1, len(legs) // count)
    unplanned = [
        (int(b), int(s))
        for b, s in (
            str(row["request_id"])[1:].split(".")
            for row in plan.unserved
            if str(row["request_id"]).startswith("b")
        )
    ]
    return legs[::step][:count] + unplanned[:2]


def _source(plan: PlanRun, booking_id: int, leg_seq: int) -> Run | None:
    rid = f"b{booking_id}.{leg_seq}"
    return next((r for r in plan.runs if any(store.request_id_of(s) == rid for s in r.stops)), None)


def test_every_runs_mark_for_many_legs_equals_a_trial_move_into_that_run(
    session: Session, planned_day: PlannedDay
) -> None:
    """For legs spread over the day (and unplanned ones), each run's mark from the form's
    check is what moving the leg there does, in a throw-away transaction: saved where it
    says "ryms", with the pickup time it says, refused elsewhere with its why."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    checked = fitting = 0
    for booking_id, leg_seq in _planned_legs(session, 8):
        marks = run_fits(session, plan, booking_id, leg_seq, plan.runs)
        for run_id, fit in marks.items():
            checked += 1
            outcome = _trial_move(session, booking_id, leg_seq, run_id)
            if isinstance(outcome, MoveRefused):
                refused = outcome
                assert not fit.fits, (booking_id, leg_seq, run_id, refused.detail_sv)
                assert refused.detail_sv is not None and fit.why_sv in refused.detail_sv
                continue
            fitting += 1
            assert fit.fits, (booking_id, leg_seq, run_id, fit.why_sv)
            assert fit.pickup_at is not None
            assert abs((fit.pickup_at - outcome.pickup_at).total_seconds()) < 1
    assert checked > 50 and 0 < fitting < checked, (checked, fitting)


def test_the_forms_problems_are_those_build_problem_builds(
    session: Session, planned_day: PlannedDay
) -> None:
    """Each run's problem, made from requests kept for all the runs of a form, equals the
    one `build_problem` builds from scratch from the bookings read whole; the stored plan
    over it equals `store.solution_of`'s; the legs read as rows are those
    `store.leg_inputs` reads, their decision's tolerance alone."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    defaults = PlanningDefaults()
    ids = booking_ids_on(plan.runs)
    whole = store.leg_inputs(session, bookings_on_runs(session, ids))
    rows = leg_inputs_on(session, ids)
    assert [replace(leg, decision=None) for leg in rows] == [
        replace(leg, decision=None) for leg in whole
    ]
    for rows_leg, whole_leg in zip(rows, whole, strict=True):
        assert tolerance_minutes(rows_leg.decision) == tolerance_minutes(whole_leg.decision)
        assert waiting_included(rows_leg.decision) == waiting_included(whole_leg.decision)
    compared = 0
    for booking_id, leg_seq in _planned_legs(session, 4):
        source = _source(plan, booking_id, leg_seq)
        others = [r for r in plan.runs if source is None or r.id != source.id]
        inputs = MoveInputs.read(session, plan, booking_id, source, others, defaults)
        for target in others:
            day = inputs.problem(target)
            runs = [r for r in (source, target) if r is not None]
            legs = store.leg_inputs(
                session, bookings_on_runs(session, booking_ids_on(runs) | {booking_id})
            )
            goods = {s.consignment_id for r in runs for s in r.stops if s.consignment_id}
            consignments = [g for g in inputs.goods if g.consignment_id in goods]
            rids = [leg.request_id for leg in legs] + [g.request_id for g in consignments]
            fresh = build_problem(
                plan.service_date, legs, inputs.fleet_for(runs, rids), inputs.provider,
                defaults, consignments=consignments,
            )  # fmt: skip
            assert day.problem == fresh.problem
            assert (day.rejected, day.vehicles) == (fresh.rejected, fresh.vehicles)
            assert list(day.legs) == list(fresh.legs)
            assert inputs.stored(day) == store.solution_of(plan, fresh)
            compared += 1
    assert compared > 20


def _words_as_before(
    day: DayProblem, stored: Solution, vid: str, rid: str, defaults: PlanningDefaults
) -> str:
    """`misfit_sv` as it was before the screen: the insertion asked again over the whole
    problem with the places lifted, then with the ride limits lifted, each alone."""
    said = misfit_sv(day, stored, vid, rid, defaults, relaxed=False)
    if not said.startswith("körningen hinner inte"):
        return said  # the vehicle, its places or its shift: no insertion was asked
    problem, request = day.problem, day.problem.request(rid)
    vehicle = next(v for v in problem.vehicles if v.id == vid)
    route = next((r for r in stored.routes if r.vehicle_id == vid), None)
    kept = (
        () if route is None else (Route(vid, tuple(s for s in route.stops if s.request_id != rid)),)
    )

    def fits(vehicle: PlanVehicle, *, no_ride_limits: bool = False) -> bool:
        changed = copy.copy(problem)
        object.__setattr__(changed, "vehicles", (vehicle,))
        asked = request
        if no_ride_limits:
            freed = tuple(replace(r, max_ride=None) for r in problem.requests)
            object.__setattr__(changed, "requests", freed)
            asked = replace(request, max_ride=None)
        settings = InsertionSettings(
            promise_tolerance=store.pickup_tolerance_s(day.legs[rid], defaults.pickup_before_min)
        )
        return isinstance(insert(changed, Solution(kept), asked, settings), Insertion)

    roomy = replace(vehicle, capacity=tuple(999 for _ in vehicle.capacity))
    if fits(roomy):
        return "fordonet är fullt när resan ska åka"
    if fits(vehicle, no_ride_limits=True):
        return (
            "omvägen blir för lång: resan eller någon annan i bilen skulle åka längre än "
            "sin längsta restid"
        )
    return said


def test_the_screen_refuses_only_runs_the_moves_own_check_refuses_in_the_same_words(
    session: Session, planned_day: PlannedDay
) -> None:
    """A run the screen refuses (`could_fit`: no place even with room for all and no ride
    limits) is one `judge_move` finds no place in, and the words given for it, as for
    every run without a place, are those of the three questions asked before over the
    whole problem."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    defaults = PlanningDefaults()
    screened = refused = 0
    for booking_id, leg_seq in _planned_legs(session, 8):
        rid = f"b{booking_id}.{leg_seq}"
        source = _source(plan, booking_id, leg_seq)
        others = [r for r in plan.runs if source is None or r.id != source.id]
        inputs = MoveInputs.read(session, plan, booking_id, source, others, defaults)
        source_vid = None if source is None else str(source.vehicle_id)
        for target in others:
            day = inputs.problem(target)
            if rid in dict(day.rejected):
                continue
            stored = inputs.stored(day)
            vid = str(target.vehicle_id)
            judged = judge_move(day, stored, source_vid, vid, rid, defaults)
            if not could_fit(day, stored, vid, rid, defaults):
                screened += 1
                assert isinstance(judged, Misfit) and judged.kind == "no_position"
            if isinstance(judged, Misfit) and judged.kind == "no_position":
                refused += 1
                words = misfit_sv(day, stored, vid, rid, defaults)
                assert words == _words_as_before(day, stored, vid, rid, defaults)
    assert screened > 10 and refused >= screened, (screened, refused)
