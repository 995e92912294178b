"""carriers: one number for a carrier; accounts scoped to nothing are closed

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 23:50:00

The demo fleet numbered its carriers 1-3 itself, while the register of carriers (`carrier`,
filled by the contracts) numbers them as they are stored, so a carrier dispatcher saw the
runs of one carrier and the deviations of another. From now on vehicles carry the id of
their carrier's row (`dispatch.fleet`); this revision moves what is stored to it, by the
carrier's name: vehicles, deviations, run offers and the carrier accounts that used the
vehicles' number.

Accounts could also be created for a traveller, vehicle or carrier that did not exist, or
for a driver of another carrier's vehicle (`access.users` now refuses them). Such an account
would become whoever was stored next under that id, so those are deactivated and their
tokens revoked.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _renumber_carriers(connection: sa.Connection) -> None:
    register: dict[str, int] = dict(
        connection.execute(sa.text("SELECT name, id FROM carrier")).all()
    )
    vehicles = connection.execute(sa.text("SELECT id, carrier_id, carrier_name FROM vehicle"))
    moved: dict[int, int] = {}
    for vehicle_id, old, name in vehicles.all():
        new = register.get(name)
        if new is None or new == old:
            continue
        if old is not None:
            moved[old] = new
        connection.execute(
            sa.text("UPDATE vehicle SET carrier_id = :new WHERE id = :id"),
            {"new": new, "id": vehicle_id},
        )
    connection.execute(
        sa.text(
            "UPDATE run_offer SET carrier_id = "
            "(SELECT vehicle.carrier_id FROM vehicle WHERE vehicle.id = run_offer.vehicle_id)"
        )
    )
    for name, carrier_id in register.items():
        connection.execute(
            sa.text("UPDATE deviation SET carrier_id = :id WHERE carrier_name = :name"),
            {"id": carrier_id, "name": name},
        )
    accounts = connection.execute(
        sa.text(
            "SELECT id, carrier_id FROM app_user WHERE carrier_id IS NOT NULL "
            "AND role IN ('driver', 'carrier_dispatcher')"
        )
    ).all()
    for user_id, old in accounts:  # read first: an id may be both a new and an old number
        if old in moved:
            connection.execute(
                sa.text("UPDATE app_user SET carrier_id = :new WHERE id = :id"),
                {"new": moved[old], "id": user_id},
            )


def _close_accounts_scoped_to_nothing(connection: sa.Connection) -> None:
    dangling = (
        "(traveller_id IS NOT NULL AND traveller_id NOT IN (SELECT id FROM traveller)) "
        "OR (vehicle_id IS NOT NULL AND vehicle_id NOT IN (SELECT id FROM vehicle)) "
        "OR (role IN ('driver', 'carrier_dispatcher') AND (carrier_id IS NULL "
        "OR carrier_id NOT IN (SELECT id FROM carrier))) "
        "OR (role = 'driver' AND NOT EXISTS (SELECT 1 FROM vehicle WHERE vehicle.id = "
        "app_user.vehicle_id AND vehicle.carrier_id = app_user.carrier_id))"
    )
    connection.execute(
        sa.text(
            f"DELETE FROM api_token WHERE user_id IN (SELECT id FROM app_user WHERE {dangling})"
        )
    )
    connection.execute(sa.text(f"UPDATE app_user SET active = :no WHERE {dangling}"), {"no": False})


def upgrade() -> None:
    connection = op.get_bind()
    _renumber_carriers(connection)
    _close_accounts_scoped_to_nothing(connection)


def downgrade() -> None:
    """Nothing to undo: the old numbers were the fault, and closed accounts stay closed."""
