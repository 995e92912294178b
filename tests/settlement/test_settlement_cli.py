"""`samfard contracts load`, `samfard settle` and `samfard report` on a fresh SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from report_month import load_month
from settlement_fixtures import DAY
from sqlalchemy.orm import Session

from samfard.cli import main
from samfard.config import get_settings
from samfard.db import make_engine, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.reference import load_reference_data


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    get_settings.cache_clear()
    upgrade(url)
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        load_reference_data(session=session)
        session.commit()
        load_month(session)
    engine.dispose()
    yield url
    get_settings.cache_clear()


def test_report_command_writes_html_pdf_and_csv(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["report", "--month", "2026-10", "--principal", "23", "-o", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"manadsrapport-23-2026-10.{ext}" for ext in ("csv", "html", "pdf")]
    assert (out / "manadsrapport-23-2026-10.pdf").read_bytes().startswith(b"%PDF")
    csv = (out / "manadsrapport-23-2026-10.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf"), "the same bytes as the download, mark first"
    assert "1000,00" in csv.decode("utf-8-sig")
    assert "Total kostnad" in (out / "manadsrapport-23-2026-10.html").read_text(encoding="utf-8")


def test_report_command_for_an_empty_month_says_the_amounts_are_zero(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--month", "2026-02", "--principal", "23", "-o", str(tmp_path)]) == 0
    assert "alla belopp är noll" in capsys.readouterr().out


def test_report_command_refuses_a_malformed_month(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--month", "oktober", "--principal", "23"]) == 2
    assert "2026-10" in capsys.readouterr().err


def test_contracts_load_then_plan_and_settle_a_day(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["contracts", "load"]) == 0
    assert "JH-TAXI-2026" in capsys.readouterr().out
    assert main(["contracts", "load"]) == 0
    assert "stored already" in capsys.readouterr().out
    engine = make_engine(database)
    with Session(engine, expire_on_commit=False) as session:
        load_day(session=session, demo=generate_day(DAY, seed=3, trips=20))
    engine.dispose()
    assert main(["settle", "--date", str(DAY)]) == 2
    assert "samfard plan" in capsys.readouterr().err
    assert main(["fleet-demo", "--scale", "0.2"]) == 0
    evening = f"{DAY - timedelta(days=1)}T18:00"  # the day is planned the evening before
    assert main(["plan", "--date", str(DAY), "--time-limit", "1", "--as-of", evening]) == 0
    capsys.readouterr()
    assert main(["settle", "--date", str(DAY)]) == 0
    out = capsys.readouterr().out
    assert f"settled {DAY} (plan version 1)" in out and "saving" in out


def test_kpi_commands_set_what_the_report_shows(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = ["kpi", "target", "--principal", "23", "--year", "2026", "--kpi", "punctuality"]
    assert main([*target, "--value", "95", "--comment", "Avtalets nivå"]) == 0
    assert "target 95 %, higher is better" in capsys.readouterr().out
    comment = ["kpi", "comment", "--principal", "23", "--month", "2026-10", "--kpi"]
    assert main([*comment, "cost_per_trip", "--text", "Två långa resor."]) == 0
    assert main(["kpi", "list", "--principal", "23", "--year", "2026"]) == 0
    assert "23 2026 punctuality: target 95 %" in capsys.readouterr().out
    assert main(["report", "--month", "2026-10", "--principal", "23", "-o", str(tmp_path)]) == 0
    page = (tmp_path / "manadsrapport-23-2026-10.html").read_text(encoding="utf-8")
    assert "<td>95,00 %</td>" in page and "Två långa resor." in page
    assert main([*target, "--value", "many"]) == 2
    assert "must be a number" in capsys.readouterr().err
