"""Writing the audit trail: called inside the transaction of the read or write it describes,
so a rolled-back change leaves no entry and a committed one always has its entry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Protocol, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.models import PURPOSE_MOST, AuditEntry


def record(
    session: Session,
    actor: Actor,
    *,
    traveller_id: int | None,
    record_type: str,
    record_id: object,
    action: str,
    purpose: str,
    at: datetime | None = None,
) -> None:
    session.add(
        AuditEntry(
            at=at or datetime.now(UTC),
            user_id=actor.user_id,
            username=actor.username,
            traveller_id=traveller_id,
            record_type=record_type,
            record_id=None if record_id is None else str(record_id),
            action=action,
            purpose=purpose if len(purpose) <= PURPOSE_MOST else purpose[: PURPOSE_MOST - 1] + "…",
            request_id=actor.request_id,
        )
    )


class TravellersRecord(Protocol):
    """A record about one traveller, such as a booking."""

    id: int
    traveller_id: int


def record_booking(
    session: Session,
    actor: Actor,
    booking: TravellersRecord,
    *,
    action: str,
    purpose: str,
    at: datetime | None = None,
) -> None:
    """Audit a read or write of a booking, which is personal data of its traveller."""
    record(
        session,
        actor,
        traveller_id=booking.traveller_id,
        record_type="booking",
        record_id=booking.id,
        action=action,
        purpose=purpose,
        at=at,
    )


def record_reads(
    session: Session,
    actor: Actor,
    reads: Iterable[tuple[int | None, object]],
    *,
    record_type: str,
    action: str,
    purpose: str,
    at: datetime | None = None,
) -> None:
    """Audit many reads of one kind in one INSERT statement (executemany), one row per
    (traveller id, record id): a list of 500 bookings must not cost 500 ORM objects and
    a flush of each. Like `record`, call it inside the read's transaction."""
    when = at or datetime.now(UTC)
    rows = [
        {
            "at": when,
            "user_id": actor.user_id,
            "username": actor.username,
            "traveller_id": traveller_id,
            "record_type": record_type,
            "record_id": None if record_id is None else str(record_id),
            "action": action,
            "purpose": purpose,
            "request_id": actor.request_id,
        }
        for traveller_id, record_id in reads
    ]
    if rows:
        session.execute(insert(cast(Table, AuditEntry.__table__)), rows)


def record_bookings(
    session: Session,
    actor: Actor,
    bookings: Iterable[TravellersRecord],
    *,
    action: str,
    purpose: str,
    at: datetime | None = None,
) -> None:
    """Audit reads of many bookings in one statement: one entry per booking, as
    `record_booking` writes for one."""
    record_reads(
        session,
        actor,
        ((b.traveller_id, b.id) for b in bookings),
        record_type="booking",
        action=action,
        purpose=purpose,
        at=at,
    )
