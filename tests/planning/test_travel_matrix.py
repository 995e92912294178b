"""Travel matrices: one read-only array, 32 bits when exact, read by Python and the core alike;
problem files whose matrices are read straight into it."""

from __future__ import annotations

import dataclasses
import json
import pickle
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from planning_fixtures import a2_16, problem, request, vehicle

from samfard.errors import InputError
from samfard.planning import jsonio
from samfard.planning.model import matrix
from samfard.planning.native_engine import NativeEngine, NativeSettings
from samfard.planning.travel_matrix import TravelMatrix
from samfard.planning.verifier import verify


def test_whole_seconds_are_kept_in_32_bits_and_read_as_python_floats() -> None:
    m = matrix([[0, 600], [1200.0, 0]])
    assert m.array.dtype == np.float32
    assert m[1][0] == 1200.0 and type(m[1][0]) is float
    assert [list(row) for row in m] == [[0.0, 600.0], [1200.0, 0.0]]
    assert not m.array.flags.writeable


def test_values_not_exact_in_32_bits_stay_in_64() -> None:
    third = 1 / 3
    m = matrix([[0.0, third], [third, 0.0]])
    assert m.array.dtype == np.float64
    assert m[0][1] == third


def test_equal_matrices_compare_and_hash_equal_and_survive_pickling() -> None:
    a = matrix([[0, 1], [2, 0]])
    b = TravelMatrix(np.array([[0, 1], [2, 0]], dtype=np.int32))
    assert a == b and hash(a) == hash(b)
    assert a == ((0.0, 1.0), (2.0, 0.0))
    assert a != matrix([[0, 1], [3, 0]])
    again = pickle.loads(pickle.dumps(a))
    assert again == a and again.array.dtype == a.array.dtype
    assert repr(a) == "TravelMatrix(2x2, float32)"


def test_a_caller_cannot_change_the_matrix_behind_the_model() -> None:
    source = np.array([[0.0, 5.0], [5.0, 0.0]])
    m = TravelMatrix(source)
    source[0, 1] = 99.0
    assert m[0][1] == 5.0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([[0, 1], [1]], "row 1 has 1 values"),
        ([[0, "x"], [1, 0]], r"time\[0\]\[1\] must be a number"),
        ([[0, 1], [float("nan"), 0]], r"time\[1\]\[0\] must be a finite number >= 0"),
        (np.zeros((2, 3)), "must be square"),
        (np.array([[0, 1j], [1, 0]]), "must hold numbers"),
    ],
)
def test_bad_matrices_name_the_entry(rows: object, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        TravelMatrix(rows, name="time")
    assert caught.value.field == "time"


def test_the_engine_reads_32_and_64_bit_matrices_alike() -> None:
    """The same whole numbers handed to the core in 32 and in 64 bits give the same plan."""
    base = a2_16()
    assert base.time.array.dtype == np.float64  # Euclidean: not exact in 32 bits
    narrow = TravelMatrix(np.rint(base.time.array * 60))  # whole "seconds"
    assert narrow.array.dtype == np.float32
    wide = TravelMatrix(narrow.array)
    wide.array = np.array(narrow.array, dtype=np.float64)  # what the core reads

    def cost(m: TravelMatrix) -> float:
        p = dataclasses.replace(base, time=m, distance=m)
        settings_ = NativeSettings(iterations=300, clock="none")
        solution = NativeEngine(settings_).solve(p, time_limit_s=30, seed=3)
        assert verify(p, solution).ok
        return solution.cost

    assert cost(narrow) == cost(wide)


def _write(path: Path, data: object, *, indent: int | None = None) -> Path:
    path.write_text(json.dumps(data, indent=indent))
    return path


def test_a_problem_file_reads_as_json_does(tmp_path: Path) -> None:
    p = problem([request("r1", 1, 3), request("r2", 2, 4)], [vehicle("v1", depot=5)])
    data = jsonio.problem_to_json(p)
    # Keys that look like the matrices' where they are not: in strings, deeper objects.
    data["note"] = 'not "time": [[1, 2]] here, nor \\"distance\\" ['
    data["objective"] = {"distance": 1.0, "time": 0.5, "fixed": 1.0}
    for indent in (None, 2):
        path = _write(tmp_path / f"p{indent}.json", data, indent=indent)
        read = jsonio.read_problem(path)
        assert read == jsonio.problem_from_json(data)
        assert read.time == p.time and read.distance == p.distance


def test_a_problem_written_row_by_row_reads_back_equal(tmp_path: Path) -> None:
    p = problem([request("r1", 1, 3), request("r2", 2, 4)], [vehicle("v1", depot=5)])
    path = tmp_path / "written.json"
    jsonio.write_problem(p, path)
    assert json.loads(path.read_text()) == jsonio.problem_to_json(p)
    assert jsonio.read_problem(path) == p
    wide = dataclasses.replace(p, time=np.asarray(p.time.array) + 0.1)
    jsonio.write_problem(wide, path)
    assert jsonio.read_problem(path) == wide


@settings(max_examples=40, deadline=None)
@given(
    size=st.integers(min_value=1, max_value=9),
    chunk=st.integers(min_value=1, max_value=64),
    seed=st.integers(min_value=0, max_value=10_000),
    kind=st.sampled_from(["whole", "fractions", "whole then a fraction"]),
)
def test_any_chunking_reads_the_same_numbers(
    size: int, chunk: int, seed: int, kind: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Numbers cut anywhere by the reading chunks, integers and floats in any notation; a
    matrix read in 32 bits until its last entry turns out not to be exact in them."""
    rng = random.Random(seed)

    def entry() -> float:
        if kind != "fractions":
            return float(rng.randrange(0, 100_000))
        return rng.choice([rng.random() * 10 ** rng.randint(-8, 8), rng.uniform(0, 3)])

    rows = [[entry() for _ in range(size)] for _ in range(size)]
    if kind == "whole then a fraction":
        rows[-1][-1] = 0.1
    text = json.dumps(rows).replace("e-0", "E-0")
    vehicle = {"id": "v", "capacity": [1, 0, 0], "shift": [0, 100]}
    vehicles = json.dumps([vehicle | {"start_depot": 0, "end_depot": 0}])
    body = f'{{"requests": [], "vehicles": {vehicles}, "time": {text},\n"distance": {text}}}'
    path = tmp_path_factory.mktemp("c") / "p.json"
    path.write_text(body)
    old = jsonio._CHUNK
    jsonio._CHUNK = chunk
    try:
        read = jsonio.read_problem(path)
    finally:
        jsonio._CHUNK = old
    expected = np.array(json.loads(text), dtype=np.float64)
    assert np.array_equal(read.time.array.astype(np.float64), expected)
    assert read.time.array.dtype == (np.float32 if kind == "whole" else np.float64)
    assert read.distance == read.time


@pytest.mark.parametrize(
    ("matrix_text", "message"),
    [
        ("[[0, 1], [1]]", "time matrix row 1 has 1 values, expected 2"),
        ("[[0, 1], [1, 0, 5]]", "time matrix row 1 has more than 2 values"),
        ("[[0, 1, 2], [1, 0, 2]]", "time matrix has 2 rows and 3 columns"),
        ('[[0, "a"], [1, 0]]', r"time matrix \[0\]\[1\] must be a number"),
        ("[[0, null], [1, 0]]", r"time matrix \[0\]\[1\] must be a number"),
        ("[[0, NaN], [1, 0]]", r"time matrix \[0\]\[1\] must be a number"),
        ("[[0, 1,], [1, 0]]", "has a ',' before the ']' of row 0"),
        ("[[0 1], [1, 0]]", "two numbers without a ','"),
        ("[0, 1]", "must be a list of rows of numbers"),
        ("[[0, [1]], [1, 0]]", "must be a list of rows of numbers"),
        ("[[0, -1], [1, 0]]", r"time\[0\]\[1\] must be a finite number >= 0"),
        ("[[0, 1e999], [1, 0]]", r"time matrix \[0\]\[1\] must be a number, got 1e999"),
    ],
)
def test_a_bad_matrix_in_a_file_is_named(tmp_path: Path, matrix_text: str, message: str) -> None:
    body = (
        f'{{"requests": [], "vehicles": [], "time": {matrix_text}, "distance": [[0, 1], [1, 0]]}}'
    )
    path = tmp_path / "bad.json"
    path.write_text(body)
    with pytest.raises(InputError, match=message) as caught:
        jsonio.read_problem(path)
    assert caught.value.field == "time"


def test_a_file_cut_inside_a_matrix_or_not_json_is_refused(tmp_path: Path) -> None:
    cut = tmp_path / "cut.json"
    cut.write_text('{"requests": [], "vehicles": [], "time": [[0, 1], [1')
    with pytest.raises(InputError, match="time matrix ends inside the matrix"):
        jsonio.read_problem(cut)
    broken = tmp_path / "broken.json"
    broken.write_text('{"requests": [], "vehicles": [],\n"time": [[0]], "distance": [[0]] oops}')
    with pytest.raises(InputError, match="is not valid JSON: .*line 2"):
        jsonio.read_problem(broken)
    listed = tmp_path / "list.json"
    listed.write_text('[{"time": [[0]]}]')
    with pytest.raises(InputError, match="problem JSON must be an object"):
        jsonio.read_problem(listed)
