"""run offers: the run as it was declined

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 20:00:00

A declined run is re-planned away at once, and the offer's row on /utforare and /trafik
read its run, gone: no time, "0 stopp" (walk-through of 2026-12-06). The offer keeps what
was declined: the run's number of stops and its first and last stop's times. Offers
declined before this revision have none recorded.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("run_offer") as batch:
        batch.add_column(sa.Column("declined_stops", sa.Integer(), nullable=True))
        for name in ("declined_first_at", "declined_last_at"):
            batch.add_column(sa.Column(name, samfard.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("run_offer") as batch:
        for name in ("declined_last_at", "declined_first_at", "declined_stops"):
            batch.drop_column(name)
