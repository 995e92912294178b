"""`samfard solve` and `samfard verify` on small files: exit 0 valid, 1 invalid, 2 bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from planning_fixtures import DATA, problem, request, vehicle

from samfard.cli import main
from samfard.planning import jsonio


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
