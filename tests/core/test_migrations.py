"""Migrations from empty, and the refusal to serve an unmigrated database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from samfard import all_models  # noqa: F401
from samfard.app import create_app
from samfard.config import Settings
from samfard.db import Base, NotMigrated, current_revision, head_revision, make_engine, upgrade


def test_migrations_from_empty_create_every_table(database_url: str) -> None:
    """The session database was migrated from empty by the fixture: every mapped table is
    there, at the head revision, on each backend."""
    engine = make_engine(database_url)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    upgrade(database_url)  # a second upgrade is a no-op
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_server_refuses_an_unmigrated_database_and_names_the_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(NotMigrated, match="samfard db upgrade"):
        create_app(Settings(database_url=url))
    upgrade(url)
    assert create_app(Settings(database_url=url)) is not None
