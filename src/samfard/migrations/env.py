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
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters most tables by copying them (alembic's batch mode), and dropping the
        # old copy of a table other rows refer to fails while foreign keys are enforced.
        # The pragma only takes effect outside a transaction, so it is set on the driver's
        # connection before alembic begins one; the keys are checked when it has finished.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    if sqlite:
        driver = connection.connection.driver_connection
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()  # type: ignore[union-attr]
        driver.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
        if broken:
            raise RuntimeError(
                f"the migration left rows whose foreign keys point nowhere: {broken}"
            )
engine.dispose()
