"""docs/rules.md stays true: its example version loads as written, its code example runs."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

from samfard.rules import Service
from samfard.rules.loader import SHIPPED_ROOT, load_rulebooks
from samfard.rules.schema import NartrafikVersion

DOC = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")


def test_example_version_appends_cleanly(tmp_path: Path) -> None:
    """The documented närtrafik version is valid and in force from its date."""
    block = re.search(r"<!-- example: RKM-23/nartrafik.toml -->\n```toml\n(.*?)```", DOC, re.S)
    assert block is not None
    folder = tmp_path / "rulebooks" / "RKM-23"
    folder.mkdir(parents=True)
    original = (SHIPPED_ROOT / "RKM-23" / "nartrafik.toml").read_text(encoding="utf-8")
    (folder / "nartrafik.toml").write_text(original + "\n" + block.group(1), encoding="utf-8")
    book = load_rulebooks(tmp_path / "rulebooks").get("RKM-23", Service.NARTRAFIK)
    index, version = book.version_on(date(2027, 1, 1))
    assert isinstance(version, NartrafikVersion)
    assert (index, version.service.windows[0].start) == (1, time(8, 0))
    assert book.version_on(date(2026, 12, 31))[0] == 0


def test_code_example_runs() -> None:
    """The 'Calling the engine' snippet assesses a taxi dialysis trip automatically."""
    code = re.search(r"## Calling the engine\n\n```python\n(.*?)```", DOC, re.S)
    assert code is not None
    scope: dict[str, object] = {}
    exec(code.group(1), scope)
    decision = scope["decision"]
    assert decision.outcome.value == "automatic"  # type: ignore[attr-defined]
    assert decision.fee_ore == 40000  # type: ignore[attr-defined]
    assert decision.tolerance.max_extra_ride_min == 45  # type: ignore[attr-defined]
