"""driver reports, the change feed, jobs, and Procrastinate's queue on PostgreSQL

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-01 14:30:00

* `stop_event`: reports from the vehicle (arrived, picked up, no-show, dropped off,
  position), one per client event id (dispatch/driver).
* `change_feed`: what changed in the live day, read by the server-sent event streams of
  every process (samfard.changes).
* `job`: background jobs and their progress, visible to every process (samfard.jobs).
* On PostgreSQL, Procrastinate's own tables and functions (the schema bundled with the
  installed procrastinate package), so workers and API processes share one queue. A newer
  procrastinate that changes its schema needs its migration in a Samfard migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import samfard.db

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stop_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_event_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("stop_id", sa.Integer(), nullable=True),
        sa.Column("stop_kind", sa.String(length=8), nullable=True),
        sa.Column("leg_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("at_vehicle", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stop_event")),
        sa.UniqueConstraint("client_event_id", name=op.f("uq_stop_event_client_event_id")),
    )
    for column in ("service_date", "vehicle_id", "run_id", "leg_id", "booking_id"):
        op.create_index(op.f(f"ix_stop_event_{column}"), "stop_event", [column])
    op.create_table(
        "change_feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_feed")),
    )
    op.create_index(op.f("ix_change_feed_topic"), "change_feed", ["topic"])
    op.create_table(
        "job",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("done", sa.Float(), nullable=False),
        sa.Column("message", sa.String(length=200), nullable=False),
        sa.Column("step_started_at", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("step_expected_s", sa.Float(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", samfard.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", samfard.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("runner", sa.String(length=120), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    op.create_index(op.f("ix_job_kind"), "job", ["kind"])
    op.create_index(op.f("ix_job_state"), "job", ["state"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from procrastinate.schema import SchemaManager

        bind.exec_driver_sql(SchemaManager.get_schema().replace("%", "%%"))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        bind.exec_driver_sql(
            "DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, "
            "procrastinate_jobs, procrastinate_workers CASCADE"
        )
        functions = bind.exec_driver_sql(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%%'"
        ).scalars()
        for signature in list(functions):
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {signature} CASCADE")
        bind.exec_driver_sql(
            "DROP TYPE IF EXISTS procrastinate_job_to_defer_v1, procrastinate_job_event_type, "
            "procrastinate_job_status CASCADE"
        )
    op.drop_table("job")
    op.drop_table("change_feed")
    op.drop_table("stop_event")
