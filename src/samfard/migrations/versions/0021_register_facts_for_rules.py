"""register facts the rules ask for: specified disability, student status, fellow passenger

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 11:00:00

The rules engine had reductions and conditions no register field could reach:

* `traveller.specified_disability`: the patient has a specified disability, so sjukresa
  companions travel free. Existing rows: false.
* `traveller.student_until`: the traveller is a student until this day (the proof's end),
  so riksfärdtjänst charges 70 %. Existing rows: none.
* `permit.fellow_passenger`: the permit lets a fellow passenger come along; one booked
  without it goes to an assessor. Existing rows: false (a fellow passenger on an existing
  permit goes to an assessor until the permit says otherwise).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("traveller") as batch:
        batch.add_column(
            sa.Column(
                "specified_disability", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("student_until", sa.Date(), nullable=True))
    with op.batch_alter_table("permit") as batch:
        batch.add_column(
            sa.Column("fellow_passenger", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("permit") as batch:
        batch.drop_column("fellow_passenger")
    with op.batch_alter_table("traveller") as batch:
        batch.drop_column("student_until")
        batch.drop_column("specified_disability")
