"""The day simulator: the figures the issue asks for, the same for the same seed, and no
promise broken without the controller alerted (on a small day, quick enough for a test;
the 600-trip day is measured in benchmarks/)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from samfard.cli import main
from samfard.dispatch.sim_jobs import simulate_task
from samfard.dispatch.simulator import SimSettings, simulate
from samfard.errors import InputError

DAY = date(2026, 11, 23)
KEYS = {
    "events",
    "on_time_share",
    "late_p90_min",
    "promises_broken",
    "promises_broken_unflagged",
    "replans",
    "cost_kr",
    "morning_cost_kr",
}


def _without_timing(figures: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in figures.items() if "seconds" not in k}


def test_a_simulated_day_is_reproducible_and_every_broken_promise_was_alerted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "day.json"
    args = ["simulate", "--date", DAY.isoformat(), "--seed", "3", "--trips", "60"]
    assert main([*args, "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "on-time share" in printed and "without an alert" in printed
    first = json.loads(out.read_text(encoding="utf-8"))
    assert set(first) >= KEYS
    assert first["events"] > 60, "every stop reported is an event"
    assert first["promises_broken_unflagged"] == 0
    assert 0 <= first["on_time_share"] <= 1
    counts = first["counts"]
    assert counts["late_cancellations"] + counts["no_shows"] + counts["same_day_booked"] > 0
    assert counts["declined_runs"] >= 0 and counts["offers"] > 0
    again = simulate(SimSettings(day=DAY, seed=3, trips=60)).as_json()
    assert _without_timing(again) == _without_timing(first), "same seed, same day"


def test_settings_are_checked_where_they_are_made() -> None:
    with pytest.raises(InputError, match="speed"):
        SimSettings(day=DAY, speed=-1)
    with pytest.raises(InputError, match="no_show"):
        SimSettings(day=DAY, no_show=0.9)


def test_a_simulations_bar_runs_forward_step_by_step() -> None:
    """Each report's step ends where the next report starts (the setup at the replay's
    first hour, each hour at the next), so the page's bar never steps back."""
    seen: list[tuple[float, float]] = []
    simulate_task(
        sessions=None,  # type: ignore[arg-type]  # the simulator has a database of its own
        day=DAY.isoformat(),
        seed=3,
        trips=30,
        report=lambda done, message, expected, until=0.95: seen.append((done, until)),
    )
    assert len(seen) > 5 and seen == sorted(seen)
    assert all(
        until <= after + 1e-9 for (_, until), (after, _) in zip(seen, seen[1:], strict=False)
    )
