"""jobs: where the current step's bar runs to

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 20:00:00

A job's bar ran from its last report towards 95 % as the step's expected time passed, so
a step slower than expected passed the next report's fraction and the bar stepped back
when the report came (a simulation's setup ran to 80 % and fell to 30 % at its first
hour). Each report now says where its step ends. Jobs stored before run to 95 % as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("step_until", sa.Float(), nullable=False, server_default="0.95"))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("step_until")
