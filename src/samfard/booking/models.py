"""Tables of bookings, legs, lifecycle events, series and idempotency keys."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samfard.db import Base, UTCDateTime

# An address as a leg or consignment stores it: room for the register's whole home,
# "street, city" (160 + 2 + 80 characters), and for any address typed (at most 200).
ADDRESS_MOST = 250


class Booking(Base):
    """Booking: beställning. One traveller, one service, one paying principal, 1+ legs."""

    __tablename__ = "booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id"), index=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"), index=True)
    service: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    purpose: Mapped[str | None] = mapped_column(String(40))
    service_date: Mapped[date] = mapped_column(Date, index=True)
    companions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_to_driver: Mapped[str | None] = mapped_column(Text)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"), index=True)
    care_unit: Mapped[str | None] = mapped_column(String(120))  # the unit whose staff booked
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The mode of the standing decision (rules.facts.Mode); None while none stands.
    mode: Mapped[str | None] = mapped_column(String(24))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    legs: Mapped[list[Leg]] = relationship(
        back_populates="booking", order_by="Leg.seq", cascade="all, delete-orphan"
    )
    events: Mapped[list[BookingEvent]] = relationship(
        back_populates="booking", order_by="BookingEvent.seq", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class Leg(Base):
    """Leg: one ride from an origin to a destination (utresa or returresa)."""

    __tablename__ = "leg"
    # A booking's legs are read by booking (every booking view, the day overview's join):
    # without this index each such read scanned the whole leg table.
    __table_args__ = (Index("ix_leg_booking_id_seq", "booking_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(8))  # outward | return
    return_of_seq: Mapped[int | None] = mapped_column(Integer)
    origin_place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    origin_address: Mapped[str] = mapped_column(String(ADDRESS_MOST))
    origin_lat: Mapped[float] = mapped_column(Float)
    origin_lon: Mapped[float] = mapped_column(Float)
    destination_place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id"))
    destination_address: Mapped[str] = mapped_column(String(ADDRESS_MOST))
    destination_lat: Mapped[float] = mapped_column(Float)
    destination_lon: Mapped[float] = mapped_column(Float)
    requested_pickup_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    appointment_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promised_pickup_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promised_pickup_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    booking: Mapped[Booking] = relationship(back_populates="legs")

    @property
    def reference_time(self) -> datetime:
        """The time the leg is anchored to: the pickup asked for, else the appointment."""
        anchor = self.requested_pickup_at or self.appointment_at
        assert anchor is not None, "a leg has a pickup time or an appointment time"
        return anchor


class BookingEvent(Base):
    """One lifecycle transition: who, when, from which state to which, and why."""

    __tablename__ = "booking_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(Text)
    # A person typed the reason (a cancellation's, an assessor's): it may name the traveller,
    # so it is hidden where their identity is (booking.views.events_public).
    reason_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    late: Mapped[bool] = mapped_column(Boolean, default=False)

    booking: Mapped[Booking] = relationship(back_populates="events")


class Series(Base):
    """Series: återkommande resor, such as dialysis Monday/Wednesday/Friday."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    traveller_id: Mapped[int] = mapped_column(ForeignKey("traveller.id"), index=True)
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"))
    service: Mapped[str] = mapped_column(String(32))
    weekdays: Mapped[list[int]] = mapped_column(JSON)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    exception_dates: Mapped[list[str]] = mapped_column(JSON, default=list)
    template: Mapped[dict[str, Any]] = mapped_column(JSON)
    cancelled_from: Mapped[date | None] = mapped_column(Date)
    care_unit: Mapped[str | None] = mapped_column(String(120))  # the unit whose staff booked
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class IdempotencyKey(Base):
    """The first answer to a POST with an Idempotency-Key, so a retry creates nothing."""

    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("username", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(128))
    username: Mapped[str] = mapped_column(String(80))
    request_hash: Mapped[str] = mapped_column(String(64))
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
