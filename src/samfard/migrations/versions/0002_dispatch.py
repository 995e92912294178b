"""dispatch tables: vehicle, plan_run, run, stop

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 19:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vehicle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("carrier_name", sa.String(length=120), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=True),
        sa.Column("county_code", sa.String(length=2), nullable=False),
        sa.Column("vehicle_type", sa.String(length=20), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("wheelchair_places", sa.Integer(), nullable=False),
        sa.Column("stretcher_places", sa.Integer(), nullable=False),
        sa.Column("depot_name", sa.String(length=120), nullable=False),
        sa.Column("depot_lat", sa.Float(), nullable=False),
        sa.Column("depot_lon", sa.Float(), nullable=False),
        sa.Column("shift_start", sa.Time(), nullable=False),
        sa.Column("shift_end", sa.Time(), nullable=False),
        sa.Column("cost_per_km_ore", sa.Integer(), nullable=False),
        sa.Column("cost_per_hour_ore", sa.Integer(), nullable=False),
        sa.Column("fixed_cost_ore", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle")),
        sa.UniqueConstraint("code", name=op.f("uq_vehicle_code")),
    )
    with op.batch_alter_table("vehicle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vehicle_carrier_id"), ["carrier_id"], unique=False)

    op.create_table(
        "plan_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("objective", sa.Float(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("unserved", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_run")),
        sa.UniqueConstraint("service_date", "version", name=op.f("uq_plan_run_service_date")),
    )
    with op.batch_alter_table("plan_run", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_run_service_date"), ["service_date"], unique=False
        )

    op.create_table(
        "run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_run_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("start_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_run_id"],
            ["plan_run.id"],
            name=op.f("fk_run_plan_run_id_plan_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicle.id"], name=op.f("fk_run_vehicle_id_vehicle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run")),
    )
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_plan_run_id"), ["plan_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_run_vehicle_id"), ["vehicle_id"], unique=False)

    op.create_table(
        "stop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("leg_id", sa.Integer(), nullable=False),
        sa.Column("leg_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("planned_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("promised_from", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("promised_until", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["run.id"], name=op.f("fk_stop_run_id_run"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_stop_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["leg_id"], ["leg.id"], name=op.f("fk_stop_leg_id_leg"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stop")),
    )
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stop_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stop_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stop_leg_id"), ["leg_id"], unique=False)


def downgrade() -> None:
    op.drop_table("stop")
    op.drop_table("run")
    op.drop_table("plan_run")
    op.drop_table("vehicle")
