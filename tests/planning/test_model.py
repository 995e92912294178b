"""Bad problems are refused where they are made, with the request or vehicle and the field."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from planning_fixtures import problem, request, vehicle

from samfard.errors import InputError
from samfard.planning.model import Request, Window, matrix


def test_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InputError, match="before it starts"):
        Window(900.0, 800.0)


def test_load_larger_than_every_vehicle_names_request_and_load() -> None:
    with pytest.raises(InputError, match="request r1: load") as caught:
        problem([request("r1", 1, 2, load=(1, 0, 2))], [vehicle("v1", capacity=(3, 1, 1))])
    assert caught.value.field == "load"


def test_load_with_wrong_dimension_count_is_refused() -> None:
    with pytest.raises(InputError, match="request r1: load has 2 values") as caught:
        problem([request("r1", 1, 2, load=(1, 0))], [vehicle("v1")])
    assert caught.value.field == "load"


def test_matrix_shape_mismatch_is_refused() -> None:
    base = problem([request("r1", 1, 2)], [vehicle("v1")])
    short = matrix([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(InputError, match="distance matrix must be square") as caught:
        dataclasses.replace(base, distance=short)
    assert caught.value.field == "distance"


def test_negative_travel_time_is_refused() -> None:
    base = problem([request("r1", 1, 2)], [vehicle("v1")])
    rows = [list(row) for row in base.time]
    rows[1][2] = -5.0
    with pytest.raises(InputError, match=r"time\[1\]\[2\] must be a finite number >= 0") as caught:
        dataclasses.replace(base, time=rows)
    assert caught.value.field == "time"


def test_location_outside_the_matrix_names_the_field() -> None:
    with pytest.raises(InputError, match="request r1: dropoff location 42") as caught:
        problem([request("r1", 1, 42)], [vehicle("v1")])
    assert caught.value.field == "dropoff"


def test_depot_outside_the_matrix_names_the_vehicle() -> None:
    with pytest.raises(InputError, match="vehicle v1: start_depot 99"):
        problem([request("r1", 1, 2)], [vehicle("v1", depot=99)])


def test_duplicate_request_ids_are_refused() -> None:
    with pytest.raises(InputError, match="request id r1 appears twice"):
        problem([request("r1", 1, 2), request("r1", 2, 3)], [vehicle("v1")])


def test_promise_outside_the_pickup_window_is_refused() -> None:
    with pytest.raises(InputError, match="request r1: promised pickup") as caught:
        request("r1", 1, 2, earliest=1000.0, latest=2000.0, promised_pickup=Window(0.0, 500.0))
    assert caught.value.field == "promised_pickup"


def test_empty_load_is_refused() -> None:
    with pytest.raises(InputError, match="request r1: load"):
        Request("r1", 1, 2, Window(0, 1), Window(0, 1), load=(0, 0, 0))


def test_promise_narrows_the_effective_pickup_window() -> None:
    r = request("r1", 1, 2, earliest=0.0, latest=5000.0, promised_pickup=Window(1000.0, 9000.0))
    assert r.effective_pickup_window == Window(1000.0, 5000.0)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: request("r1", 1, 2, load=(2**31, 0, 0)), "load"),
        (lambda: vehicle("v1", capacity=(10**30, 0, 0)), "capacity"),
        (lambda: vehicle("v1", front_seats=2**40), "front_seats"),
    ],
)
def test_counts_beyond_a_million_are_refused_with_their_field(build: Any, field: str) -> None:
    """The compiled core counts places in 32-bit integers: a larger count was an
    unhandled `std::bad_cast` in every engine that uses it, now a refusal that names the
    field (MAX_UNITS)."""
    with pytest.raises(InputError, match="at most 1000000|between 0 and 1000000") as caught:
        build()
    assert caught.value.field == field
