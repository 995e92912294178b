"""goods: Idempotency-Keys of goods bookings

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 19:30:00

`POST /api/v1/goods` honours an Idempotency-Key as `POST /api/v1/bookings` does. The
bookings' `idempotency_key.booking_id` is NOT NULL, so goods keep their keys in a table
of their own pointing at the consignment.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from samfard.db import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goods_idempotency_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("consignment_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consignment_id"],
            ["consignment.id"],
            name=op.f("fk_goods_idempotency_key_consignment_id_consignment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goods_idempotency_key")),
        sa.UniqueConstraint("username", "key", name=op.f("uq_goods_idempotency_key_username")),
    )
    with op.batch_alter_table("goods_idempotency_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_goods_idempotency_key_consignment_id"), ["consignment_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("goods_idempotency_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goods_idempotency_key_consignment_id"))
    op.drop_table("goods_idempotency_key")
