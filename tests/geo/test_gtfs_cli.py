"""`samfard gtfs`: the demo feed written out passes `check`, a broken feed is refused with
exit 2 and its problem, and `plan` prints a journey or says there is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from samfard.cli import main


def test_demo_then_check_then_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "demo.zip"
    assert main(["gtfs", "demo", "-o", str(feed)]) == 0
    assert main(["gtfs", "check", str(feed), "--on", "2026-11-25"]) == 0
    out = capsys.readouterr().out
    assert "valid; 282 stops" in out and "trips run on 2026-11-25" in out
    code = main(
        ["gtfs", "plan", "63.1767,14.6361", "63.171,14.659", "--arrive-by",
         "2026-11-25T10:00", "--feed", str(feed)]
    )  # fmt: skip
    assert code == 0
    assert "Östersunds sjukhus" in capsys.readouterr().out
    nowhere = ["gtfs", "plan", "63.12,14.74", "63.171,14.659", "--depart-after",
               "2026-11-25T10:00", "--feed", str(feed)]  # fmt: skip
    assert main(nowhere) == 1
    assert "no journey" in capsys.readouterr().out


def test_a_broken_feed_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "agency.txt").write_text("agency_name\nX\n", encoding="utf-8")
    assert main(["gtfs", "check", str(tmp_path)]) == 2
    assert "stops.txt is missing" in capsys.readouterr().err
