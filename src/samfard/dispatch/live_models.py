"""Tables of the live day: controller alerts, runs offered to carriers, stops done, and
no-show fees.

Kept apart from `dispatch.models` (the plan itself) because these rows outlive a plan's
runs and stops: a re-plan rewrites stops, but what a driver reported, what a carrier
answered and what the controller was told stay. So rows name a booking leg
(`booking_id`, `leg_seq`, `kind`) or a vehicle's day (`service_date`, `vehicle_id`)
rather than a stop or run id that the next re-plan replaces; `run_id` is kept as the run
the row was about when it was written, for the reader's convenience only.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base, UTCDateTime


class ControllerAlert(Base):
    """Controller alert: larm till trafikledaren (a promise at risk, a run declined or not
    accepted in time, a trip left unserved).

    `subject` names what the alert is about ("b12.0", "vehicle 7") so the same open alert
    is not raised twice while the controller has not yet acknowledged it.
    """

    __tablename__ = "controller_alert"
    __table_args__ = (Index("ix_controller_alert_day_open", "service_date", "acknowledged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    service_date: Mapped[date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(String(64))
    run_id: Mapped[int | None] = mapped_column(Integer)
    booking_id: Mapped[int | None] = mapped_column(Integer, index=True)
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(80))


class RunOffer(Base):
    """Run offer: a vehicle's run of the day offered to its carrier (körningserbjudande).

    One row per vehicle and day: re-planning may rewrite the run's stops, but the carrier
    answers for the vehicle's day. `state` is offered, accepted or declined.
    """

    __tablename__ = "run_offer"
    __table_args__ = (UniqueConstraint("service_date", "vehicle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    vehicle_id: Mapped[int] = mapped_column(ForeignKey("vehicle.id"), index=True)
    carrier_id: Mapped[int | None] = mapped_column(Integer, index=True)
    contract_code: Mapped[str | None] = mapped_column(String(40))
    run_id: Mapped[int | None] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answer_by: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by: Mapped[str | None] = mapped_column(String(80))
    reason: Mapped[str | None] = mapped_column(String(300))
    overdue_alerted: Mapped[bool] = mapped_column(default=False)
    # The run as it was declined (its stops, first and last stop's times): declining
    # re-plans it away, and the carrier's and the controller's row lost its time and read
    # "0 stopp" (walk-through of 2026-12-06).
    declined_stops: Mapped[int | None] = mapped_column(Integer)
    declined_first_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_last_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StopDone(Base):
    """What happened at a stop, as dispatch needs it for re-planning (utförd hållplats).

    The driver's own event log (with client ids and replays) is the record of what was
    reported; this is dispatch's summary of it: when the vehicle was at the stop and how
    it ended, one row per leg and stop kind.
    """

    __tablename__ = "stop_done"
    __table_args__ = (UniqueConstraint("booking_id", "leg_seq", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_date: Mapped[date] = mapped_column(Date, index=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    leg_seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))  # pickup | dropoff
    vehicle_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # arrived | picked_up | no_show | dropped_off
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class NoShowCharge(Base):
    """No-show fee: bomkörningsavgift charged by the principal's rulebook, once per leg."""

    __tablename__ = "no_show_charge"
    __table_args__ = (UniqueConstraint("booking_id", "leg_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    leg_seq: Mapped[int] = mapped_column(Integer)
    traveller_id: Mapped[int] = mapped_column(Integer, index=True)
    principal_code: Mapped[str] = mapped_column(String(16))
    fee_ore: Mapped[int] = mapped_column(Integer)
    rule_source: Mapped[str] = mapped_column(String(300))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(80))
