"""Alembic environment: migrates the database named by the config or SAMFARD_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from samfard import all_models  # noqa: F401  (registers every table)
from samfard.config import get_settings
from samfard.db import Base, make_engine

config = context.config
url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
engine = make_engine(url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
