"""`samfard rules check`: lists valid rulebooks, and reports a broken file by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from samfard.cli import main
from samfard.rules.loader import SHIPPED_ROOT


def test_check_lists_shipped_rulebooks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", "--on", "2021-06-01"]) == 0
    out = capsys.readouterr().out
    assert "rulebooks/23/sjukresa.toml: Region Jämtland Härjedalen, 2 version(s)" in out
    assert "in force on 2021-06-01: versions[1] from 2021-05-01" in out
    assert "rulebooks/2260/fardtjanst.toml" in out and "none in force on 2021-06-01" in out
    assert "22 rulebook(s) valid" in out


def test_check_reports_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "rulebooks" / "2280"
    folder.mkdir(parents=True)
    text = (SHIPPED_ROOT / "2280" / "fardtjanst.toml").read_text(encoding="utf-8")
    (folder / "fardtjanst.toml").write_text(text.replace("max_km = 16.9", "max_km = 6.9"))
    assert main(["rules", "check", "--root", str(tmp_path / "rulebooks")]) == 2
    err = capsys.readouterr().err
    assert "rulebooks/2280/fardtjanst.toml: versions[0].fee.bands[1].max_km: must be greater" in err
