"""The assessor's queue as list rows: reference, traveller (masked when protected),
service and day, whether the trip was changed (after an approval, or while it waited) and
the series it belongs to, read with one query each for the travellers, the approvals and
the series instead of a full booking view per row (a busy day has hundreds of cases
waiting). The cases of a series stand together, from where its first one waits: a
walk-through found a dialysis series as 5-6 cases apart, none saying it was one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking, BookingEvent
from samfard.dates_sv import span_sv
from samfard.travellers.models import Traveller
from samfard.travellers.views import display_name

CHANGED_AFTER_APPROVAL = "Ändrad efter beviljande"
CHANGED_WHILE_WAITING = "Ändrad"


@dataclass(frozen=True)
class QueueRow:
    id: int
    reference: str
    traveller_name: str
    service: str
    service_date: date
    changed: str | None = None  # how the row marks a changed trip; None when not changed
    series: str | None = None  # "Del av serie: 6 resor 7–18 december"; None for a single trip


def _approved_before(session: Session, bookings: Sequence[Booking]) -> set[int]:
    """The bookings among `bookings` that were approved once (their events say so)."""
    ids = [b.id for b in bookings if (b.decision or {}).get("changed")]
    if not ids:
        return set()
    rows = session.scalars(
        select(BookingEvent.booking_id)
        .where(BookingEvent.booking_id.in_(ids))
        .where(BookingEvent.to_status == BookingStatus.APPROVED.value)
    )
    return set(rows)


def _changed(booking: Booking, approved_before: set[int]) -> str | None:
    if not (booking.decision or {}).get("changed"):
        return None
    return CHANGED_AFTER_APPROVAL if booking.id in approved_before else CHANGED_WHILE_WAITING


def series_marks(session: Session, series_ids: set[int]) -> dict[int, str]:
    """Each series as its cases are marked: its trips not cancelled and their days."""
    if not series_ids:
        return {}
    rows = session.execute(
        select(
            Booking.series_id,
            func.count(Booking.id),
            func.min(Booking.service_date),
            func.max(Booking.service_date),
        )
        .where(Booking.series_id.in_(series_ids))
        .where(Booking.status != BookingStatus.CANCELLED.value)
        .group_by(Booking.series_id)
    )
    return {
        series: f"Del av serie: {count} {'resa' if count == 1 else 'resor'} {span_sv(first, last)}"
        for series, count, first, last in rows
        if series is not None
    }


def _together(bookings: Sequence[Booking]) -> list[Booking]:
    """The queue's order, a series' cases moved up to stand after its first one."""
    first: dict[tuple[str, int], int] = {}
    for at, b in enumerate(bookings):
        first.setdefault(_group(b), at)
    order = {b.id: at for at, b in enumerate(bookings)}
    return sorted(bookings, key=lambda b: (first[_group(b)], order[b.id]))


def _group(booking: Booking) -> tuple[str, int]:
    return ("series", booking.series_id) if booking.series_id else ("trip", booking.id)


def queue_rows(session: Session, bookings: Sequence[Booking], actor: Actor) -> list[QueueRow]:
    """Rows for bookings the queue service returned (already scoped and audited)."""
    ids = {b.traveller_id for b in bookings}
    travellers = {t.id: t for t in session.scalars(select(Traveller).where(Traveller.id.in_(ids)))}
    approved_before = _approved_before(session, bookings)
    marks = series_marks(session, {b.series_id for b in bookings if b.series_id is not None})
    return [
        QueueRow(
            id=b.id,
            reference=b.reference,
            traveller_name=display_name(travellers[b.traveller_id], actor),
            service=b.service,
            service_date=b.service_date,
            changed=_changed(b, approved_before),
            series=None if b.series_id is None else marks.get(b.series_id),
        )
        for b in _together(bookings)
    ]
