"""Reports from the road change the plan: a stop done late moves the rest of its run, and
every promise the new times break is marked, alerted and told to the traveller.

`on_stop_reported` is subscribed to `events.StopReported` (dispatch/handlers.py) and runs
inside the driver's reporting transaction. It records what happened (`StopDone`), then
`refresh_runs` forecasts the run from there (dispatch.forecast), has the independent
verifier judge the forecast, writes the new expected times onto the run's stops (so the
stored plan is what the controller and the driver should now expect) and raises an alert
for each promise, appointment or ride time at risk. Nothing else moves: re-planning is the
controller's decision (dispatch.replan_live).

`overdue_runs` is the clock's part: a vehicle that has not reported a stop it should have
reached is late too, although no event says so; a periodic check (the simulator's clock,
or a job) refreshes those runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard import events
from samfard.access.actor import Actor
from samfard.booking.models import Booking
from samfard.dispatch import alerts, notices, store
from samfard.dispatch.forecast import (
    at_risk,
    forecast_route,
    judged_problem,
    solution_of_routes,
)
from samfard.dispatch.live_models import StopDone
from samfard.dispatch.live_state import LiveDay, goods_done, live_day, rid_of
from samfard.dispatch.models import PlanRun, Run, Stop
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.dispatch.words_sv import findings_sv
from samfard.planning.model import Route, StopKind
from samfard.planning.model import Stop as PlanStop
from samfard.planning.verifier import ViolationKind, verify
from samfard.timeutil import STOCKHOLM

log = logging.getLogger(__name__)

COMPLETES_STOP = frozenset({"picked_up", "no_show", "dropped_off"})
STATUSES = frozenset({"arrived", *COMPLETES_STOP})
PROMISE_ALERTS = frozenset({"promise_at_risk", "promise_broken"})
LATE_S = 60.0  # a pickup more than a minute after the promise breaks it


@dataclass
class Refresh:
    """What a refresh found: the risks per request id, and plan errors per vehicle."""

    risks: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    verified_runs: int = 0


def on_stop_reported(session: Session, event: events.StopReported) -> None:
    """Record the stop, forecast its run again, alert and tell travellers.

    A stop reported no later than planned changes no forecast: the stops after it were
    planned later still and nothing before it is left, so the run's last verification
    stands and the forecast is skipped."""
    if event.status not in STATUSES:
        log.warning("stop report with unknown status %s ignored", event.status)
        return
    stop = session.get(Stop, event.stop_id)
    reported_run = session.get(Run, event.run_id)
    if reported_run is not None and (stop is None or stop.run is None):
        # The booking left the plan in the same transaction (a no-show moved first, and
        # its stops are gone): what happened is still recorded from the report, and the
        # next traveller hears the vehicle is on its way; there is nothing left of it to
        # forecast. The report was dropped until the walk-through of the seventh session
        # of 2026-12-06: /trafik never showed the no-show.
        _left_the_plan(session, reported_run, event)
        return
    if stop is None or reported_run is None or stop.run_id != event.run_id:
        log.warning("stop %s of run %s is not in the plan any more", event.stop_id, event.run_id)
        return
    run = stop.run
    plan_run = run.plan_run
    on_time = event.at <= stop.planned_at and event.status != "no_show"
    _record(session, plan_run.service_date, run, stop, event.status, event.at)
    if not on_time:
        refresh_runs(session, plan_run, [run], now=event.at, actor=event.actor)
    if stop.kind == "pickup" and event.status in ("arrived", "picked_up"):
        _flag_broken_on_arrival(
            session, plan_run.service_date, stop, event.at, run.id, event.status
        )
    if event.status in COMPLETES_STOP:
        _tell_next_on_the_way(session, run, stop.seq, actor=event.actor, at=event.at)


def _left_the_plan(session: Session, run: Run, event: events.StopReported) -> None:
    booking = None if event.booking_id is None else session.get(Booking, event.booking_id)
    if booking is None or event.leg_seq is None or event.stop_kind is None:
        return
    _record_leg(
        session,
        booking.service_date,
        run.vehicle_id,
        (booking.id, event.leg_seq, event.stop_kind),
        event.status,
        event.at,
    )
    if event.status in COMPLETES_STOP and event.stop_seq is not None:
        _tell_next_on_the_way(session, run, event.stop_seq, actor=event.actor, at=event.at)


def _record(session: Session, day: date, run: Run, stop: Stop, status: str, at: datetime) -> None:
    if stop.booking_id is None or stop.leg_seq is None:
        return  # goods stops are read from the driver's log (live_state.goods_done)
    _record_leg(
        session, day, run.vehicle_id, (stop.booking_id, stop.leg_seq, stop.kind), status, at
    )


def _record_leg(
    session: Session,
    day: date,
    vehicle_id: int,
    leg: tuple[int, int, str],
    status: str,
    at: datetime,
) -> None:
    """One row per leg and stop kind (`leg`: booking id, leg seq, stop kind): the first
    report's time, the last report's status."""
    booking_id, leg_seq, kind = leg
    row = session.scalar(
        select(StopDone).where(
            StopDone.booking_id == booking_id,
            StopDone.leg_seq == leg_seq,
            StopDone.kind == kind,
        )
    )
    if row is None:
        session.add(
            StopDone(
                service_date=day,
                booking_id=booking_id,
                leg_seq=leg_seq,
                kind=kind,
                vehicle_id=vehicle_id,
                status=status,
                at=at,
            )
        )
    elif status != "arrived":
        row.status = status
    session.flush()


def _flag_broken_on_arrival(
    session: Session, day: date, stop: Stop, at: datetime, run_id: int, status: str
) -> None:
    """A vehicle that first reports a pickup after its promise has broken it; if no alert
    foresaw it, the controller hears it now."""
    if stop.promised_until is None or (at - stop.promised_until).total_seconds() <= LATE_S:
        return
    if stop.booking_id is None or stop.leg_seq is None:
        return  # goods are promised nothing: their windows are the orderer's
    subject = rid_of(stop.booking_id, stop.leg_seq)
    if alerts.has_alert(session, day=day, subject=subject, kinds=PROMISE_ALERTS):
        return
    alerts.raise_alert(
        session,
        kind="promise_broken",
        day=day,
        subject=subject,
        run_id=run_id,
        booking_id=stop.booking_id,
        message=(
            f"{alerts.trip_name(session, stop.booking_id, stop.leg_seq)}: "
            f"{'framme' if status == 'arrived' else 'hämtad'} {_clock(at)}, utlovat senast "
            f"{_clock(stop.promised_until)}."
        ),
        at=at,
    )


def refresh_runs(
    session: Session,
    plan_run: PlanRun,
    runs: Sequence[Run],
    *,
    now: datetime,
    actor: Actor,
) -> Refresh:
    """Forecast `runs` from what has happened, verify, store the times, alert."""
    result = Refresh()
    if not runs:
        return result
    live = live_day(session, plan_run, runs)
    now_s = live.day.seconds(now)
    problem = live.day.problem
    forecasts = {
        vid: forecast_route(problem, route, live.done, now_s) for vid, route in live.routes.items()
    }
    judged = judged_problem(problem, forecasts.values(), live.done)
    report = verify(judged, solution_of_routes(judged, forecasts.values()))
    result.verified_runs = len(forecasts)
    found = at_risk(report, {rid: vid for vid, r in forecasts.items() for rid in r.request_ids()})
    _write_times(live, forecasts)
    day = plan_run.service_date
    for vid in found.overtime:
        run = live.runs.get(vid)
        if run is not None:
            end = run.end_at.astimezone(STOCKHOLM)
            alerts.raise_alert(
                session,
                kind="overtime",
                day=day,
                subject=f"vehicle {vid}",
                run_id=run.id,
                message=f"{vehicle_name_sv(run.vehicle.code)}: körningen beräknas sluta "
                f"{end:%H:%M}, efter passets slut. Flytta resor eller ring utföraren.",
                at=now,
            )
    for risk in found.risks:
        result.risks[risk.request_id] = risk.detail
        _alert_risk(session, live, forecasts, risk.request_id, risk.kind, now=now, actor=actor)
    for vid, errors in found.errors.items():
        run = live.runs.get(vid)
        result.errors[vid] = [str(e) for e in errors]
        log.warning("plan errors on vehicle %s: %s", vid, "; ".join(result.errors[vid][:5]))
        alerts.raise_alert(
            session,
            kind="plan_rejected",
            day=day,
            subject=f"vehicle {vid}",
            run_id=None if run is None else run.id,
            message=f"Kontrollen hittade fel i "
            f"{'planen' if run is None else vehicle_name_sv(run.vehicle.code)}: "
            f"{findings_sv(errors)}. Kontakta systemförvaltningen.",
            at=now,
        )
    session.flush()
    return result


def _write_times(live: LiveDay, forecasts: dict[str, Route]) -> None:
    """The forecast's times onto the stored stops; a no-show's stops leave the run."""
    for vid, route in forecasts.items():
        run = live.runs[vid]
        times = {(s.request_id, s.kind.value): s.time for s in route.stops if s.request_id}
        for stop in list(run.stops):
            key = (store.request_id_of(stop), stop.kind)
            if key in times:
                stop.planned_at = live.day.at(times[key])
            elif key[0] in live.no_shows:
                run.stops.remove(stop)
        run.end_at = live.day.at(route.stops[-1].time)


def _alert_risk(
    session: Session,
    live: LiveDay,
    forecasts: dict[str, Route],
    rid: str,
    kind: ViolationKind,
    *,
    now: datetime,
    actor: Actor,
) -> None:
    if rid in live.day.consignments:
        _alert_goods_risk(session, live, forecasts, rid, now=now)
        return
    leg_input = live.day.legs[rid]
    at_pickup = kind is ViolationKind.PROMISE
    vid, stop = _stop_of(forecasts, rid, StopKind.PICKUP if at_pickup else StopKind.DROPOFF)
    run = live.runs[vid]
    expected = live.day.at(stop.time)
    day = live.day.day
    booking_ref = alerts.trip_name(session, leg_input.booking_id, leg_input.leg_seq)
    vehicle = vehicle_name_sv(run.vehicle.code)
    if at_pickup:
        promise = (leg_input.promised_from, leg_input.promised_until)
        message = (
            f"{booking_ref}: beräknad hämtning {_clock(expected)} med {vehicle}, "
            f"utlovat {_clock(promise[0])}–{_clock(promise[1])}."
        )
        alert_kind = "promise_at_risk"
    else:
        message = (
            f"{booking_ref}: beräknad ankomst {_clock(expected)} med {vehicle} "
            "är efter tiden resenären ska vara framme eller över längsta restid."
        )
        alert_kind = "late_arrival"
    alert = alerts.raise_alert(
        session,
        kind=alert_kind,
        day=day,
        subject=rid,
        run_id=run.id,
        booking_id=leg_input.booking_id,
        message=message,
        at=now,
    )
    if alert in session.new and kind is ViolationKind.PROMISE:
        booking = session.get(Booking, leg_input.booking_id)
        if booking is not None:
            notices.new_time(session, booking, expected, actor=actor, at=now)


def _alert_goods_risk(
    session: Session, live: LiveDay, forecasts: dict[str, Route], rid: str, *, now: datetime
) -> None:
    """Goods forecast outside their windows: the controller hears it (nobody to notify)."""
    goods = live.day.consignments[rid]
    vid, stop = _stop_of(forecasts, rid, StopKind.DROPOFF)
    run = live.runs[vid]
    alerts.raise_alert(
        session,
        kind="late_arrival",
        day=live.day.day,
        subject=rid,
        run_id=run.id,
        message=(
            f"Gods {goods.consignment_id}: beräknad lämning {_clock(live.day.at(stop.time))} "
            f"med {vehicle_name_sv(run.vehicle.code)}, senast {_clock(goods.dropoff_until)}."
        ),
        at=now,
    )


def _stop_of(forecasts: dict[str, Route], rid: str, kind: StopKind) -> tuple[str, PlanStop]:
    for vid, route in forecasts.items():
        for stop in route.stops:
            if stop.request_id == rid and stop.kind is kind:
                return vid, stop
    raise LookupError(f"{rid} {kind} is on no forecast route")


def _tell_next_on_the_way(
    session: Session, run: Run, seq: int, *, actor: Actor, at: datetime
) -> None:
    """The vehicle leaves the stop at `seq` of `run`: if the next stop is a pickup, its
    traveller hears that the vehicle is on its way and when it is expected."""
    later = [s for s in run.stops if s.seq > seq]
    if not later or later[0].kind != "pickup" or later[0].booking_id is None:
        return
    nxt = later[0]
    booking = session.get(Booking, nxt.booking_id)
    if booking is not None:
        notices.on_the_way(session, booking, nxt.planned_at, actor=actor, at=at)


def done_stops(session: Session, plan_run: PlanRun) -> set[tuple[str, str]]:
    """The stops of the plan's day a driver has reported, as (request id, kind)."""
    done = {
        (rid_of(row.booking_id, row.leg_seq), row.kind)
        for row in session.scalars(
            select(StopDone).where(StopDone.service_date == plan_run.service_date)
        )
    }
    goods = {s.consignment_id for run in plan_run.runs for s in run.stops if s.consignment_id}
    return done | set(goods_done(session, goods))


def overdue_runs(session: Session, plan_run: PlanRun, now: datetime) -> list[Run]:
    """Runs with a stop planned before `now` that nobody has reported: late without an
    event saying so."""
    done = done_stops(session, plan_run)
    return [
        run
        for run in plan_run.runs
        if any(
            s.planned_at < now and (store.request_id_of(s), s.kind) not in done for s in run.stops
        )
    ]


def _clock(moment: datetime | None) -> str:
    return "--:--" if moment is None else f"{moment.astimezone(STOCKHOLM):%H:%M}"
