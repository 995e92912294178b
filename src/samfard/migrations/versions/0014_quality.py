"""quality: notification outbox, deviations, penalties, travellers' login codes

Revision ID: 0014
Revises: 0011 (was 0008; chained after the live day, merged into main first)
Create Date: 2026-12-01 14:00:00

* `outbox_message`: every message to a traveller (SMS) or a user (inbox) and its delivery.
* `deviation`, `deviation_event`: avvikelser and who did what about each.
* `carrier_penalty`: viten charged to a carrier for upheld deviations (settlement).
* `carrier_contract.penalties`: the contract's penalty terms.
* `login_code`: one-time login codes of travellers' accounts (hash only).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None

UTC = samfard.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("traveller_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("principal_code", sa.String(length=16), nullable=True),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("read_at", UTC, nullable=True),
        sa.Column("provider_ref", sa.String(length=80), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    op.create_index("ix_outbox_message_status_due", "outbox_message", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_outbox_message_traveller_id"), "outbox_message", ["traveller_id"])
    op.create_index(op.f("ix_outbox_message_user_id"), "outbox_message", ["user_id"])
    op.create_table(
        "deviation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("trip_key", sa.String(length=64), nullable=True),
        sa.Column("traveller_id", sa.Integer(), nullable=True),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=True),
        sa.Column("carrier_name", sa.String(length=120), nullable=True),
        sa.Column("vehicle_type", sa.String(length=20), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("occurred_at", UTC, nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("severity", sa.String(length=12), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("reporter_role", sa.String(length=32), nullable=False),
        sa.Column("reported_by", sa.String(length=80), nullable=False),
        sa.Column("reporter_user_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", UTC, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("carrier_due_at", UTC, nullable=True),
        sa.Column("carrier_answer", sa.Text(), nullable=True),
        sa.Column("carrier_answered_at", UTC, nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("penalty_ore", sa.Integer(), nullable=False),
        sa.Column("principal_alerted_at", UTC, nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["booking.id"],
            name=op.f("fk_deviation_booking_id_booking"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation")),
        sa.UniqueConstraint("reference", name=op.f("uq_deviation_reference")),
    )
    op.create_index("ix_deviation_principal_day", "deviation", ["principal_code", "day"])
    for column in ("booking_id", "trip_key", "traveller_id", "carrier_id", "day"):
        op.create_index(op.f(f"ix_deviation_{column}"), "deviation", [column])
    op.create_table(
        "deviation_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deviation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", UTC, nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deviation_id"],
            ["deviation.id"],
            name=op.f("fk_deviation_event_deviation_id_deviation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deviation_event")),
    )
    op.create_index(op.f("ix_deviation_event_deviation_id"), "deviation_event", ["deviation_id"])
    op.create_table(
        "carrier_penalty",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deviation_id", sa.Integer(), nullable=False),
        sa.Column("deviation_ref", sa.String(length=16), nullable=False),
        sa.Column("carrier", sa.String(length=120), nullable=False),
        sa.Column("contract_code", sa.String(length=40), nullable=False),
        sa.Column("principal_code", sa.String(length=16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("severity", sa.String(length=12), nullable=False),
        sa.Column("amount_ore", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=200), nullable=False),
        sa.Column("charged_at", UTC, nullable=False),
        sa.Column("charged_by", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_penalty")),
        sa.UniqueConstraint("deviation_id", name=op.f("uq_carrier_penalty_deviation_id")),
    )
    for column in ("carrier", "principal_code", "day"):
        op.create_index(op.f(f"ix_carrier_penalty_{column}"), "carrier_penalty", [column])
    with op.batch_alter_table("carrier_contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("penalties", sa.JSON(), nullable=True))
    op.create_table(
        "login_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_login_code_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_code")),
    )
    op.create_index(op.f("ix_login_code_user_id"), "login_code", ["user_id"])


def downgrade() -> None:
    op.drop_table("login_code")
    with op.batch_alter_table("carrier_contract", schema=None) as batch_op:
        batch_op.drop_column("penalties")
    op.drop_table("carrier_penalty")
    op.drop_table("deviation_event")
    op.drop_table("deviation")
    op.drop_table("outbox_message")
