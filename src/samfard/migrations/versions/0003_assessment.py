"""assessment: the persisted fee ledger (one row per fee-bearing leg of an approved trip)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fee_ledger_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("traveller_id", sa.Integer(), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("leg_index", sa.Integer(), nullable=False),
        sa.Column("trip_date", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=32), nullable=False),
        sa.Column("list_fee_ore", sa.Integer(), nullable=False),
        sa.Column("paid_ore", sa.Integer(), nullable=False),
        sa.Column("counts_toward_ceiling", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_fee_ledger_entry_booking_id_booking"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["principal_code"],
            ["principal.code"],
            name=op.f("fk_fee_ledger_entry_principal_code_principal"),
        ),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_fee_ledger_entry_traveller_id_traveller"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_ledger_entry")),
        sa.UniqueConstraint("booking_id", "leg_index", name=op.f("uq_fee_ledger_entry_booking_id")),
    )
    with op.batch_alter_table("fee_ledger_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fee_ledger_entry_traveller_id"), ["traveller_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("fee_ledger_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_ledger_entry_traveller_id"))

    op.drop_table("fee_ledger_entry")
