"""`samfard solve` and `samfard verify` on small files: exit 0 valid, 1 invalid, 2 bad file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from planning_fixtures import DATA, problem, request, vehicle

from samfard.cli import main
from samfard.planning import jsonio
from samfard.planning.model import Solution


@pytest.fixture
def problem_file(tmp_path: Path) -> Path:
    prob = problem([request("r1", 1, 3), request("r2", 2, 4)], [vehicle("v1")])
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(jsonio.problem_to_json(prob)))
    return path


def test_solve_then_verify_json(problem_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "solution.json"
    args = ["solve", str(problem_file), "-o", str(out), "--time-limit", "5"]
    assert main([*args, "--solution-limit", "50"]) == 0
    assert json.loads(out.read_text())["unserved"] == []
    assert main(["verify", str(problem_file), str(out)]) == 0


def test_verify_reports_a_tampered_plan(
    problem_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "solution.json"
    main(["solve", str(problem_file), "-o", str(out), "--solution-limit", "50"])
    data = json.loads(out.read_text())
    data["routes"][0]["stops"][1]["time"] = 0.0  # cannot reach the first pickup at once
    out.write_text(json.dumps(data))
    assert main(["verify", str(problem_file), str(out)]) == 1
    assert "travel_time" in capsys.readouterr().err


def test_bad_problem_file_names_request_and_field(
    problem_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(problem_file.read_text())
    data["requests"][1]["dropoff_window"] = [5000, 10]
    problem_file.write_text(json.dumps(data))
    assert main(["solve", str(problem_file), "-o", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "request r2: dropoff_window" in err


def test_unreadable_json_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["verify", str(broken), str(broken)]) == 2


def test_cordeau_solve_and_verify(tmp_path: Path) -> None:
    out = tmp_path / "a2-16.json"
    instance = str(DATA / "a2-16.txt")
    args = ["solve", instance, "-o", str(out), "--format", "cordeau", "--time-limit", "4"]
    assert main(args) == 0
    data = json.loads(out.read_text())
    assert data["routes"][0]["stops"][0]["node"] == 0
    assert data["routes"][0]["stops"][-1]["node"] == 33
    assert main(["verify", instance, str(out), "--format", "cordeau"]) == 0


def test_summary_says_served_and_unserved(
    problem_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "solution.json"
    assert main(["solve", str(problem_file), "-o", str(out), "--iterations", "50"]) == 0
    assert (
        "served 2 of 2 requests on 1 routes, "
        "unserved 0 (0 for lack of time, 0 beyond what the fleet can carry)"
    ) in capsys.readouterr().out


@pytest.mark.parametrize("engine", ["native", "ortools"])
def test_both_engines_from_the_command_line(
    engine: str, problem_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "solution.json"
    args = ["solve", str(problem_file), "-o", str(out), "--engine", engine]
    assert main([*args, "--iterations", "50"]) == 0
    assert main(["verify", str(problem_file), str(out)]) == 0


def test_servable_requests_left_out_for_lack_of_time_exit_3(
    problem_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An engine stopped by the clock before placing r2: the plan is written, but the
    command says so and exits 3, so no script takes it for a finished plan."""
    from samfard.planning import solve as solve_module
    from samfard.planning.engine import NOT_INSERTED
    from samfard.planning.model import Unserved

    real_plan = solve_module.plan

    def hurried(problem: Any, **kwargs: Any) -> Any:
        result = real_plan(problem, **kwargs)
        kept = tuple(r for r in result.solution.routes if "r2" not in r.request_ids())
        stopped = Solution(kept, (Unserved("r2", NOT_INSERTED),), 0.0)
        return type(result)(stopped, result.report)

    monkeypatch.setattr(solve_module, "plan", hurried)
    out = tmp_path / "solution.json"
    assert main(["solve", str(problem_file), "-o", str(out), "--iterations", "20"]) == 3
    captured = capsys.readouterr()
    assert "unserved 1 (1 for lack of time, 0 beyond what the fleet can carry)" in captured.out
    assert "not planned within the time limit" in captured.err


def test_time_limit_must_be_positive(problem_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "solution.json"
    assert main(["solve", str(problem_file), "-o", str(out), "--time-limit", "0"]) == 2


def test_older_cordeau_layout_reads_like_the_current_one(tmp_path: Path) -> None:
    """Older files: header `K 2n T Q L` and nodes 0..2n, no end-depot line."""
    lines = (DATA / "a2-16.txt").read_text().strip().splitlines()
    header = lines[0].split()
    header[1] = str(2 * int(header[1]))
    older = tmp_path / "a2-16-old.txt"
    older.write_text("\n".join([" ".join(header), *lines[1:-1]]) + "\n")
    from samfard.planning import cordeau

    assert cordeau.read(older) == cordeau.read(DATA / "a2-16.txt")
    out = tmp_path / "old.json"
    args = ["solve", str(older), "-o", str(out), "--format", "cordeau", "--iterations", "200"]
    assert main(args) == 0
    assert main(["verify", str(older), str(out), "--format", "cordeau"]) == 0
