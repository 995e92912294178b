"""`samfard fleet-demo` and `samfard plan` on a fresh SQLite file.

The command plans as of the machine's clock, so its day is tomorrow's (a day already over
is refused: a plan is made before its day)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from samfard.cli import main
from samfard.config import get_settings
from samfard.db import make_engine, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM

DAY = datetime.now(STOCKHOLM).date() + timedelta(days=1)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    get_settings.cache_clear()
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        load_reference_data(session=session)
        load_day(session=session, demo=generate_day(DAY, seed=3, trips=20))
        session.commit()
    engine.dispose()
    yield url
    get_settings.cache_clear()


def test_plan_command_prints_vehicles_km_coordination_and_unserved(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "--date", str(DAY), "--time-limit", "1"]) == 2
    assert "samfard fleet-demo" in capsys.readouterr().err
    assert main(["fleet-demo", "--scale", "0.2"]) == 0
    assert "demo vehicles added" in capsys.readouterr().out
    assert main(["plan", "--date", str(DAY), "--time-limit", "1", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert f"plan version 1 of {DAY} stored" in out
    for label in ("vehicles used", "kilometres", "passengers per vehicle trip", "unserved legs"):
        assert label in out
    assert main(["plan", "--date", str(DAY), "--time-limit", "1"]) == 0
    assert "plan version 2" in capsys.readouterr().out


def test_plan_command_refuses_a_day_that_is_over(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["fleet-demo", "--scale", "0.2"]) == 0
    yesterday = DAY - timedelta(days=2)
    assert main(["plan", "--date", str(yesterday), "--time-limit", "1"]) == 2
    assert "a day is planned before it is over" in capsys.readouterr().err
    # Planned as at a moment before it, as a past day is planned again to compare.
    before = f"{yesterday - timedelta(days=1)}T18:00"
    assert main(["plan", "--date", str(yesterday), "--time-limit", "1", "--as-of", before]) == 0
    assert f"plan version 1 of {yesterday} stored" in capsys.readouterr().out


def test_plan_command_refuses_a_bad_time_limit(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plan", "--date", str(DAY), "--time-limit", "0"]) == 2
    assert "--time-limit" in capsys.readouterr().err
