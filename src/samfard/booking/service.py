"""Use cases of bookings: create (with Idempotency-Key), read, list, update."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from samfard import events
from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.access.register import require_in_register
from samfard.booking.entitlement import check_actor_scope, check_permit, check_record_scope
from samfard.booking.horizon import horizon_for
from samfard.booking.legs import PlannedLeg, Retimed, plan_legs, retime
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, BookingEvent, IdempotencyKey
from samfard.booking.schemas import BookingCreate, BookingUpdate, Channel, Companion, Need
from samfard.db import transaction
from samfard.errors import Conflict, InputError, NotFound
from samfard.principals.service import get_principal, require_service
from samfard.schemas_common import request_hash
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.service import load_traveller

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud on the phone
S = TypeVar("S", bound=Select[*tuple[Any, ...]])  # any select over bookings
# What the rules weigh in a booking that a change may touch (BookingUpdate's fields); a
# leg's new time is weighed too (night hours, fees, the bus by time), published by the
# request's field that gave it (`legs[0].pickup_at`).
ASSESSED_FIELDS = ("needs", "companions", "purpose")
CHANGEABLE = frozenset(
    {
        BookingStatus.REQUESTED,
        BookingStatus.APPROVED,
        BookingStatus.SCHEDULED,
        BookingStatus.ASSIGNED,
    }
)


def new_reference() -> str:
    return "SF-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


@dataclass(frozen=True)
class BookingDraft:
    """Everything needed to store one booking; series expansion builds many of these."""

    traveller: Traveller
    principal_code: str
    service: str
    legs: list[PlannedLeg]
    companions: list[Companion]
    needs: list[Need]
    purpose: str | None
    message_to_driver: str | None
    channel: str
    series_id: int | None = None
    mode: str | None = None  # asked for; the assessment sets the mode that stands


def prepare(
    session: Session,
    *,
    traveller_id: int,
    principal_code: str,
    service: str,
    actor: Actor,
    field_prefix: str = "",
) -> Traveller:
    """Checks common to a single booking and a series: principal, service, scope, and the
    traveller in the actor's register (found or registered first)."""
    principal = get_principal(
        session=session, code=principal_code, field=field_prefix + "principal"
    )
    require_service(principal, service, field=field_prefix + "service")
    check_actor_scope(
        actor, principal_code=principal.code, traveller_id=traveller_id, service=service
    )
    traveller = load_traveller(session=session, traveller_id=traveller_id)
    require_in_register(session, actor, traveller.id, field=field_prefix + "traveller_id")
    return traveller


# The channels only one kind of login books through: what the centre's staff may not name.
OWN_CHANNELS = {
    Channel.SELF_SERVICE.value: "the traveller's own booking (Mina resor or their own login)",
    Channel.CARE.value: "a care unit's own booking, made by its staff's login, which stores "
    "the unit; a call from a care unit is booked as phone",
}


def channel_of(actor: Actor, asked: str) -> str:
    """Care staff book through the care channel (vårdenhetens bokning) and travellers
    through self-service (Mina resor, or the API with their own login) whatever the request
    says, so the follow-up per unit and per channel counts each where it came in. Staff
    naming either made that share theirs to write (the probe of 2026-12-06), and a care
    booking without the unit that made it counted for no unit."""
    if actor.role is Role.CARE_ISSUER:
        return Channel.CARE.value
    if actor.role is Role.TRAVELLER:
        return Channel.SELF_SERVICE.value
    if asked in OWN_CHANNELS:
        raise InputError(
            f"channel {asked} is {OWN_CHANNELS[asked]}; staff book with phone, operator or api",
            field="channel",
        )
    return asked


def store_draft(session: Session, draft: BookingDraft, *, actor: Actor, now: datetime) -> Booking:
    """Add a booking with its legs and first event to the session and assess it (the
    caller commits)."""
    first = min(leg.anchor for leg in draft.legs)
    service_date = first.astimezone(STOCKHOLM).date()
    check_permit(
        draft.traveller,
        service=draft.service,
        principal_code=draft.principal_code,
        day=service_date,
    )
    booking = Booking(
        reference=new_reference(),
        traveller_id=draft.traveller.id,
        principal_code=draft.principal_code,
        service=draft.service,
        status=BookingStatus.REQUESTED.value,
        channel=channel_of(actor, draft.channel),
        purpose=draft.purpose,
        service_date=service_date,
        companions=[c.model_dump(mode="json") for c in draft.companions],
        needs=[n.value for n in draft.needs],
        message_to_driver=draft.message_to_driver,
        series_id=draft.series_id,
        mode=draft.mode,
        care_unit=actor.care_unit if actor.role is Role.CARE_ISSUER else None,
        late_cancellation=False,
        created_by=actor.username,
        created_at=now,
        updated_at=now,
    )
    booking.legs = [leg.to_row(seq) for seq, leg in enumerate(draft.legs)]
    booking.events = [
        BookingEvent(
            seq=0,
            from_status=None,
            to_status=BookingStatus.REQUESTED.value,
            at=now,
            actor=actor.username,
            reason=f"booked via {channel_of(actor, draft.channel)}",
            late=False,
        )
    ]
    session.add(booking)
    session.flush()
    audit.record_booking(session, actor, booking, action="create", purpose="book trip", at=now)
    # The assessment (a later step of the spine) decides it in this transaction.
    events.publish(session, events.BookingCreated(actor=actor, at=now, booking_id=booking.id))
    return booking


def create_booking(
    *,
    session: Session,
    data: BookingCreate,
    actor: Actor,
    now: datetime,
    idempotency_key: str | None = None,
) -> tuple[Booking, bool]:
    """Store a new booking in one transaction; returns (booking, replayed).

    With an Idempotency-Key, a repeat of the same request returns the first booking and
    creates nothing; the same key with a different request is a conflict.
    """
    digest = request_hash(data)
    if idempotency_key is not None:
        replay = _replay(session, actor=actor, key=idempotency_key, digest=digest)
        if replay is not None:
            return replay, True
    try:
        with transaction(session):
            traveller = prepare(
                session,
                traveller_id=data.traveller_id,
                principal_code=data.principal,
                service=data.service,
                actor=actor,
            )
            legs = plan_legs(session, data.legs, traveller, now=now)
            today = now.astimezone(STOCKHOLM).date()
            horizon = horizon_for(data.principal, data.service, today=today)
            for index, leg in enumerate(legs):
                day = leg.anchor.astimezone(STOCKHOLM).date()
                horizon.check(day, today=today, field=f"legs[{index}]")
            draft = BookingDraft(
                traveller=traveller,
                principal_code=data.principal,
                service=data.service,
                legs=legs,
                companions=data.companions,
                needs=data.needs,
                purpose=data.purpose,
                message_to_driver=data.message_to_driver,
                channel=data.channel.value,
                mode=None if data.mode is None else data.mode.value,
            )
            booking = store_draft(session, draft, actor=actor, now=now)
            if idempotency_key is not None:
                session.add(
                    IdempotencyKey(
                        key=idempotency_key,
                        username=actor.username,
                        request_hash=digest,
                        booking_id=booking.id,
                        created_at=now,
                    )
                )
                session.flush()
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its booking.
        if idempotency_key is None:
            raise
        replay = _replay(session, actor=actor, key=idempotency_key, digest=digest)
        if replay is None:
            raise
        return replay, True
    return booking, False


def _replay(session: Session, *, actor: Actor, key: str, digest: str) -> Booking | None:
    stored = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.key == key, IdempotencyKey.username == actor.username
        )
    )
    if stored is None:
        return None
    if stored.request_hash != digest:
        raise Conflict(
            "this Idempotency-Key was already used for a different booking request; "
            "use a new key for a new booking",
            field="Idempotency-Key",
        )
    return load_booking(session=session, booking_id=stored.booking_id)


def load_booking(*, session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id, options=[selectinload(Booking.legs)])
    if booking is None:
        raise NotFound(f"no booking with id {booking_id}", field="booking_id")
    return booking


def get_booking(*, session: Session, booking_id: int, actor: Actor, now: datetime) -> Booking:
    with transaction(session):
        booking = load_booking(session=session, booking_id=booking_id)
        check_record_scope(actor, booking)
        audit.record_booking(session, actor, booking, action="read", purpose="booking card", at=now)
    return booking


@dataclass(frozen=True)
class BookingFilter:
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None
    principal: str | None = None
    traveller_id: int | None = None
    service: str | None = None


def scoped(statement: S, actor: Actor) -> S:
    """`statement` (over the booking table) limited to the bookings `actor` may read: a
    traveller their own, an account scoped to principals theirs, care staff their unit's
    sjukresor."""
    if actor.role is Role.TRAVELLER:
        return statement.where(Booking.traveller_id == (actor.traveller_id or -1))
    if "*" not in actor.principal_codes:
        statement = statement.where(Booking.principal_code.in_(sorted(actor.principal_codes)))
    if actor.role is Role.CARE_ISSUER:
        statement = statement.where(
            Booking.service == "sjukresa", Booking.care_unit == (actor.care_unit or "")
        )
    return statement


def list_bookings(
    *,
    session: Session,
    actor: Actor,
    now: datetime,
    filters: BookingFilter,
    limit: int,
    offset: int,
) -> tuple[list[Booking], int]:
    """The actor's bookings matching `filters`, each audited as read."""
    statement = scoped(select(Booking), actor)
    if filters.date_from is not None:
        statement = statement.where(Booking.service_date >= filters.date_from)
    if filters.date_to is not None:
        statement = statement.where(Booking.service_date <= filters.date_to)
    for column, value in (
        (Booking.status, filters.status),
        (Booking.principal_code, filters.principal),
        (Booking.traveller_id, filters.traveller_id),
        (Booking.service, filters.service),
    ):
        if value is not None:
            statement = statement.where(column == value)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    with transaction(session):
        rows = list(
            session.scalars(
                statement.options(selectinload(Booking.legs))
                .order_by(Booking.service_date, Booking.id)
                .limit(limit)
                .offset(offset)
            )
        )
        audit.record_bookings(session, actor, rows, action="list", purpose="booking list", at=now)
    return rows, total


def update_booking(
    *, session: Session, booking_id: int, data: BookingUpdate, actor: Actor, now: datetime
) -> Booking:
    """Change what the API lets change on a trip not yet travelled.

    A change to what the rules weigh (needs, companions, purpose, a leg's time) is published
    in the same transaction: the assessment decides the trip again (a refusal undoes the
    change) and a planned day places it again, so no approval, fee or vehicle stands for a
    trip as it was. A new time is checked as on creation, on the day the leg travels, and
    recorded in the booking's history and the audit trail (what time to what time).
    """
    with transaction(session):
        booking = load_booking(session=session, booking_id=booking_id)
        check_record_scope(actor, booking)
        check_version(booking, data.version)
        _check_changeable(booking)
        retimed = _retimed(session, booking, data, now=now)
        before = _assessed(booking)
        if data.companions is not None:
            booking.companions = [c.model_dump(mode="json") for c in data.companions]
        if data.needs is not None:
            booking.needs = [n.value for n in data.needs]
        if "purpose" in data.model_fields_set:
            booking.purpose = data.purpose
        if "message_to_driver" in data.model_fields_set:
            booking.message_to_driver = data.message_to_driver
        said = _apply_times(booking, retimed)
        booking.updated_at = now
        if said:
            booking.events.append(
                BookingEvent(
                    seq=len(booking.events),
                    from_status=booking.status,
                    to_status=booking.status,
                    at=now,
                    actor=actor.username,
                    reason=f"time changed: {said}",
                    late=False,
                )
            )
        audit.record_booking(
            session,
            actor,
            booking,
            action="update",
            purpose=f"change booking: time {said}" if said else "change booking",
            at=now,
        )
        after = _assessed(booking)
        changed = tuple(name for name in ASSESSED_FIELDS if before[name] != after[name])
        changed += tuple(r.field for r in retimed)
        if changed:
            session.flush()  # handlers look the booking up by id
            events.publish(
                session,
                events.BookingChanged(
                    actor=actor,
                    at=now,
                    booking_id=booking.id,
                    fields=changed,
                    status=booking.status,
                ),
            )
    return booking


def _retimed(
    session: Session, booking: Booking, data: BookingUpdate, *, now: datetime
) -> list[Retimed]:
    """The legs whose time the change moves, checked as on creation (the legs' own checks
    and the horizon); a time sent as it stands is no change."""
    if not data.legs:
        return []
    traveller = session.get(Traveller, booking.traveller_id)
    assert traveller is not None, "bookings reference a stored traveller"
    asked = retime(booking.legs, data.legs, traveller, now=now)
    today = now.astimezone(STOCKHOLM).date()
    horizon = horizon_for(booking.principal_code, booking.service, today=today)
    legs = {leg.seq: leg for leg in booking.legs}
    moved = []
    for new in asked:
        leg = legs[new.seq]
        if (new.pickup_at, new.appointment_at) == (leg.requested_pickup_at, leg.appointment_at):
            continue
        anchor = new.pickup_at or new.appointment_at
        assert anchor is not None
        horizon.check(anchor.astimezone(STOCKHOLM).date(), today=today, field=new.field)
        moved.append(new)
    return moved


def _apply_times(booking: Booking, retimed: list[Retimed]) -> str:
    """Set the legs' new times; a promise made for the old time no longer stands (a planned
    day promises the new one). Says what changed: "leg 0 pickup 08:00 -> 09:00"."""
    legs = {leg.seq: leg for leg in booking.legs}
    said = []
    for new in retimed:
        leg = legs[new.seq]
        was = _timed(leg.requested_pickup_at, leg.appointment_at)
        leg.requested_pickup_at, leg.appointment_at = new.pickup_at, new.appointment_at
        leg.promised_pickup_from = leg.promised_pickup_until = None
        said.append(f"leg {leg.seq} {was} -> {_timed(new.pickup_at, new.appointment_at)}")
    return "; ".join(said)


def _timed(pickup: datetime | None, appointment: datetime | None) -> str:
    parts = [
        f"{word} {moment.astimezone(STOCKHOLM):%Y-%m-%d %H:%M}"
        for word, moment in (("pickup", pickup), ("appointment", appointment))
        if moment is not None
    ]
    return " and ".join(parts)


def _check_changeable(booking: Booking) -> None:
    status = BookingStatus(booking.status)
    if status in CHANGEABLE:
        return
    if status is BookingStatus.DENIED:
        refused = Conflict(
            f"booking {booking.reference} was denied; an assessor reconsiders it as it was "
            "asked for, or make a new booking with the change",
            field="status",
        )
        refused.detail_sv = (
            f"Resan {booking.reference} är avslagen och ändras inte: en handläggare kan "
            "ompröva den som den söktes, eller boka en ny resa med ändringen."
        )
        raise refused
    refused = Conflict(
        f"booking {booking.reference} is {status}; only a trip not yet begun (requested, "
        "approved, scheduled or assigned) can be changed",
        field="status",
    )
    refused.detail_sv = (
        f"Resan {booking.reference} har redan börjat, är utförd eller avbeställd och kan "
        "inte ändras."
    )
    raise refused


def _assessed(booking: Booking) -> dict[str, object]:
    return {
        "needs": sorted(booking.needs),
        "companions": list(booking.companions),
        "purpose": booking.purpose,
    }


def check_version(booking: Booking, version: int | None) -> None:
    """The version the caller read is the booking's; where it is not and the booking
    was cancelled meanwhile, that is said: "changed, redo it" sent the desk to redo a
    change on a trip gone from the card (walk-through of the seventh session of
    2026-12-06)."""
    if version is not None and version != booking.version:
        if booking.status == BookingStatus.CANCELLED.value:
            raise Conflict(
                f"booking {booking.reference} was cancelled by someone else (version "
                f"{booking.version}, you sent {version}); it can no longer be changed",
                field="version",
            )
        raise Conflict(
            f"booking {booking.reference} was changed by someone else (version "
            f"{booking.version}, you sent {version}); reload it and try again",
            field="version",
        )


def first_pickup(booking: Booking) -> datetime:
    return min(leg.reference_time for leg in booking.legs)
