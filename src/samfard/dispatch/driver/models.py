"""The table of reports from the vehicle (förarhändelser): arrived, picked up, no-show,
dropped off, and positions.

A report names the run and stop as the driver's page knew them. Runs and stops are rows of
one plan version and disappear when a day is re-planned or a no-show leaves the plan, but a
report is history and must outlive them; so run, stop, leg and booking are kept as plain
ids (no foreign keys), with the leg and the stop's kind (pickup or dropoff), which identify
"the same stop" across plan versions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base, UTCDateTime


class StopEvent(Base):
    """StopEvent: one report from a vehicle (förarhändelse), stored once per client id."""

    __tablename__ = "stop_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # arrived|picked_up|no_show|dropped_off|position
    service_date: Mapped[date] = mapped_column(Date, index=True)
    vehicle_id: Mapped[int] = mapped_column(Integer, index=True)
    run_id: Mapped[int] = mapped_column(Integer, index=True)
    stop_id: Mapped[int | None] = mapped_column(Integer)
    stop_kind: Mapped[str | None] = mapped_column(String(8))  # pickup | dropoff
    leg_id: Mapped[int | None] = mapped_column(Integer, index=True)
    booking_id: Mapped[int | None] = mapped_column(Integer, index=True)
    consignment_id: Mapped[int | None] = mapped_column(Integer, index=True)  # a goods stop
    at_vehicle: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
