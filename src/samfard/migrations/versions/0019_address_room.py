"""addresses of legs and consignments: room for a whole home address

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 05:30:00

A leg or consignment from or to a home stores "street, city", and the register lets a
street be 160 characters and a city 80: up to 242 with the comma, where the columns held
200. PostgreSQL refused such a booking (a 500) and SQLite kept it whole; the columns now
hold 250 (`ADDRESS_MOST` in booking.models).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

COLUMNS = {
    "leg": ("origin_address", "destination_address"),
    "consignment": ("pickup_address", "dropoff_address"),
}


def _resize(old: int, new: int) -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(
                    column,
                    existing_type=sa.String(old),
                    type_=sa.String(new),
                    existing_nullable=False,
                )


def upgrade() -> None:
    _resize(200, 250)


def downgrade() -> None:
    _resize(250, 200)
