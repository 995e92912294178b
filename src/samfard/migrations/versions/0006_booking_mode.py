"""booking mode, place keys, cost objects on settled trips

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 11:00:00

- place.key: the stable identity rulebooks refer to (places.csv); stored places get the key
  of the packaged row with the same name, any other place "place-<id>".
- booking.mode: the mode the standing decision gives the booking (taxi, public_transport...).
- settled_trip.cost_centre / cost_object: where a trip's cost is booked (Norway referrals).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from samfard.geo.places import packaged_rows

revision = "0006"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("place", sa.Column("key", sa.String(length=60), nullable=True))
    place = sa.table(
        "place", sa.column("id", sa.Integer), sa.column("name", sa.String), sa.column("key")
    )
    bind = op.get_bind()
    keys = {row["name"]: row["key"] for row in packaged_rows()}
    for place_id, name in bind.execute(sa.select(place.c.id, place.c.name)).all():
        bind.execute(
            place.update()
            .where(place.c.id == place_id)
            .values(key=keys.get(name, f"place-{place_id}"))
        )
    with op.batch_alter_table("place") as batch:
        batch.alter_column("key", existing_type=sa.String(length=60), nullable=False)
        batch.create_unique_constraint(batch.f("uq_place_key"), ["key"])
    op.add_column("booking", sa.Column("mode", sa.String(length=24), nullable=True))
    op.add_column("settled_trip", sa.Column("cost_centre", sa.String(length=16), nullable=True))
    op.add_column("settled_trip", sa.Column("cost_object", sa.String(length=16), nullable=True))


def downgrade() -> None:
    op.drop_column("settled_trip", "cost_object")
    op.drop_column("settled_trip", "cost_centre")
    op.drop_column("booking", "mode")
    with op.batch_alter_table("place") as batch:
        batch.drop_constraint(batch.f("uq_place_key"), type_="unique")
        batch.drop_column("key")
