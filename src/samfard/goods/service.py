"""Use cases of goods: book, cancel, read and list consignments by day.

Each runs in one transaction. Who may do what follows the bookings' rule: an account
acts for the principals it is scoped to (default deny), and only staff who hold the goods
permissions (the desk) book goods at all. An aid that names its recipient is personal
data of that person: the recipient must be in the actor's register, and every read and
write of such a consignment is audited with the recipient as the person read about.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from samfard import events
from samfard.access import audit
from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.access.register import require_in_register
from samfard.booking.horizon import DEFAULT_HORIZON_DAYS
from samfard.booking.legs import measures_home, resolve_ends, same_place
from samfard.db import transaction
from samfard.errors import Conflict, InputError, InvalidTransition, NotFound
from samfard.goods.models import Consignment, GoodsIdempotencyKey
from samfard.goods.price_store import load_price_lists
from samfard.goods.prices import GoodsKind, find_price_list
from samfard.goods.schemas import ConsignmentCreate, ConsignmentStatus
from samfard.principals.models import PrincipalKind
from samfard.principals.service import get_principal
from samfard.schemas_common import request_hash
from samfard.timeutil import STOCKHOLM
from samfard.travellers.service import load_traveller

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud on the phone
ORDERING_KINDS = {PrincipalKind.REGION.value, PrincipalKind.MUNICIPALITY.value}
CANCELLABLE = {ConsignmentStatus.BOOKED.value, ConsignmentStatus.PLANNED.value}
RECORD_TYPE = "consignment"


def new_reference() -> str:
    return "GD-" + "".join(secrets.choice(ALPHABET) for _ in range(8))


def _audit(
    session: Session, actor: Actor, row: Consignment, *, action: str, purpose: str, at: datetime
) -> None:
    if row.recipient_traveller_id is None:
        return
    audit.record(
        session,
        actor,
        traveller_id=row.recipient_traveller_id,
        record_type=RECORD_TYPE,
        record_id=row.id,
        action=action,
        purpose=purpose,
        at=at,
    )


def _check_horizon(day: date, now: datetime) -> None:
    """Goods are booked as far ahead as a trip whose rulebook names no horizon: they were
    taken for 2030 (walk-through of the seventh session of 2026-12-06)."""
    last = now.astimezone(STOCKHOLM).date() + timedelta(days=DEFAULT_HORIZON_DAYS)
    if day > last:
        raise InputError(
            f"goods are booked at most {DEFAULT_HORIZON_DAYS} days ahead, up to {last}: "
            f"{day} is too far ahead; book it later",
            field="pickup_from",
        )


def check_consistent(data: ConsignmentCreate) -> None:
    """The checks across fields of a booking of goods, each naming the field to fix."""
    if data.pickup_until < data.pickup_from:
        raise InputError(
            "pickup_until is before pickup_from: the pickup window is empty", field="pickup_until"
        )
    if data.dropoff_until < data.dropoff_from:
        raise InputError(
            "dropoff_until is before dropoff_from: the drop-off window is empty",
            field="dropoff_until",
        )
    if data.dropoff_until <= data.pickup_from:
        raise InputError(
            "the drop-off window ends when or before the pickup window opens: dropoff_until "
            "must be after pickup_from",
            field="dropoff_until",
        )
    if data.pickup_until > data.dropoff_until:
        # A pickup window open past the drop-off's (to 2199) was booked and planned (the
        # probe of the seventh session of 2026-12-06).
        raise InputError(
            "pickup_until is after dropoff_until: the goods are picked up before they can be "
            "left, so the pickup window must end by the end of the drop-off window",
            field="pickup_until",
        )
    if data.recipient_traveller_id is not None and data.kind is not GoodsKind.AID:
        raise InputError(
            "only an aid has a recipient; leave recipient_traveller_id out",
            field="recipient_traveller_id",
        )
    if (data.pickup.home or data.dropoff.home) and data.recipient_traveller_id is None:
        raise InputError(
            "home means the recipient's home: give recipient_traveller_id",
            field="recipient_traveller_id",
        )


def create_consignment(
    *,
    session: Session,
    data: ConsignmentCreate,
    actor: Actor,
    now: datetime,
    idempotency_key: str | None = None,
) -> tuple[Consignment, bool]:
    """Book a consignment at the ordering principal's contract price of the day, in one
    transaction; returns (consignment, replayed).

    With an Idempotency-Key, a repeat of the same request by the same user returns the
    first consignment as it now stands and creates nothing; the same key with another
    body is a conflict. Keys are per user: another user's same key is their own.
    `ConsignmentBooked` is published in the transaction, so a day already planned takes
    the goods into its plan at once (dispatch.handlers).
    """
    actor.require(P.GOODS_WRITE)
    digest = request_hash(data)
    if idempotency_key is not None:
        replay = _replay(session, actor=actor, key=idempotency_key, digest=digest, now=now)
        if replay is not None:
            return replay, True
    check_consistent(data)
    _check_horizon(data.pickup_from.astimezone(STOCKHOLM).date(), now)
    try:
        with transaction(session):
            row = _store(session, data, actor=actor, now=now)
            if idempotency_key is not None:
                session.add(
                    GoodsIdempotencyKey(
                        key=idempotency_key,
                        username=actor.username,
                        request_hash=digest,
                        consignment_id=row.id,
                        created_at=now,
                    )
                )
                session.flush()
            events.publish(
                session, events.ConsignmentBooked(actor=actor, at=now, consignment_id=row.id)
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: answer with its consignment.
        if idempotency_key is None:
            raise
        replay = _replay(session, actor=actor, key=idempotency_key, digest=digest, now=now)
        if replay is None:
            raise
        return replay, True
    # Read back as stored (times in UTC), so the first answer is the one a retry gets.
    session.refresh(row)
    return row, False


def _replay(
    session: Session, *, actor: Actor, key: str, digest: str, now: datetime
) -> Consignment | None:
    """The consignment a first request with this user's `key` booked (read again, so
    audited), or None when the key is new; a conflict when the body differs."""
    with transaction(session):
        stored = session.scalar(
            select(GoodsIdempotencyKey).where(
                GoodsIdempotencyKey.key == key, GoodsIdempotencyKey.username == actor.username
            )
        )
        if stored is None:
            return None
        if stored.request_hash != digest:
            raise Conflict(
                "this Idempotency-Key was already used for a different goods booking; "
                "send the same body to retry, or use a new key for new goods",
                field="Idempotency-Key",
            )
        row = _scoped(session, stored.consignment_id, actor)
        _audit(session, actor, row, action="read", purpose="retried goods booking", at=now)
        return row


def _store(
    session: Session, data: ConsignmentCreate, *, actor: Actor, now: datetime
) -> Consignment:
    """The consignment row, checked and priced, flushed (the caller's transaction)."""
    principal = get_principal(session=session, code=data.principal)
    if principal.kind not in ORDERING_KINDS:
        raise InputError(
            f"{principal.name} ({principal.code}) is not a region or a municipality; "
            "only they order goods with the centre's vehicles",
            field="principal",
        )
    actor.require_principal(principal.code)
    recipient = None
    if data.recipient_traveller_id is not None:
        field = "recipient_traveller_id"
        require_in_register(session, actor, data.recipient_traveller_id, field=field)
        recipient = load_traveller(
            session=session, traveller_id=data.recipient_traveller_id, field=field
        )
    if data.pickup_until <= now:
        raise InputError(
            f"the pickup window closes at {data.pickup_until.isoformat()}, which has "
            "passed; book goods before their pickup",
            field="pickup_until",
        )
    service_date = data.pickup_from.astimezone(STOCKHOLM).date()
    if data.dropoff_until.astimezone(STOCKHOLM).date() != service_date:
        raise InputError(
            "pickup and drop-off must be on the same service day (the vehicles' shifts "
            "end at night); split the consignment over two days",
            field="dropoff_until",
        )
    price_list = find_price_list(
        load_price_lists(session), principal=principal.code, day=service_date
    )
    pickup, dropoff = resolve_ends(
        session, data.pickup, data.dropoff, recipient, fields=("pickup", "dropoff")
    )
    protected_home = recipient is not None and recipient.protected_identity
    # As for a trip (booking.legs.check_leg): a refusal measuring a protected home against
    # a place the caller typed would confirm a guess of where it is.
    silent = protected_home and measures_home(pickup, dropoff)
    if not silent and same_place(pickup, dropoff):
        raise InputError("pickup and drop-off are the same place", field="dropoff")
    row = Consignment(
        reference=new_reference(),
        principal_code=principal.code,
        kind=data.kind.value,
        units=data.units,
        description=data.description,
        recipient_traveller_id=data.recipient_traveller_id,
        status=ConsignmentStatus.BOOKED.value,
        service_date=service_date,
        pickup_place_id=pickup.place_id,
        pickup_address=pickup.address,
        pickup_lat=pickup.lat,
        pickup_lon=pickup.lon,
        pickup_from=data.pickup_from,
        pickup_until=data.pickup_until,
        dropoff_place_id=dropoff.place_id,
        dropoff_address=dropoff.address,
        dropoff_lat=dropoff.lat,
        dropoff_lon=dropoff.lon,
        dropoff_from=data.dropoff_from,
        dropoff_until=data.dropoff_until,
        price_list_code=price_list.code,
        price_ore=price_list.price(GoodsKind(data.kind), data.units),
        cancel_reason=None,
        created_by=actor.username,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    _audit(session, actor, row, action="create", purpose="book goods", at=now)
    return row


def _scoped(session: Session, consignment_id: int, actor: Actor) -> Consignment:
    """The consignment if it exists within the actor's principals; otherwise the same
    NotFound, so ids cannot be probed across principals."""
    row = session.get(Consignment, consignment_id)
    if row is None or not actor.covers_principal(row.principal_code):
        raise NotFound(f"no consignment with id {consignment_id}", field="consignment_id")
    return row


def get_consignment(
    *, session: Session, consignment_id: int, actor: Actor, now: datetime
) -> Consignment:
    actor.require(P.GOODS_READ)
    with transaction(session):
        row = _scoped(session, consignment_id, actor)
        _audit(session, actor, row, action="read", purpose="goods", at=now)
        return row


def cancel_consignment(
    *, session: Session, consignment_id: int, reason: str, actor: Actor, now: datetime
) -> Consignment:
    """Cancel goods not yet picked up; `ConsignmentCancelled` is published in the
    transaction, so their stops leave the day's newest plan at once (dispatch.handlers)."""
    actor.require(P.GOODS_WRITE)
    with transaction(session):
        row = _scoped(session, consignment_id, actor)
        if row.status not in CANCELLABLE:
            raise InvalidTransition(
                f"consignment {row.reference} is {row.status}; only booked or planned goods "
                "can be cancelled",
                field="status",
            )
        row.status = ConsignmentStatus.CANCELLED.value
        row.cancel_reason = reason
        row.updated_at = now
        session.flush()
        _audit(session, actor, row, action="cancel", purpose="cancel goods", at=now)
        events.publish(
            session, events.ConsignmentCancelled(actor=actor, at=now, consignment_id=row.id)
        )
        return row


def list_consignments(
    *,
    session: Session,
    day: date,
    actor: Actor,
    now: datetime,
    principal: str | None = None,
    status: ConsignmentStatus | None = None,
) -> list[Consignment]:
    """The consignments of `day` within the actor's principals, in pickup order."""
    actor.require(P.GOODS_READ)
    statement = select(Consignment).where(Consignment.service_date == day)
    if principal is not None:
        actor.require_principal(principal)
        statement = statement.where(Consignment.principal_code == principal)
    elif not actor.owns_everything:
        statement = statement.where(Consignment.principal_code.in_(sorted(actor.principal_codes)))
    if status is not None:
        statement = statement.where(Consignment.status == status.value)
    with transaction(session):
        rows = list(session.scalars(statement.order_by(Consignment.pickup_from, Consignment.id)))
        audit.record_reads(
            session,
            actor,
            ((r.recipient_traveller_id, r.id) for r in rows if r.recipient_traveller_id),
            record_type=RECORD_TYPE,
            action="read",
            purpose="goods of the day",
            at=now,
        )
        return rows
