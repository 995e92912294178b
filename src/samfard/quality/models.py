"""Tables of deviations (avvikelser) and what was done about each.

A deviation is about one trip: a booking (its principal, service and traveller are the
booking's, and its carrier is the one whose vehicle drove, or should have driven, the trip
in the day's plan), or a settled trip named by its key, as the invoice basis lists it (its
principal and carrier are the settled trip's). Every step of the handling is an event
row, so who did what and when is kept, like a booking's lifecycle.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samfard.db import Base, UTCDateTime


class Deviation(Base):
    """Deviation: avvikelse, something that went wrong on a trip or its booking."""

    __tablename__ = "deviation"
    __table_args__ = (Index("ix_deviation_principal_day", "principal_code", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking.id", ondelete="SET NULL"), index=True
    )
    # The settled trip ("b<booking>.<seq>" or a history key) when reported from settlement.
    trip_key: Mapped[str | None] = mapped_column(String(64), index=True)
    traveller_id: Mapped[int | None] = mapped_column(Integer, index=True)
    principal_code: Mapped[str] = mapped_column(String(16))
    service: Mapped[str] = mapped_column(String(32))
    carrier_id: Mapped[int | None] = mapped_column(Integer, index=True)
    carrier_name: Mapped[str | None] = mapped_column(String(120))
    vehicle_type: Mapped[str | None] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date, index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(Text)
    reporter_role: Mapped[str] = mapped_column(String(32))
    reported_by: Mapped[str] = mapped_column(String(80))
    reporter_user_id: Mapped[int | None] = mapped_column(Integer)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))  # received | investigating | decided | closed
    carrier_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    carrier_answer: Mapped[str | None] = mapped_column(Text)
    carrier_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))  # upheld | not_upheld
    penalty_ore: Mapped[int] = mapped_column(Integer, default=0)
    principal_alerted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    events: Mapped[list[DeviationEvent]] = relationship(
        back_populates="deviation",
        order_by="DeviationEvent.seq",
        cascade="all, delete-orphan",
    )

    __mapper_args__ = {"version_id_col": version}


class DeviationEvent(Base):
    """One step of a deviation's handling: who, when, what, from which status to which."""

    __tablename__ = "deviation_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    deviation_id: Mapped[int] = mapped_column(
        ForeignKey("deviation.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    actor_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)

    deviation: Mapped[Deviation] = relationship(back_populates="events")
