"""The fleet proof at the edges of its input and of its time.

Whatever a problem holds, the proof judges what it can and never fails: a vehicle group
with no request left to judge, windows that never close (1e300), services no day can hold.
And `samfard solve` keeps the proof within its time limit, loading CP-SAT (about a second)
before the search, so the same file and limit always get the same judgement.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from planning_fixtures import native, problem, request, vehicle
from test_fleet_bound import HOUR, STRETCHER, stretcher_day

from samfard.cli import main
from samfard.planning import fleet_bound, jsonio
from samfard.planning.fleet_bound import FLEET_SHORT, applies, shortfalls
from samfard.planning.model import Problem, VehicleType, Window
from samfard.planning.solve import plan, plan_with_proof

NEVER = 1e300  # a window that never closes (docs/planning-format.md)


def test_a_request_no_vehicle_reaches_alone_in_its_group_is_no_error() -> None:
    """One taxi; the only request's pickup window closes before the taxi can get there,
    so the taxi's group holds no request the proof could judge (it crashed until
    2026-12-06); the engine gives the reason."""
    day = problem([request("r1", 9, 1, earliest=0.0, latest=60.0)], [vehicle("taxi")])
    assert not applies(day)
    assert shortfalls(day, ["r1"]) == []
    explained = plan_with_proof(day, time_limit_s=30, solver=native(50))
    (left_out,) = explained.solution.unserved
    assert left_out.reason == "window unreachable from depot within shift"


def _never_closing(day: Problem) -> Problem:
    """`day` with every drop-off window and shift open until NEVER."""
    trips = tuple(replace(r, dropoff_window=Window(0.0, NEVER)) for r in day.requests)
    fleet = tuple(replace(v, shift=Window(0.0, NEVER)) for v in day.vehicles)
    return Problem(trips, fleet, day.time, day.distance)


def test_windows_that_never_close_are_judged_as_any_other() -> None:
    """Three stretcher trips at once on two vehicles: at most two, whether the drop-off
    windows and shifts close at the end of the day or never (the model cuts them to the
    group's span, past which no plan needs a stop)."""
    day = _never_closing(stretcher_day([2 * HOUR] * 3))
    assert applies(day)
    (short,) = shortfalls(day, ["s2"])
    assert short.at_most == 2


def test_a_service_no_day_holds_leaves_its_group_unjudged() -> None:
    """A pickup service of 1e300 s: the group's span does not fit the model's integers, so
    the group is not judged, and nothing fails."""
    trips = [
        request("s0", 1, 5, load=(0, 0, 1), pickup_service=NEVER),
        request("s1", 1, 5, load=(0, 0, 1)),
    ]
    day = _never_closing(
        problem(trips, [vehicle("s", capacity=STRETCHER, type=VehicleType.STRETCHER)])
    )
    assert shortfalls(day, ["s0", "s1"]) == []
    result = plan(day, time_limit_s=30, solver=native(50))
    assert result.report.ok


def _stretcher_file(tmp_path: Path) -> Path:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(jsonio.problem_to_json(stretcher_day([2 * HOUR] * 3))))
    return path


def test_a_time_limit_too_short_to_load_the_proof_skips_it_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Below 3 s the proof does not run, whatever the machine's load: the trip the fleet
    cannot carry counts as left out for lack of time (exit 3), and the command says why.
    Until 2026-12-06 CP-SAT was loaded after the search, outside the limit, and the same
    file exited 0 or 3 from run to run."""
    out = tmp_path / "plan.json"
    args = ["solve", str(_stretcher_file(tmp_path)), "-o", str(out), "--iterations", "300"]
    assert main([*args, "--time-limit", "2"]) == 3
    err = capsys.readouterr().err
    assert "the fleet proof did not run: it needs a --time-limit of at least 3 s" in err
    assert main([*args, "--time-limit", "20"]) == 0
    (left_out,) = json.loads(out.read_text())["unserved"]
    assert left_out["reason"].startswith(FLEET_SHORT)


def test_the_proofs_solver_is_loaded_before_the_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So its second of imports counts against the time limit, not after it."""
    calls: list[str] = []
    load = fleet_bound.load_solver
    monkeypatch.setattr(fleet_bound, "load_solver", lambda: (calls.append("load"), load())[1])
    engine = native(300)
    solve = engine.solve
    monkeypatch.setattr(
        engine, "solve", lambda *a, **k: (calls.append("search"), solve(*a, **k))[1]
    )
    day = stretcher_day([2 * HOUR] * 3)
    explained = plan_with_proof(day, time_limit_s=30, solver=engine)
    assert calls[:2] == ["load", "search"]
    (left_out,) = explained.solution.unserved
    assert left_out.reason.startswith(FLEET_SHORT)


def test_no_proof_no_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """A problem the proof cannot judge does not pay for loading CP-SAT."""
    monkeypatch.setattr(fleet_bound, "load_solver", lambda: pytest.fail("loaded CP-SAT"))
    day = problem([request("r1", 9, 1, earliest=0.0, latest=60.0)], [vehicle("taxi")])
    plan_with_proof(day, time_limit_s=30, solver=native(50))
