"""Tables of booked lines: the line, its stops in order and its timetabled departures.

The timetable is reference data beside the gazetteer (stops are places), read by booking
(which departure a leg rides) and by the GTFS-Flex export; it knows nothing of bookings.
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import JSON, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samfard.db import Base


class Line(Base):
    """Line: anropsstyrd linje, run by a transport authority only when booked.

    `deadline_min`: the line's own booking deadline before it leaves its first stop (the
    authority's rulebook sets the least); `vehicle_mode`, `seats`, `wheelchair_places`: the
    vehicle the line is driven with.
    """

    __tablename__ = "line"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    principal_code: Mapped[str] = mapped_column(ForeignKey("principal.code"), index=True)
    deadline_min: Mapped[int] = mapped_column(Integer)
    vehicle_mode: Mapped[str] = mapped_column(String(24))
    seats: Mapped[int] = mapped_column(Integer)
    wheelchair_places: Mapped[int] = mapped_column(Integer, default=0)

    stops: Mapped[list[LineStop]] = relationship(
        order_by="LineStop.seq", cascade="all, delete-orphan"
    )
    departures: Mapped[list[LineDeparture]] = relationship(
        order_by="LineDeparture.id", cascade="all, delete-orphan"
    )


class LineStop(Base):
    """Stop (hållplats) of a line: a gazetteer place, minutes after the first stop."""

    __tablename__ = "line_stop"
    __table_args__ = (UniqueConstraint("line_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("line.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    place_id: Mapped[int] = mapped_column(ForeignKey("place.id"))
    minutes: Mapped[int] = mapped_column(Integer)


class LineDeparture(Base):
    """Departure (tur): leaves the first stop at `departs` local time on `weekdays`
    (0 Monday); direction 0 runs the stops in order, 1 runs them back."""

    __tablename__ = "line_departure"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("line.id", ondelete="CASCADE"), index=True)
    direction: Mapped[int] = mapped_column(Integer)
    departs: Mapped[time] = mapped_column(Time)
    weekdays: Mapped[list[int]] = mapped_column(JSON)
