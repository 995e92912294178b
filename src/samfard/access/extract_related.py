"""The registerutdrag's sections that other steps of the spine keep about the person:
deviations about their trips, aids delivered to them, the messages sent to them, what
drivers reported at their stops, the planned stops of their trips, no-show fees, the fee
ledger, what their trips cost, the controller's alerts about their trips, the registers
that hold them and their own login account.

Only tables are read here (each feature's `models`, and its view where it has one that
masks), never a feature's use cases, so no feature depends on the extract. Each section is
read in the extract's transaction and covered by its one `export` audit entry. A
protected identity stays masked for a reader without the right, as in the bookings: no
home address or coordinates, no phone, no distance or cost that would place the home, no
free text written about them in a deviation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from samfard.access.account_names import shown
from samfard.access.actor import Actor
from samfard.access.models import User
from samfard.booking.models import Booking
from samfard.costs.fee_ledger import FeeLedgerEntry
from samfard.costs.models import SettledTrip
from samfard.dispatch.driver.models import StopEvent
from samfard.dispatch.live_models import ControllerAlert, NoShowCharge
from samfard.dispatch.models import PlanRun, Run, Stop, Vehicle
from samfard.goods.models import Consignment
from samfard.goods.schemas import ConsignmentPublic
from samfard.goods.views import consignment_public
from samfard.notify.models import OutboxMessage
from samfard.notify.service import SECRETS
from samfard.quality.models import Deviation
from samfard.quality.schemas import DeviationEventPublic
from samfard.quality.views import shown_text
from samfard.travellers.models import Traveller, TravellerRegistration

# What a driver reports at a stop; `position` reports are the vehicle's trail, not a stop.
STOP_REPORTS = ("arrived", "picked_up", "no_show", "dropped_off")


class DeviationExtract(BaseModel):
    """A deviation (avvikelse) about one of the person's trips, with every handling step."""

    id: int
    reference: str
    booking_id: int | None
    trip_key: str | None
    principal: str
    service: str
    carrier: str | None
    vehicle_type: str | None
    day: date
    occurred_at: datetime
    kind: str
    severity: str
    description: str
    reported_by: str
    reporter_role: str
    reported_at: datetime
    status: str
    carrier_due_at: datetime | None
    carrier_answer: str | None
    carrier_answered_at: datetime | None
    outcome: str | None
    penalty_ore: int
    principal_alerted_at: datetime | None
    closed_at: datetime | None
    events: list[DeviationEventPublic]


class ConsignmentExtract(ConsignmentPublic):
    """Goods (an aid, hjälpmedel) of which the person is the recipient."""

    created_by: str
    updated_at: datetime


class MessageExtract(BaseModel):
    """A message of the outbox to the person (an SMS), as it was or is to be sent."""

    id: int
    created_at: datetime
    kind: str
    channel: str
    booking_id: int | None
    recipient: str | None  # their phone; None when hidden (protected identity)
    text: str  # for a secret (a login code) only what kind of message it was
    status: str
    attempts: int
    sent_at: datetime | None


class StopReportExtract(BaseModel):
    """What a driver reported at a stop of the person's trip or of their aid."""

    id: int
    kind: str  # arrived | picked_up | no_show | dropped_off
    service_date: date
    booking_id: int | None
    leg_seq: int | None
    consignment_id: int | None
    stop_kind: str | None  # pickup | dropoff
    at: datetime  # when it happened at the vehicle
    received_at: datetime
    vehicle_id: int
    reported_by: str
    lat: float | None  # the vehicle at the stop; None when hidden (protected identity)
    lon: float | None


class PlannedStopExtract(BaseModel):
    """A stop of the person's trip (or aid) in a stored day plan, with its planned time."""

    service_date: date
    plan_version: int
    plan_kind: str
    vehicle: str
    booking_id: int | None
    leg_seq: int | None
    consignment_id: int | None
    kind: str  # pickup | dropoff
    planned_at: datetime
    promised_from: datetime | None
    promised_until: datetime | None


class NoShowChargeExtract(BaseModel):
    """A no-show fee (bomkörningsavgift) charged to the person."""

    booking_id: int
    leg_seq: int
    principal: str
    fee_ore: int
    rule_source: str
    recorded_at: datetime
    recorded_by: str


class FeeExtract(BaseModel):
    """One leg's fee (egenavgift) in the fee ledger, before and after the fee ceiling."""

    booking_id: int
    leg_index: int
    principal: str
    trip_date: date
    mode: str
    list_fee_ore: int
    paid_ore: int
    counts_toward_ceiling: bool
    recorded_at: datetime
    recorded_by: str


class SettledTripExtract(BaseModel):
    """What one of the person's trips cost, as settled with the carrier. Distance and
    costs are None when hidden (protected identity): with the destination they place the
    home (docs/security.md, "Reports")."""

    trip_key: str
    booking_id: int | None
    leg_seq: int | None
    principal: str
    service: str
    day: date
    carrier: str
    pickup_at: datetime
    promised_pickup: datetime | None
    actual_pickup: datetime | None
    passengers: int
    run_passengers: int
    direct_m: int | None
    standalone_ore: int | None
    allocated_ore: int | None
    fee_ore: int
    stretcher: bool
    dialysis: bool
    wheelchair: bool
    deviations: int
    cost_centre: str | None
    cost_object: str | None


class AlertExtract(BaseModel):
    """An alert to the traffic controller about one of the person's trips."""

    booking_id: int | None
    kind: str
    service_date: date
    message: str
    created_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class RegistrationExtract(BaseModel):
    """A principal that registered the person (one of the registers that hold them)."""

    principal: str
    registered_at: datetime
    registered_by: str


class AccountExtract(BaseModel):
    """The person's own login account (Mina resor); never a password, token or code."""

    username: str
    role: str
    active: bool
    created_at: datetime


def deviations(
    session: Session,
    traveller_id: int,
    booking_ids: Sequence[int],
    *,
    visible: bool,
    names: frozenset[str],
) -> list[DeviationExtract]:
    """The free text (description, the carrier's answer, the notes) of a protected
    person's deviation is hidden as the quality pages hide it (`quality.views`), and so
    are the person's own account `names` (access.account_names)."""
    hidden = not visible
    rows = session.scalars(
        select(Deviation)
        .where(or_(Deviation.traveller_id == traveller_id, Deviation.booking_id.in_(booking_ids)))
        .options(selectinload(Deviation.events))
        .order_by(Deviation.reported_at, Deviation.id)
    )
    return [
        DeviationExtract(
            id=row.id,
            reference=row.reference,
            booking_id=row.booking_id,
            trip_key=row.trip_key,
            principal=row.principal_code,
            service=row.service,
            carrier=row.carrier_name,
            vehicle_type=row.vehicle_type,
            day=row.day,
            occurred_at=row.occurred_at,
            kind=row.kind,
            severity=row.severity,
            description=shown_text(row.description, hidden=hidden) or "",
            reported_by=shown(row.reported_by, names),
            reporter_role=row.reporter_role,
            reported_at=row.reported_at,
            status=row.status,
            carrier_due_at=row.carrier_due_at,
            carrier_answer=shown_text(row.carrier_answer, hidden=hidden),
            carrier_answered_at=row.carrier_answered_at,
            outcome=row.outcome,
            penalty_ore=row.penalty_ore,
            principal_alerted_at=row.principal_alerted_at,
            closed_at=row.closed_at,
            events=[
                DeviationEventPublic(
                    at=e.at,
                    actor=shown(e.actor, names),
                    actor_role=e.actor_role,
                    action=e.action,
                    from_status=e.from_status,
                    to_status=e.to_status,
                    note=shown_text(e.note, hidden=hidden),
                )
                for e in row.events
            ],
        )
        for row in rows
    ]


def consignments(session: Session, traveller_id: int) -> list[Consignment]:
    """The goods of which the person is the recipient (an aid to or from their home)."""
    return list(
        session.scalars(
            select(Consignment)
            .where(Consignment.recipient_traveller_id == traveller_id)
            .order_by(Consignment.service_date, Consignment.id)
        )
    )


def consignments_extract(
    rows: Sequence[Consignment], traveller: Traveller, actor: Actor
) -> list[ConsignmentExtract]:
    """Masked as the goods pages mask them (`goods.views`): a protected home is hidden."""
    people = {traveller.id: traveller}
    return [
        ConsignmentExtract(
            **consignment_public(row, actor, people).model_dump(),
            created_by=row.created_by,
            updated_at=row.updated_at,
        )
        for row in rows
    ]


def messages(session: Session, traveller_id: int, *, visible: bool) -> list[MessageExtract]:
    """The SMS to the person. A secret's text (a login code) is never shown, also while
    it waits to be sent: only what the outbox keeps of it once sent (`notify.SECRETS`)."""
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.traveller_id == traveller_id)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return [
        MessageExtract(
            id=row.id,
            created_at=row.created_at,
            kind=row.kind,
            channel=row.channel,
            booking_id=row.booking_id,
            recipient=row.recipient if visible else None,
            text=SECRETS[row.kind].kept_text if row.kind in SECRETS else row.text,
            status=row.status,
            attempts=row.attempts,
            sent_at=row.sent_at,
        )
        for row in rows
    ]


def stop_reports(
    session: Session,
    bookings: Sequence[Booking],
    consignment_ids: Sequence[int],
    *,
    visible: bool,
) -> list[StopReportExtract]:
    """The drivers' reports at the person's stops; the vehicle's trail of `position`
    reports between stops names no traveller and is not part of it."""
    leg_seq = {leg.id: leg.seq for booking in bookings for leg in booking.legs}
    rows = session.scalars(
        select(StopEvent)
        .where(
            StopEvent.kind.in_(STOP_REPORTS),
            or_(
                StopEvent.booking_id.in_([b.id for b in bookings]),
                StopEvent.consignment_id.in_(consignment_ids),
            ),
        )
        .order_by(StopEvent.at_vehicle, StopEvent.id)
    )
    return [
        StopReportExtract(
            id=row.id,
            kind=row.kind,
            service_date=row.service_date,
            booking_id=row.booking_id,
            leg_seq=None if row.leg_id is None else leg_seq.get(row.leg_id),
            consignment_id=row.consignment_id,
            stop_kind=row.stop_kind,
            at=row.at_vehicle,
            received_at=row.received_at,
            vehicle_id=row.vehicle_id,
            reported_by=row.username,
            lat=row.lat if visible else None,
            lon=row.lon if visible else None,
        )
        for row in rows
    ]


def planned_stops(
    session: Session, booking_ids: Sequence[int], consignment_ids: Sequence[int]
) -> list[PlannedStopExtract]:
    """Every stored plan's stops of the person's trips and aids (a re-planned day keeps
    its earlier versions); times stay, as on the day's plan (docs/security.md)."""
    rows = session.execute(
        select(Stop, PlanRun, Vehicle.code)
        .join(Run, Run.id == Stop.run_id)
        .join(PlanRun, PlanRun.id == Run.plan_run_id)
        .join(Vehicle, Vehicle.id == Run.vehicle_id)
        .where(or_(Stop.booking_id.in_(booking_ids), Stop.consignment_id.in_(consignment_ids)))
        .order_by(PlanRun.service_date, PlanRun.version, Stop.planned_at, Stop.id)
    )
    return [
        PlannedStopExtract(
            service_date=plan.service_date,
            plan_version=plan.version,
            plan_kind=plan.kind,
            vehicle=vehicle,
            booking_id=stop.booking_id,
            leg_seq=stop.leg_seq,
            consignment_id=stop.consignment_id,
            kind=stop.kind,
            planned_at=stop.planned_at,
            promised_from=stop.promised_from,
            promised_until=stop.promised_until,
        )
        for stop, plan, vehicle in rows
    ]


def no_show_charges(session: Session, traveller_id: int) -> list[NoShowChargeExtract]:
    rows = session.scalars(
        select(NoShowCharge)
        .where(NoShowCharge.traveller_id == traveller_id)
        .order_by(NoShowCharge.recorded_at, NoShowCharge.id)
    )
    return [
        NoShowChargeExtract(
            booking_id=row.booking_id,
            leg_seq=row.leg_seq,
            principal=row.principal_code,
            fee_ore=row.fee_ore,
            rule_source=row.rule_source,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
        )
        for row in rows
    ]


def fees(session: Session, traveller_id: int) -> list[FeeExtract]:
    rows = session.scalars(
        select(FeeLedgerEntry)
        .where(FeeLedgerEntry.traveller_id == traveller_id)
        .order_by(FeeLedgerEntry.trip_date, FeeLedgerEntry.booking_id, FeeLedgerEntry.leg_index)
    )
    return [
        FeeExtract(
            booking_id=row.booking_id,
            leg_index=row.leg_index,
            principal=row.principal_code,
            trip_date=row.trip_date,
            mode=row.mode,
            list_fee_ore=row.list_fee_ore,
            paid_ore=row.paid_ore,
            counts_toward_ceiling=row.counts_toward_ceiling,
            recorded_at=row.recorded_at,
            recorded_by=row.recorded_by,
        )
        for row in rows
    ]


def settled_trips(
    session: Session, booking_ids: Sequence[int], *, visible: bool
) -> list[SettledTripExtract]:
    rows = session.scalars(
        select(SettledTrip)
        .where(SettledTrip.booking_id.in_(booking_ids))
        .order_by(SettledTrip.day, SettledTrip.pickup_at, SettledTrip.id)
    )
    return [
        SettledTripExtract(
            trip_key=row.trip_key,
            booking_id=row.booking_id,
            leg_seq=row.leg_seq,
            principal=row.principal_code,
            service=row.service,
            day=row.day,
            carrier=row.carrier,
            pickup_at=row.pickup_at,
            promised_pickup=row.promised_pickup,
            actual_pickup=row.actual_pickup,
            passengers=row.passengers,
            run_passengers=row.run_passengers,
            direct_m=row.direct_m if visible else None,
            standalone_ore=row.standalone_ore if visible else None,
            allocated_ore=row.allocated_ore if visible else None,
            fee_ore=row.fee_ore,
            stretcher=row.stretcher,
            dialysis=row.dialysis,
            wheelchair=row.wheelchair,
            deviations=row.deviations,
            cost_centre=row.cost_centre,
            cost_object=row.cost_object,
        )
        for row in rows
    ]


def alerts(session: Session, booking_ids: Sequence[int]) -> list[AlertExtract]:
    rows = session.scalars(
        select(ControllerAlert)
        .where(ControllerAlert.booking_id.in_(booking_ids))
        .order_by(ControllerAlert.created_at, ControllerAlert.id)
    )
    return [
        AlertExtract(
            booking_id=row.booking_id,
            kind=row.kind,
            service_date=row.service_date,
            message=row.message,
            created_at=row.created_at,
            acknowledged_at=row.acknowledged_at,
            acknowledged_by=row.acknowledged_by,
        )
        for row in rows
    ]


def registrations(session: Session, traveller_id: int) -> list[RegistrationExtract]:
    rows = session.scalars(
        select(TravellerRegistration)
        .where(TravellerRegistration.traveller_id == traveller_id)
        .order_by(TravellerRegistration.registered_at, TravellerRegistration.id)
    )
    return [
        RegistrationExtract(
            principal=row.principal_code,
            registered_at=row.registered_at,
            registered_by=row.registered_by,
        )
        for row in rows
    ]


def accounts(session: Session, traveller_id: int, hidden: frozenset[str]) -> list[AccountExtract]:
    rows = session.scalars(select(User).where(User.traveller_id == traveller_id).order_by(User.id))
    return [
        AccountExtract(
            username=shown(row.username, hidden),
            role=row.role,
            active=row.active,
            created_at=row.created_at,
        )
        for row in rows
    ]
