"""A migrated SQLite file with the principals, for tests that run the `samfard` command."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from samfard.config import get_settings
from samfard.db import make_engine, upgrade
from samfard.reference import load_reference_data


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The command's database (SAMFARD_DATABASE_URL) for the test, migrated and loaded."""
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    get_settings.cache_clear()
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference_data(session=session)
        session.commit()
    engine.dispose()
    yield url
    get_settings.cache_clear()
