"""live day: controller alerts, run offers to carriers, stops done, no-show fees

Revision ID: 0010
Revises: 0014
Create Date: 2026-12-01 14:00:00

* `controller_alert`: what the traffic controller must see and acknowledge.
* `run_offer`: each vehicle's run of a day offered to its carrier, and the answer.
* `stop_done`: what happened at each stop (dispatch's summary of the drivers' reports).
* `no_show_charge`: the no-show fee (bomkörningsavgift) a rulebook charges, once a leg.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0010"
down_revision = "0009"  # the branches of stop 19 are chained 0011, 0014, 0013, 0009, 0010
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "controller_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("created_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=80), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_controller_alert")),
    )
    op.create_index(
        "ix_controller_alert_day_open",
        "controller_alert",
        ["service_date", "acknowledged_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_controller_alert_booking_id"), "controller_alert", ["booking_id"], unique=False
    )
    op.create_table(
        "run_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=True),
        sa.Column("contract_code", sa.String(length=40), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("offered_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer_by", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered_at", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_by", sa.String(length=80), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("overdue_alerted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicle.id"], name=op.f("fk_run_offer_vehicle_id_vehicle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_offer")),
        sa.UniqueConstraint("service_date", "vehicle_id", name=op.f("uq_run_offer_service_date")),
    )
    op.create_index(op.f("ix_run_offer_service_date"), "run_offer", ["service_date"], unique=False)
    op.create_index(op.f("ix_run_offer_vehicle_id"), "run_offer", ["vehicle_id"], unique=False)
    op.create_index(op.f("ix_run_offer_carrier_id"), "run_offer", ["carrier_id"], unique=False)
    op.create_table(
        "stop_done",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("leg_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_stop_done_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stop_done")),
        sa.UniqueConstraint("booking_id", "leg_seq", "kind", name=op.f("uq_stop_done_booking_id")),
    )
    op.create_index(op.f("ix_stop_done_service_date"), "stop_done", ["service_date"], unique=False)
    op.create_table(
        "no_show_charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("leg_seq", sa.Integer(), nullable=False),
        sa.Column("traveller_id", sa.Integer(), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("fee_ore", sa.Integer(), nullable=False),
        sa.Column("rule_source", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_no_show_charge_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_no_show_charge")),
        sa.UniqueConstraint("booking_id", "leg_seq", name=op.f("uq_no_show_charge_booking_id")),
    )
    op.create_index(
        op.f("ix_no_show_charge_traveller_id"), "no_show_charge", ["traveller_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("no_show_charge")
    op.drop_table("stop_done")
    op.drop_table("run_offer")
    op.drop_table("controller_alert")
