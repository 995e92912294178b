"""The embedded database holds every personal record, a protected identity's too: its
folder and file are the owner's alone when Samfard makes them (a probe of 2026-12-06
found the file readable by any user of the machine)."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from samfard.db import make_engine


def test_a_new_sqlite_database_and_its_folder_are_for_the_owner_alone(tmp_path: Path) -> None:
    path = tmp_path / "var" / "samfard.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("create table t (x integer)"))
        connection.execute(text("insert into t values (1)"))
    engine.dispose()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    for made in path.parent.iterdir():  # the file, and its -wal and -shm while they exist
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made.name
