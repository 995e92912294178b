"""Bad problem and solution files get one line naming what is wrong and exit 2, never a
traceback, and a value of the wrong type is refused, not converted.

Each case below is what a file writer can get wrong in a field the readers take: the JSON
problem (`jsonio`), a solution for `samfard verify`, a Cordeau instance, and the command's
own options. Found by a black-box probe of `samfard solve` and `verify` (2026-12-06): an
objective that was a list, a Cordeau header of nan or inf, a stop at a location outside
the matrices raised Python errors; "0.01" for a number, true for a weight, null for an id
and 2.7 vehicles were read as 0.01, 1.0, "None" and 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from planning_fixtures import DATA, problem, request, vehicle

from samfard.cli import main
from samfard.planning import jsonio

Change = Callable[[dict[str, Any]], None]


def _problem_data() -> dict[str, Any]:
    prob = problem([request("r1", 1, 3), request("r2", 2, 4)], [vehicle("v1")])
    return jsonio.problem_to_json(prob)


def _set(path: str, value: Any) -> Change:
    """A change that sets the field at `path` (keys and list indices, dot-separated)."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = (int(k) if k.isdigit() else k for k in path.split("."))
        target: Any = data
        for key in parents:
            target = target[key]
        target[last] = value

    return change


PROBLEMS = {
    "objective an empty list": (_set("objective", []), "objective"),
    "objective a list of names": (_set("objective", ["distance"]), "objective"),
    "a weight true": (_set("objective", {"time": True}), "objective"),
    "a window of strings": (
        _set("requests.0.pickup_window", ["0", "86400"]),
        "request r1: bad value for pickup_window",
    ),
    "a cost as a string": (
        _set("vehicles.0.cost_per_distance", "0.01"),
        "vehicle v1: bad value for cost_per_distance",
    ),
    "a service as a string": (
        _set("requests.1.pickup_service", "120"),
        "request r2: bad value for pickup_service",
    ),
    "an id null": (_set("requests.0.id", None), "request #0: bad value for id"),
    "an id a list": (_set("vehicles.0.id", ["v"]), "vehicle #0: bad value for id"),
    "dimensions a string": (_set("dimensions", "abc"), "bad value for dimensions"),
    "dimensions twice the same": (
        _set("dimensions", ["seats", "seats", "stretcher"]),
        "dimensions must have distinct names",
    ),
    "a vehicle type not a string": (_set("vehicles.0.type", 3), "bad value for type"),
    "allowed types a string": (
        _set("requests.0.allowed_types", "taxi"),
        "bad value for allowed_types",
    ),
    "a capacity of floats": (_set("vehicles.0.capacity", [3.0, 0, 0]), "bad value for capacity"),
    "a front seat nobody has": (
        lambda d: (_set("requests.0.front_seat", True)(d), _set("vehicles.0.front_seats", 0)(d)),
        "request r1: front_seat is asked for, but every vehicle with room for its load",
    ),
}


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_a_bad_problem_field_exits_2_naming_it(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, expected = PROBLEMS[name]
    data = _problem_data()
    change(data)
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data))
    assert main(["solve", str(path), "-o", str(tmp_path / "plan.json")]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"time": [[0]], ', "the key 'time' appears twice in one object"),
        ('"max_vehicles": NaN, ', "NaN is not a JSON number"),
        ('"note": Infinity, ', "Infinity is not a JSON number"),
    ],
)
def test_json_that_python_reads_but_is_not_one_value_each_is_refused(
    text: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A key twice (JSON keeps the last, silently; a second time matrix was blamed on the
    distance matrix) and NaN or Infinity, which are not JSON."""
    path = tmp_path / "problem.json"
    path.write_text("{" + text + json.dumps(_problem_data())[1:])
    assert main(["solve", str(path), "-o", str(tmp_path / "plan.json")]) == 2
    assert expected in capsys.readouterr().err


@pytest.mark.parametrize("command", ["solve", "verify"])
def test_json_nested_thousands_deep_exits_2_saying_so(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading it ran out of stack and ended in a RecursionError's traceback."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    files = [str(path)] if command == "verify" else ["-o", str(tmp_path / "plan.json")]
    assert main([command, str(path), *files]) == 2
    err = capsys.readouterr().err
    assert "nests arrays or objects too deep" in err
    assert len(err.strip().splitlines()) == 1


def test_a_byte_order_mark_is_read_in_every_file(tmp_path: Path) -> None:
    """JSON problems, solutions and Cordeau instances alike."""
    bom = b"\xef\xbb\xbf"
    path, out = tmp_path / "problem.json", tmp_path / "plan.json"
    path.write_bytes(bom + json.dumps(_problem_data()).encode())
    assert main(["solve", str(path), "-o", str(out), "--iterations", "50"]) == 0
    out.write_bytes(bom + out.read_bytes())
    assert main(["verify", str(path), str(out)]) == 0
    instance = tmp_path / "a2-16.txt"
    instance.write_bytes(bom + (DATA / "a2-16.txt").read_bytes())
    args = ["solve", str(instance), "-o", str(out), "--format", "cordeau", "--iterations", "50"]
    assert main(args) == 0


SOLUTIONS = {
    "a stop outside the matrices": (
        _set("routes.0.stops.1.location", 99),
        "route #0 (vehicle v1), stop #1: location 99 is not a location of the problem",
    ),
    "a stop at a negative location": (_set("routes.0.stops.1.location", -1), "location -1"),
    "a stop that is not an object": (
        _set("routes.0.stops.1", 5),
        "stop #1: expected an object with kind",
    ),
    "routes an object": (_set("routes", {}), "bad value for routes"),
    "a time as a string": (_set("routes.0.stops.1.time", "600"), "bad value for time"),
    "a stop kind unknown": (_set("routes.0.stops.1.kind", "fly"), "expected one of start"),
    "a cost as a string": (_set("cost", "400"), "bad value for cost"),
}


@pytest.mark.parametrize("name", sorted(SOLUTIONS))
def test_a_bad_solution_field_exits_2_naming_it(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change, expected = SOLUTIONS[name]
    path, out = tmp_path / "problem.json", tmp_path / "plan.json"
    path.write_text(json.dumps(_problem_data()))
    assert main(["solve", str(path), "-o", str(out), "--iterations", "50"]) == 0
    data = json.loads(out.read_text())
    change(data)
    out.write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["verify", str(path), str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1


A2_16_HEADER = "2 16 480 3 30"


def _cordeau(
    header: str = A2_16_HEADER, node: int = 1, fields: dict[int, str] | None = None
) -> str:
    """a2-16 with another header, or with some fields of one node line changed."""
    lines = (DATA / "a2-16.txt").read_text().splitlines()
    lines[0] = header
    parts = lines[node + 1].split()
    for k, value in (fields or {}).items():
        parts[k] = value
    lines[node + 1] = " ".join(parts)
    return "\n".join(lines) + "\n"


CORDEAU = {
    "K nan": (_cordeau("nan 16 480 3 30"), "K (vehicles, the header's first value) must be an"),
    "K inf": (_cordeau("inf 16 480 3 30"), "must be an integer, got inf"),
    "K 2.7": (_cordeau("2.7 16 480 3 30"), "must be an integer, got 2.7"),
    "Q nan": (_cordeau("2 16 480 nan 30"), "Q (capacity, the header's fourth value)"),
    "T inf": (_cordeau("2 16 inf 3 30"), "T (route duration, the header's third value)"),
    "L nan": (_cordeau("2 16 480 3 nan"), "L (ride time, the header's fifth value)"),
    "a load inf": (_cordeau(fields={4: "inf"}), "node line 3 (node 1): the load must be"),
    "a load 1.5": (_cordeau(fields={4: "1.5"}), "the load must be an integer, got 1.5"),
    "an x nan": (_cordeau(fields={1: "nan"}), "node line 3 (node 1): x must be a finite"),
    "a window backwards": (
        _cordeau(node=17, fields={5: "900", 6: "800"}),
        "node 17 (the drop-off of request 1): time window ends at 800, before it starts at 900",
    ),
}


@pytest.mark.parametrize("name", sorted(CORDEAU))
def test_a_bad_cordeau_value_exits_2_naming_it(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, expected = CORDEAU[name]
    path = tmp_path / "instance.txt"
    path.write_text(text)
    args = ["solve", str(path), "-o", str(tmp_path / "plan.json"), "--format", "cordeau"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("limit", ["inf", "nan", "-1", "0"])
def test_the_time_limit_must_be_finite_and_positive(
    limit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(_problem_data()))
    assert main(["solve", str(path), "-o", str(tmp_path / "x.json"), "--time-limit", limit]) == 2
    assert "time_limit must be a finite number of seconds above 0" in capsys.readouterr().err
