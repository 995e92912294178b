"""booked lines and the asylum account: lines, stops, departures; traveller.asylum_housing

Revision ID: 0013
Revises: 0014
Create Date: 2026-12-01 14:20:00

* `line`: a booked bus line (anropsstyrd linjetrafik) of a transport authority, with its
  booking deadline and vehicle.
* `line_stop`: the line's stops in order, gazetteer places with minutes after the first.
* `line_departure`: timetabled departures from the first stop of a direction, by weekday.
* `traveller.asylum_housing`: the traveller lives in asylum housing; their sjukresor are
  booked to the region's account of its own (rulebook `asylum`). Existing rows: false.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of `traveller` would fail on SQLite once other
    # tables' rows refer to it (foreign keys are on).
    op.add_column(
        "traveller",
        sa.Column("asylum_housing", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("deadline_min", sa.Integer(), nullable=False),
        sa.Column("vehicle_mode", sa.String(length=24), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("wheelchair_places", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_code"], ["principal.code"], name=op.f("fk_line_principal_code_principal")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line")),
        sa.UniqueConstraint("code", name=op.f("uq_line_code")),
    )
    op.create_index(op.f("ix_line_principal_code"), "line", ["principal_code"], unique=False)
    op.create_table(
        "line_stop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("place_id", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"], ["line.id"], name=op.f("fk_line_stop_line_id_line"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["place_id"], ["place.id"], name=op.f("fk_line_stop_place_id_place")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_stop")),
        sa.UniqueConstraint("line_id", "seq", name=op.f("uq_line_stop_line_id")),
    )
    op.create_index(op.f("ix_line_stop_line_id"), "line_stop", ["line_id"], unique=False)
    op.create_table(
        "line_departure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.Integer(), nullable=False),
        sa.Column("departs", sa.Time(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["line.id"],
            name=op.f("fk_line_departure_line_id_line"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_line_departure")),
    )
    op.create_index(op.f("ix_line_departure_line_id"), "line_departure", ["line_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_line_departure_line_id"), table_name="line_departure")
    op.drop_table("line_departure")
    op.drop_index(op.f("ix_line_stop_line_id"), table_name="line_stop")
    op.drop_table("line_stop")
    op.drop_index(op.f("ix_line_principal_code"), table_name="line")
    op.drop_table("line")
    with op.batch_alter_table("traveller", schema=None) as batch_op:
        batch_op.drop_column("asylum_housing")
