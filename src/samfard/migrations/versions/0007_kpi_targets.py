"""kpi targets per principal and year, kpi comments per principal and month

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 11:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpi_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kpi", sa.String(length=40), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=False),
        sa.Column("higher_is_better", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=80), nullable=False),
        sa.Column("set_at", samfard.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_code"],
            ["principal.code"],
            name=op.f("fk_kpi_target_principal_code_principal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_target")),
        sa.UniqueConstraint(
            "principal_code", "year", "kpi", "service",
            name=op.f("uq_kpi_target_principal_code"),
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_kpi_target_principal_code"), "kpi_target", ["principal_code"], unique=False
    )
    op.create_table(
        "kpi_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("kpi", sa.String(length=40), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("set_by", sa.String(length=80), nullable=False),
        sa.Column("set_at", samfard.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_code"],
            ["principal.code"],
            name=op.f("fk_kpi_comment_principal_code_principal"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kpi_comment")),
        sa.UniqueConstraint(
            "principal_code", "year", "month", "kpi",
            name=op.f("uq_kpi_comment_principal_code"),
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_kpi_comment_principal_code"), "kpi_comment", ["principal_code"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_kpi_comment_principal_code"), table_name="kpi_comment")
    op.drop_table("kpi_comment")
    op.drop_index(op.f("ix_kpi_target_principal_code"), table_name="kpi_target")
    op.drop_table("kpi_target")
