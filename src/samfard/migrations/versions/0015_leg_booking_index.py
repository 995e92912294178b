"""leg_booking_index: an index on leg(booking_id, seq)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 14:35:00

A booking's legs are read by booking id (every booking view, and the day overview's join
to each booking's outward leg); without an index each such read scanned the whole leg
table, which made the day overview of a 3 000-trip day take a third of a second in SQL.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0010"  # after the live day (stop 19 chains 0011, 0014, 0013, 0009, 0010, 0015)
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_leg_booking_id_seq", "leg", ["booking_id", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_leg_booking_id_seq", table_name="leg")
