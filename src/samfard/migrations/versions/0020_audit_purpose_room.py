"""audit entries: room for what an administrator granted

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 08:30:00

Creating an account and changing its role or scope are recorded in the audit trail with
what was granted ("role operator (principals 23,2380; may see protected identities) changed
to ..."), which passes the 120 characters the purpose held: PostgreSQL would refuse the
entry and with it the change. The column now holds 500 (`PURPOSE_MOST` in access.models).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _resize(old: int, new: int) -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.alter_column(
            "purpose", existing_type=sa.String(old), type_=sa.String(new), existing_nullable=False
        )


def upgrade() -> None:
    _resize(120, 500)


def downgrade() -> None:
    _resize(500, 120)
