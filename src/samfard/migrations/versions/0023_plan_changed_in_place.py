"""plan runs: the last change made in place

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 19:30:00

A day's plan version is changed in place through the day: the traffic controller moves a
trip, the desk books one that is placed live, goods are placed, the rest of the day is
re-planned. /trafik said "Planversion 1, sparad 22 november 18:00" over runs changed since,
so each version now keeps when, by whom and by what it was last changed. Plans stored
before this revision have none recorded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_run") as batch:
        changed_at: sa.Column[object] = sa.Column(
            "changed_at", samfard.db.UTCDateTime(timezone=True), nullable=True
        )
        batch.add_column(changed_at)
        batch.add_column(sa.Column("changed_by", sa.String(80), nullable=True))
        batch.add_column(sa.Column("change", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_run") as batch:
        batch.drop_column("change")
        batch.drop_column("changed_by")
        batch.drop_column("changed_at")
