"""certificate: who registered it

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 02:00:00

/intyg and the case pages said "registrerat av beställningscentralen" of every
certificate with no account stored on it, a care unit's registered through the register
API too. The certificate keeps who registered it: "care_unit" or "centre"
(travellers.models.RegisteredVia). Certificates with an account stored on it were issued
on /intyg, a care unit's; of the others it is not known, and they keep none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("certificate") as batch:
        batch.add_column(sa.Column("registered_via", sa.String(length=12), nullable=True))
    op.execute("UPDATE certificate SET registered_via = 'care_unit' WHERE issued_by IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("certificate") as batch:
        batch.drop_column("registered_via")
