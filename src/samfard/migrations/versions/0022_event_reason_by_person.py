"""booking events: whether a person wrote the reason

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 12:00:00

A booking's history shows why each step happened. Some reasons are the system's own
("denied automatically: purpose. [rulebooks/22/sjukresa.toml ...]", "planned in plan
version 3"), some are what a person typed (a cancellation's reason, an assessor's
motivation), which can name a traveller with skyddad identitet or their home. Readers who
may not see who the person is get the system's reasons and not the typed ones
(travellers.free_text), so each event says which it holds. Events stored before this
revision are taken as typed: hiding a system reason costs less than showing a typed one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("booking_event") as batch:
        batch.add_column(
            sa.Column("reason_by_person", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("booking_event") as batch:
        batch.drop_column("reason_by_person")
