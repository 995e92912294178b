"""Routes of bookings and series under /api/v1."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from samfard.access.account_names import own_usernames
from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.booking import series as series_service
from samfard.booking import service, transitions
from samfard.booking.clashes import audit_shown, clashes
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.schemas import (
    BookingCreate,
    BookingCreated,
    BookingPublic,
    BookingUpdate,
    CancelCreate,
    EventPublic,
    OverlapPublic,
    SeriesCancel,
    SeriesCreate,
    SeriesPublic,
    TransitionCreate,
)
from samfard.booking.views import booking_public, bookings_public, events_public, series_public
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import InputError
from samfard.schemas_common import Offset, Page, QueryId, RecordId
from samfard.travellers.models import Traveller
from samfard.travellers.views import can_see_identity

router = APIRouter(tags=["bookings"])


@router.post("/bookings", status_code=201)
def create_booking(
    data: BookingCreate,
    response: Response,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_WRITE)],
    idempotency_key: Annotated[
        str | None, Header(max_length=128, description="retry safely: same key, same result")
    ] = None,
) -> BookingCreated:
    """Book a trip; the answer names the traveller's trips at the same time (`overlapping`),
    as the desk's receipt does."""
    booking, replayed = service.create_booking(
        session=session, data=data, actor=actor, now=now, idempotency_key=idempotency_key
    )
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    public = booking_public(session, booking, actor)
    shown = clashes(session, booking, actor)
    audit_shown(session, actor, shown, at=now)
    overlapping = [OverlapPublic(booking_id=c.id, reference=c.reference, starts=c.starts,
                                 ends=c.ends) for c in shown]  # fmt: skip
    return BookingCreated(**public.model_dump(), overlapping=overlapping)


@router.get("/bookings")
def list_bookings(
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
    date_: Annotated[date | None, Query(alias="date", description="one service day")] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: BookingStatus | None = None,
    principal: str | None = None,
    traveller_id: QueryId = None,
    service_: Annotated[str | None, Query(alias="service")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> Page[BookingPublic]:
    if date_ is not None and (date_from is not None or date_to is not None):
        raise InputError("give either date or date_from/date_to, not both", field="date")
    filters = service.BookingFilter(
        date_from=date_ or date_from,
        date_to=date_ or date_to,
        status=status.value if status else None,
        principal=principal,
        traveller_id=traveller_id,
        service=service_,
    )
    rows, total = service.list_bookings(
        session=session, actor=actor, now=now, filters=filters, limit=limit, offset=offset
    )
    return Page(
        items=bookings_public(session, rows, actor),
        total=total,
        limit=limit,
        offset=offset,
    )


@router.get("/bookings/{booking_id}")
def get_booking(
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
) -> BookingPublic:
    booking = service.get_booking(session=session, booking_id=booking_id, actor=actor, now=now)
    return booking_public(session, booking, actor)


@router.patch("/bookings/{booking_id}")
def update_booking(
    booking_id: RecordId,
    data: BookingUpdate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_WRITE)],
) -> BookingPublic:
    """Change the needs, companions, purpose or note to the driver of a trip not yet begun.
    A change to what the rules weigh decides the trip again: approved with new fees, back
    to an assessor, or refused with 422 and the change undone (docs/assessment.md)."""
    booking = service.update_booking(
        session=session, booking_id=booking_id, data=data, actor=actor, now=now
    )
    return booking_public(session, booking, actor)


@router.post("/bookings/{booking_id}/transitions")
def transition_booking(
    booking_id: RecordId,
    data: TransitionCreate,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.BOOKINGS_WRITE)],
) -> BookingPublic:
    booking = transitions.transition(
        session=session,
        booking_id=booking_id,
        target=data.to,
        actor=actor,
        now=now,
        reason=data.reason,
        version=data.version,
        late_notice=timedelta(minutes=settings.late_cancellation_minutes),
    )
    return booking_public(session, booking, actor)


@router.post("/bookings/{booking_id}/cancel")
def cancel_booking(
    booking_id: RecordId,
    data: CancelCreate,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.BOOKINGS_WRITE)],
) -> BookingPublic:
    """The desk's most common transition, with the reason required by its body."""
    move = TransitionCreate(to=BookingStatus.CANCELLED, reason=data.reason, version=data.version)
    return transition_booking(booking_id, move, session, now, settings, actor)


@router.get("/bookings/{booking_id}/events")
def booking_history(
    booking_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
) -> list[EventPublic]:
    events = transitions.history(session=session, booking_id=booking_id, actor=actor, now=now)
    booking = session.get(Booking, booking_id)  # read by `history`, in scope
    traveller = session.get(Traveller, booking.traveller_id) if booking else None
    visible = traveller is not None and can_see_identity(traveller, actor)
    hidden = (
        frozenset() if visible or booking is None else own_usernames(session, booking.traveller_id)
    )
    return events_public(events, visible=visible, hidden=hidden)


@router.post("/series", status_code=201)
def create_series(
    data: SeriesCreate,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_WRITE)],
) -> SeriesPublic:
    series, bookings = series_service.create_series(
        session=session, data=data, actor=actor, now=now
    )
    return series_public(series, bookings)


@router.get("/series/{series_id}")
def get_series(
    series_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
) -> SeriesPublic:
    series, bookings = series_service.get_series(
        session=session, series_id=series_id, actor=actor, now=now
    )
    return series_public(series, bookings)


@router.post("/series/{series_id}/cancel")
def cancel_series(
    series_id: RecordId,
    data: SeriesCancel,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.BOOKINGS_WRITE)],
) -> SeriesPublic:
    series, bookings = series_service.cancel_series(
        session=session,
        series_id=series_id,
        data=data,
        actor=actor,
        now=now,
        late_notice=timedelta(minutes=settings.late_cancellation_minutes),
    )
    return series_public(series, bookings)
