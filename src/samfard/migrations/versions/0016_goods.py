"""goods: consignments, goods price lists, and stops that carry a leg or a consignment

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 17:00:00

Goods (seed 003) ride in the vehicles that carry passengers: a stop on a run is now the
pickup or drop-off of a booking leg or of a consignment, exactly one of the two (a CHECK
constraint), so `stop.booking_id`, `leg_id` and `leg_seq` become nullable.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from samfard.db import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

LEG_OR_CONSIGNMENT = (
    "(booking_id IS NOT NULL AND leg_id IS NOT NULL AND leg_seq IS NOT NULL "
    "AND consignment_id IS NULL) OR (booking_id IS NULL AND leg_id IS NULL "
    "AND leg_seq IS NULL AND consignment_id IS NOT NULL)"
)


def upgrade() -> None:
    op.create_table(
        "goods_price_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("prices", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_code"],
            ["principal.code"],
            name=op.f("fk_goods_price_list_principal_code_principal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goods_price_list")),
        sa.UniqueConstraint("code", name=op.f("uq_goods_price_list_code")),
    )
    with op.batch_alter_table("goods_price_list", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goods_price_list_principal_code"), ["principal_code"], unique=False
        )
    op.create_table(
        "consignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=120), nullable=True),
        sa.Column("recipient_traveller_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("pickup_place_id", sa.Integer(), nullable=True),
        sa.Column("pickup_address", sa.String(length=200), nullable=False),
        sa.Column("pickup_lat", sa.Float(), nullable=False),
        sa.Column("pickup_lon", sa.Float(), nullable=False),
        sa.Column("pickup_from", UTCDateTime(timezone=True), nullable=False),
        sa.Column("pickup_until", UTCDateTime(timezone=True), nullable=False),
        sa.Column("dropoff_place_id", sa.Integer(), nullable=True),
        sa.Column("dropoff_address", sa.String(length=200), nullable=False),
        sa.Column("dropoff_lat", sa.Float(), nullable=False),
        sa.Column("dropoff_lon", sa.Float(), nullable=False),
        sa.Column("dropoff_from", UTCDateTime(timezone=True), nullable=False),
        sa.Column("dropoff_until", UTCDateTime(timezone=True), nullable=False),
        sa.Column("price_list_code", sa.String(length=40), nullable=False),
        sa.Column("price_ore", sa.Integer(), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_code"],
            ["principal.code"],
            name=op.f("fk_consignment_principal_code_principal"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_traveller_id"],
            ["traveller.id"],
            name=op.f("fk_consignment_recipient_traveller_id_traveller"),
        ),
        sa.ForeignKeyConstraint(
            ["pickup_place_id"], ["place.id"], name=op.f("fk_consignment_pickup_place_id_place")
        ),
        sa.ForeignKeyConstraint(
            ["dropoff_place_id"], ["place.id"], name=op.f("fk_consignment_dropoff_place_id_place")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consignment")),
        sa.UniqueConstraint("reference", name=op.f("uq_consignment_reference")),
    )
    with op.batch_alter_table("consignment", schema=None) as batch_op:
        for column in ("principal_code", "recipient_traveller_id", "status", "service_date"):
            batch_op.create_index(batch_op.f(f"ix_consignment_{column}"), [column], unique=False)
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consignment_id", sa.Integer(), nullable=True))
        batch_op.alter_column("booking_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("leg_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("leg_seq", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f("fk_stop_consignment_id_consignment"),
            "consignment",
            ["consignment_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_stop_consignment_id"), ["consignment_id"])
        batch_op.create_check_constraint("leg_or_consignment", LEG_OR_CONSIGNMENT)
    op.create_table(
        "settled_goods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goods_key", sa.String(length=64), nullable=False),
        sa.Column("run_ref", sa.String(length=64), nullable=False),
        sa.Column("consignment_id", sa.Integer(), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("standalone_ore", sa.Integer(), nullable=False),
        sa.Column("allocated_ore", sa.Integer(), nullable=False),
        sa.Column("cost_centre", sa.String(length=16), nullable=False),
        sa.Column("cost_object", sa.String(length=16), nullable=False),
        sa.Column("carrier", sa.String(length=120), nullable=False),
        sa.Column("contract_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_ref"],
            ["settled_run.run_ref"],
            name=op.f("fk_settled_goods_run_ref_settled_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settled_goods")),
        sa.UniqueConstraint("goods_key", name=op.f("uq_settled_goods_goods_key")),
    )
    with op.batch_alter_table("settled_goods", schema=None) as batch_op:
        for column in ("run_ref", "principal_code", "day"):
            batch_op.create_index(batch_op.f(f"ix_settled_goods_{column}"), [column], unique=False)
    with op.batch_alter_table("stop_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("consignment_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_stop_event_consignment_id"), ["consignment_id"])


def downgrade() -> None:
    with op.batch_alter_table("settled_goods", schema=None) as batch_op:
        for column in ("run_ref", "principal_code", "day"):
            batch_op.drop_index(batch_op.f(f"ix_settled_goods_{column}"))
    op.drop_table("settled_goods")
    with op.batch_alter_table("stop_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stop_event_consignment_id"))
        batch_op.drop_column("consignment_id")
    op.execute("DELETE FROM stop WHERE consignment_id IS NOT NULL")
    with op.batch_alter_table("stop", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_stop_leg_or_consignment"), type_="check")
        batch_op.drop_index(batch_op.f("ix_stop_consignment_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_stop_consignment_id_consignment"), type_="foreignkey"
        )
        batch_op.drop_column("consignment_id")
        batch_op.alter_column("leg_seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("leg_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("booking_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("consignment", schema=None) as batch_op:
        for column in ("principal_code", "recipient_traveller_id", "status", "service_date"):
            batch_op.drop_index(batch_op.f(f"ix_consignment_{column}"))
    op.drop_table("consignment")
    with op.batch_alter_table("goods_price_list", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goods_price_list_principal_code"))
    op.drop_table("goods_price_list")
