"""The persisted fee ledger (högkostnadsskydd): one row per leg of an approved trip.

The pure ledger (rules.ledger) knows how a ceiling period opens, fills and ends; this module
only stores what was charged and replays it. A row is written when a trip is approved, not
when it is completed: the traveller is told the fee in the decision, and the next booking
(often made before the first trip happens) must already see the earlier fees, or a
traveller with a dialysis series would be charged past the ceiling. Rows store the list fee
so the state can always be rebuilt by `rules.ledger.replay` from the rows alone. A trip
cancelled after approval keeps its rows (what the traveller was told stays on record) but
its fees no longer count toward the ceiling. A trip changed before it is travelled is
priced again: its rows give way to the new decision's (`forget`), which keeps the fee told
before as `fee_before_ore`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    and_,
    delete,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.db import Base, UTCDateTime
from samfard.money import Ore
from samfard.rules.decision import Decision
from samfard.rules.facts import Service
from samfard.rules.ledger import (
    CeilingRule,
    CeilingStatus,
    LedgerState,
    charge,
    replay,
    status,
)
from samfard.rules.loader import RulebookSet
from samfard.rules.schema import SjukresaVersion

CANCELLED = BookingStatus.CANCELLED.value  # its fees stop counting toward the ceiling


class FeeLedgerEntry(Base):
    """Fee ledger entry: one leg's egenavgift, before (list) and after the fee ceiling."""

    __tablename__ = "fee_ledger_entry"
    __table_args__ = (UniqueConstraint("booking_id", "leg_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id"), index=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"))
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    leg_index: Mapped[int] = mapped_column(Integer)
    trip_date: Mapped[date] = mapped_column(Date)
    mode: Mapped[str] = mapped_column(String(32))
    list_fee_ore: Mapped[int] = mapped_column(Integer)
    paid_ore: Mapped[int] = mapped_column(Integer)
    counts_toward_ceiling: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(80))


def ceiling_rule(rulebooks: RulebookSet, principal: str, day: date) -> CeilingRule | None:
    """The sjukresor fee ceiling of `principal` in force on `day`, or None if it has none."""
    book = rulebooks.find(principal, Service.SJUKRESA)
    if book is None:
        return None
    _, version = book.version_on(day)
    if not isinstance(version, SjukresaVersion):
        return None
    return CeilingRule(version.ceiling.amount_ore, version.ceiling.period)


def _counting(traveller_id: int, principal: str) -> ColumnElement[bool]:
    """The rows that count toward a traveller's ceiling with one principal."""
    return and_(
        Booking.status != CANCELLED,
        FeeLedgerEntry.traveller_id == traveller_id,
        FeeLedgerEntry.principal_code == principal,
        FeeLedgerEntry.counts_toward_ceiling.is_(True),
    )


def _counting_fees(
    session: Session, traveller_id: int, principal: str, up_to: date
) -> list[tuple[date, Ore]]:
    rows = session.execute(
        select(FeeLedgerEntry.trip_date, FeeLedgerEntry.list_fee_ore)
        .join(Booking, Booking.id == FeeLedgerEntry.booking_id)
        .where(_counting(traveller_id, principal), FeeLedgerEntry.trip_date <= up_to)
        .order_by(FeeLedgerEntry.trip_date, FeeLedgerEntry.id)
    )
    return [(day, fee) for day, fee in rows]


def ledger_state(
    session: Session, *, traveller_id: int, principal: str, rule: CeilingRule, day: date
) -> LedgerState:
    """The ledger as it stands for a trip on `day`: the recorded trips up to that day.

    Trips dated after `day` are left out: an earlier trip approved later is priced as if
    approved in date order, and the later trips' fees it leaves above the ceiling are
    lowered afterwards (`lower_to_ceiling`).
    """
    return replay(principal, rule, _counting_fees(session, traveller_id, principal, day))


def ceiling_status(
    session: Session, *, traveller_id: int, principal: str, rule: CeilingRule, day: date
) -> CeilingStatus:
    """Paid so far, what is left, and the free span, counting approved trips up to `day`."""
    state = ledger_state(
        session, traveller_id=traveller_id, principal=principal, rule=rule, day=day
    )
    return status(state, rule, day)


def record(
    session: Session,
    *,
    booking_id: int,
    traveller_id: int,
    decision: Decision,
    trip_dates: tuple[date, ...],
    at: datetime,
    by: str,
) -> list[FeeLedgerEntry]:
    """Store the legs' fees of an approved decision, in the caller's transaction.

    trip_dates[i] is the local date of leg i. Recording twice for one booking is refused by
    the unique (booking_id, leg_index) constraint, so an approval cannot double-charge.
    """
    entries = [
        FeeLedgerEntry(
            traveller_id=traveller_id,
            principal_code=decision.principal,
            booking_id=booking_id,
            leg_index=leg.leg_index,
            trip_date=trip_dates[leg.leg_index],
            mode=leg.mode.value,
            list_fee_ore=leg.list_fee_ore,
            paid_ore=leg.fee_ore,
            counts_toward_ceiling=leg.counts_toward_ceiling,
            recorded_at=at,
            recorded_by=by,
        )
        for leg in decision.legs
    ]
    session.add_all(entries)
    session.flush()
    return entries


def lower_to_ceiling(
    session: Session, *, traveller_id: int, principal: str, rule: CeilingRule
) -> list[FeeLedgerEntry]:
    """Lower every recorded fee above what the ceiling leaves it, replaying the traveller's
    counting fees in date order; returns the rows lowered.

    A trip approved after later-dated ones may fill the ceiling before them (a follow-up
    booked first, a series approved from its end): priced only by the trips up to its own
    day, it would let the period's total pass the ceiling. A fee is never raised here: what
    the traveller was told stands unless the ceiling takes it away.
    """
    rows = session.scalars(
        select(FeeLedgerEntry)
        .join(Booking, Booking.id == FeeLedgerEntry.booking_id)
        .where(_counting(traveller_id, principal))
        .order_by(FeeLedgerEntry.trip_date, FeeLedgerEntry.id)
    )
    state = LedgerState(principal=principal)
    lowered = []
    for row in rows:
        charged = charge(state, rule, row.trip_date, row.list_fee_ore)
        state = charged.state
        if charged.paid_ore < row.paid_ore:
            row.paid_ore = charged.paid_ore
            lowered.append(row)
    session.flush()
    return lowered


def forget(session: Session, booking_id: int) -> None:
    """Remove the fees of a booking about to be decided again, in the caller's transaction,
    so that its new decision sees the ceiling without them and records its own."""
    session.execute(delete(FeeLedgerEntry).where(FeeLedgerEntry.booking_id == booking_id))
