"""course: attempts of the web course, issuers' accounts, electronic certificates

Revision ID: 0009
Revises: 0014
Create Date: 2026-12-01 14:00:00

* `course_attempt`: each quiz a care issuer took, the rulebook version it was drawn from,
  the answers and the result (docs/course.md).
* `issuer.username`: the account of an issuer who signs in (care staff).
* `certificate`: whether it covers the return, the visit it was written for, who issued
  it, and its revocation (when, by whom, why).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0009"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "course_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("care_unit", sa.String(length=120), nullable=True),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("rulebook_file", sa.String(length=80), nullable=False),
        sa.Column("rulebook_valid_from", sa.Date(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("correct", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("started_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["principal_code"],
            ["principal.code"],
            name=op.f("fk_course_attempt_principal_code_principal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_attempt")),
    )
    with op.batch_alter_table("course_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_attempt_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_course_attempt_username"), ["username"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_course_attempt_care_unit"), ["care_unit"], unique=False
        )
    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("username", sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_issuer_username"), ["username"])
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("covers_return", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("visit_place", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("visit_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("issued_by", sa.String(length=80), nullable=True))
        batch_op.add_column(
            sa.Column("revoked_at", samfard.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("revoked_by", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("revoke_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("certificate", schema=None) as batch_op:
        for column in (
            "revoke_reason",
            "revoked_by",
            "revoked_at",
            "issued_by",
            "visit_on",
            "visit_place",
            "covers_return",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("issuer", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_issuer_username"), type_="unique")
        batch_op.drop_column("username")
    op.drop_table("course_attempt")
