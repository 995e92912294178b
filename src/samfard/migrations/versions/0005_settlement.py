"""settlement: carriers, carrier contracts, settled runs and settled trips

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-22 19:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

_RUN_ORE = (
    "start_fee_ore",
    "distance_ore",
    "driving_time_ore",
    "waiting_time_ore",
    "surcharge_ore",
    "supplements_ore",
    "fixed_ore",
    "driver_ore",
    "total_ore",
)


def upgrade() -> None:
    op.create_table(
        "carrier",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("org_number", sa.String(length=20), nullable=False),
        sa.Column("own_fleet", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier")),
        sa.UniqueConstraint("name", name=op.f("uq_carrier_name")),
    )
    op.create_table(
        "carrier_contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("own_fleet", sa.Boolean(), nullable=False),
        sa.Column("tariffs", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"], ["carrier.id"], name=op.f("fk_carrier_contract_carrier_id_carrier")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_contract")),
        sa.UniqueConstraint("code", name=op.f("uq_carrier_contract_code")),
    )
    op.create_index(
        op.f("ix_carrier_contract_carrier_id"), "carrier_contract", ["carrier_id"], unique=False
    )
    op.create_table(
        "settled_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_ref", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("carrier", sa.String(length=120), nullable=False),
        sa.Column("contract_code", sa.String(length=40), nullable=False),
        sa.Column("vehicle_type", sa.String(length=20), nullable=False),
        sa.Column("basis", sa.String(length=12), nullable=False),
        sa.Column("start_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("end_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("driven_m", sa.Integer(), nullable=False),
        sa.Column("driving_cmin", sa.Integer(), nullable=False),
        sa.Column("waiting_cmin", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in _RUN_ORE),
        sa.Column("settled_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settled_run")),
        sa.UniqueConstraint("run_ref", name=op.f("uq_settled_run_run_ref")),
    )
    op.create_index(op.f("ix_settled_run_day"), "settled_run", ["day"], unique=False)
    op.create_index(op.f("ix_settled_run_carrier"), "settled_run", ["carrier"], unique=False)
    op.create_table(
        "settled_trip",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trip_key", sa.String(length=64), nullable=False),
        sa.Column("run_ref", sa.String(length=64), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("leg_seq", sa.Integer(), nullable=True),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("pickup_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("passengers", sa.Integer(), nullable=False),
        sa.Column("run_passengers", sa.Integer(), nullable=False),
        sa.Column("direct_m", sa.Integer(), nullable=False),
        sa.Column("standalone_ore", sa.Integer(), nullable=False),
        sa.Column("allocated_ore", sa.Integer(), nullable=False),
        sa.Column("fee_ore", sa.Integer(), nullable=False),
        sa.Column("stretcher", sa.Boolean(), nullable=False),
        sa.Column("dialysis", sa.Boolean(), nullable=False),
        sa.Column("wheelchair", sa.Boolean(), nullable=False),
        sa.Column("promised_pickup", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("actual_pickup", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deviations", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=120), nullable=False),
        sa.Column("contract_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_ref"],
            ["settled_run.run_ref"],
            name=op.f("fk_settled_trip_run_ref_settled_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settled_trip")),
        sa.UniqueConstraint("trip_key", name=op.f("uq_settled_trip_trip_key")),
    )
    op.create_index(op.f("ix_settled_trip_run_ref"), "settled_trip", ["run_ref"], unique=False)
    op.create_index(op.f("ix_settled_trip_day"), "settled_trip", ["day"], unique=False)
    op.create_index(
        "ix_settled_trip_principal_day", "settled_trip", ["principal_code", "day"], unique=False
    )


def downgrade() -> None:
    op.drop_table("settled_trip")
    op.drop_table("settled_run")
    op.drop_index(op.f("ix_carrier_contract_carrier_id"), table_name="carrier_contract")
    op.drop_table("carrier_contract")
    op.drop_table("carrier")
