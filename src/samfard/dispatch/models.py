"""Tables of the fleet and of stored day plans (plan runs, vehicle runs, stops).

A day may be planned several times (day-ahead, then re-optimised); each planning stores a
new PlanRun version instead of rewriting the old one, so what a driver was told stays
traceable. Only plans the verifier accepted are stored (`verified` is kept explicit so a
reader of the table need not know that rule).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samfard.db import Base, UTCDateTime


class Vehicle(Base):
    """Vehicle: fordon with its daily shift (pass), depot and costs in öre.

    `vehicle_type` uses the planner's values (taxi, minibus, wheelchair, stretcher) so
    planning and settlement agree on one vocabulary.
    """

    __tablename__ = "vehicle"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    carrier_name: Mapped[str] = mapped_column(String(120))
    carrier_id: Mapped[int | None] = mapped_column(Integer, index=True)
    county_code: Mapped[str] = mapped_column(String(2))
    vehicle_type: Mapped[str] = mapped_column(String(20))
    seats: Mapped[int] = mapped_column(Integer)
    wheelchair_places: Mapped[int] = mapped_column(Integer)
    stretcher_places: Mapped[int] = mapped_column(Integer)
    depot_name: Mapped[str] = mapped_column(String(120))
    depot_lat: Mapped[float] = mapped_column(Float)
    depot_lon: Mapped[float] = mapped_column(Float)
    shift_start: Mapped[time] = mapped_column(Time)
    shift_end: Mapped[time] = mapped_column(Time)
    cost_per_km_ore: Mapped[int] = mapped_column(Integer)
    cost_per_hour_ore: Mapped[int] = mapped_column(Integer)
    fixed_cost_ore: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


# What changed a plan version in place: a trip moved by hand, a booking or goods placed
# live, the rest of the day re-planned (a declined run, a controller's re-plan).
PlanChange = Literal["move", "booking", "goods", "rest_of_day"]


class PlanRun(Base):
    """PlanRun: one verified plan of one service day (körplan), versioned per day."""

    __tablename__ = "plan_run"
    __table_args__ = (UniqueConstraint("service_date", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # day_ahead | reoptimised | live
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(80))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    objective: Mapped[float] = mapped_column(Float)
    verified: Mapped[bool] = mapped_column(Boolean)
    unserved: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The last change made to this version in place (a move, a booking or goods placed
    # live, the rest of the day re-planned), so the day page does not pass it off as the
    # plan stored at `created_at`: `store.note_change`.
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    changed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    change: Mapped[str | None] = mapped_column(String(16), nullable=True)

    runs: Mapped[list[Run]] = relationship(
        back_populates="plan_run", order_by="Run.id", cascade="all, delete-orphan"
    )

    def note_change(self, change: PlanChange, *, by: str, at: datetime) -> None:
        """Record a change made to this version in place (the newest is kept)."""
        self.changed_at, self.changed_by, self.change = at, by, change


class Run(Base):
    """Run: one vehicle's route in a plan (körning), from depot to depot."""

    __tablename__ = "run"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_run_id: Mapped[int] = mapped_column(
        ForeignKey("plan_run.id", ondelete="CASCADE"), index=True
    )
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicle.id"), index=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    distance_km: Mapped[float] = mapped_column(Float)

    plan_run: Mapped[PlanRun] = relationship(back_populates="runs")
    vehicle: Mapped[Vehicle] = relationship()
    stops: Mapped[list[Stop]] = relationship(
        back_populates="run", order_by="Stop.seq", cascade="all, delete-orphan"
    )


class Stop(Base):
    """Stop: a pickup or drop-off on a run (hämtning/lämning) of one booking leg or of one
    consignment of goods, never both (the CHECK constraint `leg_or_consignment`)."""

    __tablename__ = "stop"
    __table_args__ = (
        CheckConstraint(
            "(booking_id IS NOT NULL AND leg_id IS NOT NULL AND leg_seq IS NOT NULL "
            "AND consignment_id IS NULL) OR (booking_id IS NULL AND leg_id IS NULL "
            "AND leg_seq IS NULL AND consignment_id IS NOT NULL)",
            name="leg_or_consignment",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("run.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("booking.id", ondelete="CASCADE"), index=True
    )
    leg_id: Mapped[int | None] = mapped_column(ForeignKey("leg.id", ondelete="CASCADE"), index=True)
    leg_seq: Mapped[int | None] = mapped_column(Integer)
    consignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("consignment.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(8))  # pickup | dropoff
    planned_at: Mapped[datetime] = mapped_column(UTCDateTime)
    promised_from: Mapped[datetime | None] = mapped_column(UTCDateTime)
    promised_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    run: Mapped[Run] = relationship(back_populates="stops")
