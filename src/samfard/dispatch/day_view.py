"""The traffic controller's day (/trafik) as page data: the newest plan's runs on a
timeline and a map, the legs left unplanned with their reasons, and the runs a leg can
be moved to.

Built from `service.get_plan` and `views.plan_public`, so the plan read scope and the
masking of protected addresses are the API's own; this module only arranges the rows
for a page (times as fractions of the day's span, one polyline per run).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking, Leg
from samfard.db import transaction
from samfard.dispatch import service
from samfard.dispatch.day_overview import DayOverview, OverviewRun, day_overview
from samfard.dispatch.models import PlanRun, Run, Vehicle
from samfard.dispatch.move_checks import LegUnderWay, require_movable, require_not_begun
from samfard.dispatch.move_fit import run_fits
from samfard.dispatch.unplanned_reasons import reason_sv as reason_sv  # the desk reads it here
from samfard.dispatch.vehicle_names import VEHICLE_TYPES_SV, vehicle_name_sv
from samfard.errors import Conflict, Forbidden, NotFound
from samfard.planning.fleet_bound import read_reason
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.views import can_see_identity


def default_day(session: Session, today: date) -> date:
    """The day a controller most likely wants: the first planned day from today on, else
    the newest planned day, else tomorrow."""
    with transaction(session):
        coming = session.scalar(
            select(func.min(PlanRun.service_date)).where(PlanRun.service_date >= today)
        )
        newest = coming or session.scalar(select(func.max(PlanRun.service_date)))
    return newest or today + timedelta(days=1)


MAP_UNITS = 100_000  # per degree in `DayView.polylines`; trafik.js divides by the same


@dataclass(frozen=True)
class TimelineRun:
    run: OverviewRun
    left_pct: float
    width_pct: float
    trips: int  # travellers' legs picked up (a consignment is no trip: it counted as one)
    goods: int  # consignments picked up
    ticks: tuple[float, ...]  # pickups, as % of the span

    @property
    def ticks_path(self) -> str:
        """The pickups as one SVG path over a 100-wide track: a day has thousands of
        pickups, and one element per run renders far faster than one per pickup."""
        return "".join(f"M{tick:.2f} 0V1" for tick in self.ticks)


@dataclass(frozen=True)
class UnplannedLeg:
    booking_id: int
    reference: str
    leg_seq: int
    at: datetime | None
    origin: str
    destination: str
    reason_sv: str
    reason: str


@dataclass(frozen=True)
class DayView:
    day: date
    plan: DayOverview
    span: tuple[datetime, datetime]
    hours: tuple[tuple[str, float], ...]  # label, % from the left
    timeline: tuple[TimelineRun, ...]
    unplanned: tuple[UnplannedLeg, ...]
    # vehicle name, points in 1/MAP_UNITS degrees (whole numbers: a day's thousands of points
    # serialise to JSON several times faster than floats; 1e-5 degrees is about a metre)
    polylines: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]


def may_change_plans(actor: Actor) -> bool:
    """Moving legs and re-planning change runs that carry every principal's trips, so
    they are for planners scoped to all principals (as `service.plan_day` requires)."""
    return actor.has(P.PLANS_WRITE) and actor.owns_everything


def require_may_change_plans(actor: Actor) -> None:
    actor.require(P.PLANS_WRITE)
    if not actor.owns_everything:
        raise Forbidden(
            "moving legs changes runs that carry every principal's trips; only an account "
            "scoped to all principals (*) may change a day's plan",
            field="principal",
        )


def day_view(*, session: Session, day: date, actor: Actor, now: datetime) -> DayView | None:
    """The page data of `day` as the actor may see it (`service.read_plan`: the runs
    carrying their principals' trips, audited), or None when the day has no plan yet."""
    try:
        plan = day_overview(session=session, day=day, actor=actor, now=now)
    except NotFound:
        return None
    span = _span(day, plan)
    total = (span[1] - span[0]).total_seconds()

    origin, scale = span[0].timestamp(), 100.0 / total

    def pct(moment: datetime) -> float:  # by timestamps: no time-zone arithmetic per stop
        return round((moment.timestamp() - origin) * scale, 3)

    timeline = tuple(
        TimelineRun(
            run=run,
            left_pct=pct(run.start_at),
            width_pct=max(0.3, pct(run.end_at) - pct(run.start_at)),
            trips=sum(1 for s in run.stops if s.kind == "pickup" and not s.goods),
            goods=sum(1 for s in run.stops if s.kind == "pickup" and s.goods),
            ticks=tuple(pct(s.planned_at) for s in run.stops if s.kind == "pickup"),
        )
        for run in sorted(plan.runs, key=lambda r: (r.start_at, r.vehicle_code))
    )
    hours = []
    hour = span[0]
    while hour <= span[1]:
        hours.append((f"{hour.astimezone(STOCKHOLM):%H}", pct(hour)))
        hour += timedelta(hours=2)
    polylines = tuple(
        (
            vehicle_name_sv(run.vehicle_code),
            tuple(
                (round(s.lat * MAP_UNITS), round(s.lon * MAP_UNITS))
                for s in run.stops
                if s.lat is not None and s.lon is not None
            ),
        )
        for run in plan.runs
    )
    return DayView(
        day=day,
        plan=plan,
        span=span,
        hours=tuple(hours),
        timeline=timeline,
        unplanned=_unplanned(session, plan, actor, now),
        polylines=polylines,
    )


def load_vehicles(session: Session) -> list[Vehicle]:
    """Load the fleet in one query and hold it while the plan is read: each run then finds
    its vehicle in the session instead of asking the database once per run."""
    return list(session.scalars(select(Vehicle)))


def _span(day: date, plan: DayOverview) -> tuple[datetime, datetime]:
    """Whole hours around the day's runs (06-20 local when there are none)."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=STOCKHOLM)
    starts = [r.start_at for r in plan.runs] or [midnight + timedelta(hours=6)]
    ends = [r.end_at for r in plan.runs] or [midnight + timedelta(hours=20)]
    first = min(starts).astimezone(STOCKHOLM).replace(minute=0, second=0, microsecond=0)
    last = max(ends).astimezone(STOCKHOLM).replace(minute=0, second=0, microsecond=0)
    return first, last + timedelta(hours=1)


def _unplanned(
    session: Session, plan: DayOverview, actor: Actor, now: datetime
) -> tuple[UnplannedLeg, ...]:
    """The plan's unserved legs with their booking reference, time and addresses; the
    addresses of travellers with a protected identity are masked as in the plan. Each
    booking shown is audited as read: the overview audits the travellers on runs, and
    these addresses went unrecorded (the probe of the seventh session of 2026-12-06)."""
    ids = {row["booking_id"] for row in plan.unserved if row.get("booking_id") is not None}
    if not ids:
        return ()
    bookings = {b.id: b for b in session.scalars(select(Booking).where(Booking.id.in_(ids)))}
    legs = {
        (leg.booking_id, leg.seq): leg
        for leg in session.scalars(select(Leg).where(Leg.booking_id.in_(ids)))
    }
    travellers = session.scalars(
        select(Traveller).where(Traveller.id.in_({b.traveller_id for b in bookings.values()}))
    )
    hidden = {t.id for t in travellers if not can_see_identity(t, actor)}
    names = _vehicle_names(session, [str(row["reason"]) for row in plan.unserved])
    rows = []
    for row in plan.unserved:
        booking = bookings.get(row.get("booking_id") or 0)
        leg = legs.get((row.get("booking_id") or 0, row.get("leg_seq") or 0))
        if booking is None or leg is None:
            continue
        masked = booking.traveller_id in hidden
        rows.append(
            UnplannedLeg(
                booking_id=booking.id,
                reference=booking.reference,
                leg_seq=row["leg_seq"],
                at=leg.requested_pickup_at or leg.appointment_at,
                origin="Skyddad adress" if masked else leg.origin_address,
                destination="Skyddad adress" if masked else leg.destination_address,
                reason_sv=reason_sv(str(row["reason"]), names),
                reason=str(row["reason"]),
            )
        )
    shown = {row.booking_id for row in rows}
    with transaction(session):
        audit.record_reads(
            session,
            actor,
            ((bookings[b].traveller_id, b) for b in sorted(shown)),
            record_type="booking",
            action="read",
            purpose="day plan: unplanned trips (/trafik)",
            at=now,
        )
    return tuple(sorted(rows, key=lambda r: r.at or datetime.max.replace(tzinfo=STOCKHOLM)))


def _vehicle_names(session: Session, reasons: list[str]) -> dict[str, str]:
    """The names (`vehicle_name_sv`) of the vehicles that proven shortfalls among
    `reasons` name, by the planner's vehicle id."""
    ids = {
        int(v)
        for short in filter(None, map(read_reason, reasons))
        for v in short.vehicle_ids
        if v.isdigit()
    }
    if not ids:
        return {}
    rows = session.execute(select(Vehicle.id, Vehicle.code).where(Vehicle.id.in_(ids)))
    return {str(vid): vehicle_name_sv(code) for vid, code in rows}


@dataclass(frozen=True)
class RunChoice:
    id: int
    label: str
    # Whether the leg fits into the run, checked as the move checks it (`move_fit`): None
    # when not checked (the leg is under way); `note` says so in Swedish ("ryms, hämtas
    # 10:42" or "ryms inte: fordonet är fullt när resan ska åka").
    fits: bool | None = None
    note: str = ""

    @property
    def text(self) -> str:
        """The option's words: the run, and whether the leg fits."""
        return f"{self.label} – {self.note}" if self.note else self.label


def _trips(run: Run) -> int:
    """The travellers' legs on a run (its goods are no trips)."""
    return sum(1 for s in run.stops if s.kind == "pickup" and s.booking_id is not None)


def _run_choices(plan: PlanRun) -> tuple[RunChoice, ...]:
    """Every run of the plan, by vehicle name, as a move's target options."""
    return tuple(
        RunChoice(
            run.id,
            f"{vehicle_name_sv(run.vehicle.code)} "
            f"({VEHICLE_TYPES_SV.get(run.vehicle.vehicle_type, '')}, "
            f"{run.start_at.astimezone(STOCKHOLM):%H:%M}–{run.end_at.astimezone(STOCKHOLM):%H:%M}, "
            f"{_trips(run)} {'resa' if _trips(run) == 1 else 'resor'})",
        )
        for run in sorted(plan.runs, key=lambda r: vehicle_name_sv(r.vehicle.code))
    )


@dataclass(frozen=True)
class MoveForm:
    """What the move form shows: the leg, the run it rides on now, and the runs to pick."""

    day: date
    booking_id: int
    reference: str
    leg_seq: int
    origin: str
    destination: str
    at: datetime | None
    current_run_id: int | None
    choices: tuple[RunChoice, ...]
    # Where the trip is picked up, to order the runs by (never shown); None when the
    # traveller's places are hidden from the controller.
    pickup: tuple[float, float] | None = None
    current_label: str | None = None  # the run it rides on now, as a choice names it
    under_way: str | None = None  # why it cannot move: its pickup is reported

    @property
    def fitting(self) -> tuple[RunChoice, ...]:
        """The runs that can take the leg, in the form's order."""
        return tuple(c for c in self.choices if c.fits and c.id != self.current_run_id)

    @property
    def not_fitting(self) -> tuple[RunChoice, ...]:
        """The runs that cannot (or were not checked), in the form's order."""
        return tuple(c for c in self.choices if not c.fits and c.id != self.current_run_id)


def move_form(
    *, session: Session, day: date, booking_id: int, leg_seq: int, actor: Actor
) -> MoveForm:
    """The facts of one leg of `day` for the move form (addresses masked if protected)."""
    require_may_change_plans(actor)
    fleet = load_vehicles(session)
    plan = service.get_plan(session=session, day=day, actor=actor)
    booking = session.get(Booking, booking_id)
    leg = session.scalar(select(Leg).where(Leg.booking_id == booking_id, Leg.seq == leg_seq))
    if booking is None or leg is None or booking.service_date != day:
        raise NotFound(f"no leg {leg_seq} of booking {booking_id} on {day}", field="booking_id")
    traveller = session.get(Traveller, booking.traveller_id)
    visible = traveller is not None and can_see_identity(traveller, actor)
    with transaction(session):  # the form shows the trip's places: personal data
        audit.record_booking(
            session,
            actor,
            booking,
            action="read",
            purpose="move form (/trafik/flytta): the trip's places",
        )
    current = next(
        (
            run.id
            for run in plan.runs
            if any(s.booking_id == booking_id and s.leg_seq == leg_seq for s in run.stops)
        ),
        None,
    )
    under_way = _under_way(session, booking, leg_seq)
    choices = _run_choices(plan)
    if under_way is None:
        choices = _with_fits(session, plan, booking, leg_seq, choices, hidden=not visible)
    form = MoveForm(
        day=day,
        booking_id=booking_id,
        reference=booking.reference,
        leg_seq=leg_seq,
        origin=leg.origin_address if visible else "Skyddad adress",
        destination=leg.destination_address if visible else "Skyddad adress",
        at=leg.requested_pickup_at or leg.appointment_at,
        current_run_id=current,
        choices=choices,
        pickup=(leg.origin_lat, leg.origin_lon) if visible else None,
        current_label=next((c.label for c in choices if c.id == current), None),
        under_way=under_way,
    )
    del fleet
    return form


def _with_fits(
    session: Session,
    plan: PlanRun,
    booking: Booking,
    leg_seq: int,
    choices: tuple[RunChoice, ...],
    *,
    hidden: bool,
) -> tuple[RunChoice, ...]:
    """Each run marked as the move would judge it now (`move_fit.run_fits`: the move's own
    check, nothing stored): "ryms, hämtas 10:42", or "ryms inte" and why. The controller
    tried fifteen runs, each refused with the same sentence, before one took the trip.
    For a traveller whose places the reader may not see (`hidden`) only "ryms" or "ryms
    inte": a pickup time or a shift's reach for each of some 250 runs, from places whose
    positions are known, would tell where the hidden home is (the second probe of the
    seventh session of 2026-12-06)."""
    try:
        require_movable(booking)
    except Conflict as refused:
        why = refused.detail_sv or "resan kan inte flyttas"
        return tuple(replace(c, fits=False, note=f"ryms inte: {why}") for c in choices)
    with transaction(session):
        fits = run_fits(session, plan, booking.id, leg_seq, plan.runs)
    marked = []
    for choice in choices:
        fit = fits.get(choice.id)
        if fit is None:
            marked.append(choice)
        elif fit.fits and fit.pickup_at is not None:
            at = fit.pickup_at.astimezone(STOCKHOLM)
            note = "ryms" if hidden else f"ryms, hämtas {at:%H:%M}"
            marked.append(replace(choice, fits=True, note=note))
        else:
            note = "ryms inte" if hidden else f"ryms inte: {fit.why_sv}"
            marked.append(replace(choice, fits=False, note=note))
    return tuple(marked)


def _under_way(session: Session, booking: Booking, leg_seq: int) -> str | None:
    """Why the leg cannot move, when a driver has reported its pickup (the form says so
    instead of offering runs the move would be refused on)."""
    try:
        with transaction(session):
            require_not_begun(session, booking, leg_seq)
    except LegUnderWay as refused:
        return refused.detail_sv
    return None
