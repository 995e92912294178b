"""One run as the controller's run page (/trafik/korning/{id}) shows it: its stops in
order with what the driver reported at each, the stops reported in another order than the
plan (`report_order`), the no-shows that left the run, and when the vehicle last sent its
position.

The page follows the run while it is open (docs/live-day.md), so this is read again at
each report: it is the run's own plan read (`service.read_plan` with the run, audited for
the run's travellers only) and the reports of its legs, nothing of the rest of the day.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.db import transaction
from samfard.dispatch import report_order, service, stop_reports
from samfard.dispatch.day_view import load_vehicles
from samfard.dispatch.schemas import StopPublic
from samfard.dispatch.stop_reports import StopReport
from samfard.dispatch.vehicle_names import VEHICLE_TYPES_SV, vehicle_name_sv
from samfard.errors import NotFound


@dataclass(frozen=True)
class StopRow:
    booking_id: int | None  # None: another principal's trip, or goods
    reference: str | None
    leg_seq: int | None  # None on a goods stop
    kind: str
    planned_at: datetime
    promised: tuple[datetime, datetime] | None
    address: str
    goods: str | None = None  # what is loaded or unloaded at a goods stop
    reported: tuple[StopReport, ...] = ()  # what the driver reported here, oldest first
    # Done before a stop planned ahead of it (`report_order`): which one, in Swedish
    # ("gjord före hämtning SF-… resa 1, som ligger före i planen"); None when in order.
    out_of_order: str | None = None

    @property
    def movable(self) -> bool:
        """A leg may move until something is reported at its pickup (`moves.move_leg`)."""
        return self.kind == "pickup" and self.booking_id is not None and not self.reported

    @property
    def name(self) -> str:
        """The stop as the controller says it: "hämtning SF-… resa 1"."""
        what = "hämtning" if self.kind == "pickup" else "lämning"
        if self.goods:
            return f"{what} {self.reference} gods"
        if self.reference and self.leg_seq is not None:
            return f"{what} {self.reference} resa {self.leg_seq + 1}"
        return f"{what} för annan huvudman"


@dataclass(frozen=True)
class RunView:
    """One run with its stops, what was reported at them, and its no-shows."""

    run_id: int
    vehicle: str  # the vehicle's name on the page (`vehicle_name_sv`)
    vehicle_code: str  # its code, as the API and the carrier's files know it
    vehicle_type: str
    carrier: str
    start_at: datetime
    end_at: datetime
    distance_km: float
    stops: tuple[StopRow, ...]
    no_shows: tuple[stop_reports.NoShowRow, ...] = ()
    position_at: datetime | None = None  # the vehicle's last position sent that day

    @property
    def out_of_order(self) -> int:
        """How many stops were reported in another order than the plan."""
        return sum(1 for s in self.stops if s.out_of_order)

    @property
    def latest(self) -> str:
        """The newest report of the run in words ("hämtning SF-… resa 1: Hämtad 10:42"),
        "" when none: the page says it aloud when it changes, and only then."""
        said = [(r.at, f"{s.name}: {r.sv}") for s in self.stops for r in s.reported]
        said += [(n.report.at, f"{n.reference} resa {n.leg_seq + 1}: {n.report.sv}")
                 for n in self.no_shows]  # fmt: skip
        return max(said)[1] if said else ""


def run_view(*, session: Session, day: date, run_id: int, actor: Actor, now: datetime) -> RunView:
    """One run of `day`'s newest plan with its stops, as the plan shows it to the actor
    (another principal's stop keeps its time but no booking or address)."""
    fleet = load_vehicles(session)
    plan = service.read_plan(session=session, day=day, actor=actor, now=now, run_id=run_id)
    del fleet
    run = next((r for r in plan.runs if r.id == run_id), None)
    if run is None:
        raise NotFound(f"run {run_id} is not in the newest plan of {day}", field="run_id")
    with transaction(session):
        said = stop_reports.reports_at(session, day, run.stops)
        missed = stop_reports.no_show_rows(session, day, run.vehicle.id, actor)
        position_at = stop_reports.last_position_at(session, day, run.vehicle.id)
    stops = [_row(s, said.get((stop_reports.request_id(s), s.kind), ())) for s in run.stops]
    by_vehicle = [[r for r in s.reported if r.vehicle_id in (None, run.vehicle.id)] for s in stops]
    for later, earlier in report_order.out_of_order(by_vehicle).items():
        # No time: a stop done has the time it was reported as its planned time now.
        note = f"gjord före {stops[earlier].name}, som ligger före i planen"
        stops[later] = replace(stops[later], out_of_order=note)
    return RunView(
        run_id=run.id,
        vehicle=vehicle_name_sv(run.vehicle.code),
        vehicle_code=run.vehicle.code,
        vehicle_type=VEHICLE_TYPES_SV.get(run.vehicle.vehicle_type, run.vehicle.vehicle_type),
        carrier=run.vehicle.carrier_name,
        start_at=run.start_at,
        end_at=run.end_at,
        distance_km=run.distance_km,
        stops=tuple(stops),
        no_shows=missed,
        position_at=position_at,
    )


def _row(stop: StopPublic, reported: tuple[StopReport, ...]) -> StopRow:
    promised = (
        (stop.promised_from, stop.promised_until)
        if stop.promised_from is not None and stop.promised_until is not None
        else None
    )
    return StopRow(
        booking_id=stop.booking_id,
        reference=stop.booking_reference,
        leg_seq=stop.leg_seq,
        kind=stop.kind,
        planned_at=stop.planned_at,
        promised=promised,
        address=stop.address,
        goods=stop.goods,
        reported=reported,
    )
