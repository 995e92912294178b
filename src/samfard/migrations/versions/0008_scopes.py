"""scopes: a driver's vehicle, the care unit that booked, and the register link

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01 11:00:00

* `app_user.vehicle_id`: the vehicle a driver drives, so a driver reads only that
  vehicle's run of the day.
* `booking.care_unit`, `series.care_unit`: the care unit whose staff booked, so care staff
  see only their unit's bookings.
* `traveller_registration`: which principals registered (or re-registered) a traveller, one
  of the links that put a traveller in a principal's register (docs/security.md).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vehicle_id", sa.Integer(), nullable=True))
    for table in ("booking", "series"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("care_unit", sa.String(length=120), nullable=True))
    op.create_table(
        "traveller_registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("traveller_id", sa.Integer(), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("registered_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["traveller_id"],
            ["traveller.id"],
            name=op.f("fk_traveller_registration_traveller_id_traveller"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["principal_code"],
            ["principal.code"],
            name=op.f("fk_traveller_registration_principal_code_principal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_traveller_registration")),
        sa.UniqueConstraint(
            "traveller_id", "principal_code", name=op.f("uq_traveller_registration_traveller_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("traveller_registration")
    for table in ("series", "booking"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("care_unit")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("vehicle_id")
