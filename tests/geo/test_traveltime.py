"""Geodesic travel times: calibration against known road distances and matrix properties."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from samfard.errors import InputError
from samfard.geo.traveltime import (
    DEFAULT_ROAD_FACTOR,
    GeodesicProvider,
    Matrix,
    Point,
    SpeedBand,
    haversine_m,
)

PLACES = Path(__file__).resolve().parents[2] / "src" / "samfard" / "data" / "places.csv"


def _place(name: str) -> Point:
    with PLACES.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            if row["name"] == name:
                return Point(float(row["lat"]), float(row["lon"]))
    raise LookupError(name)


FUNASDALEN = Point(62.5440, 12.5470)
OSTERSUND = Point(63.1767, 14.6361)

# (from, to, road km as driven): the calibration set of docs/travel-times.md.
CALIBRATION = [
    ("Funäsdalen", FUNASDALEN, "Östersund", OSTERSUND, 214.0),
    ("Funäsdalen", FUNASDALEN, "Røros", _place("Røros sykehus"), 75.0),
    ("Funäsdalen", FUNASDALEN, "Tynset", _place("Tynset sykehus"), 129.0),
    ("Røros", _place("Røros sykehus"), "Trondheim", _place("St. Olavs hospital"), 155.0),
]


def test_calibration_error_is_within_documented_bounds() -> None:
    """The default road factor puts every calibration pair within 16 % of the road km and
    the mean absolute error under 10 %; this is the table in docs/travel-times.md."""
    provider = GeodesicProvider()
    errors = []
    for a_name, a, b_name, b, road_km in CALIBRATION:
        estimate_km = provider.road_m(a, b) / 1000
        error = (estimate_km - road_km) / road_km
        errors.append(abs(error))
        print(
            f"{a_name}-{b_name}: great-circle {haversine_m(a, b) / 1000:.1f} km, "
            f"road {road_km:.0f} km, estimate {estimate_km:.1f} km, error {error:+.1%}"
        )
    assert max(errors) < 0.16
    assert sum(errors) / len(errors) < 0.10


def test_default_factor_is_near_the_minimax_factor() -> None:
    """1.45 is (to two decimals) the factor that minimises the worst relative error."""
    ratios = [road * 1000 / haversine_m(a, b) for _, a, _, b, road in CALIBRATION]
    minimax = (min(ratios) * max(ratios)) ** 0.5
    assert abs(DEFAULT_ROAD_FACTOR - minimax) < 0.01


def test_long_trip_durations_are_plausible() -> None:
    """Funäsdalen-Östersund is about 2 h 40 to 3 h by car; the model says 2.5-3.2 h."""
    hours = GeodesicProvider().matrix([FUNASDALEN, OSTERSUND]).duration(0, 1) / 3600
    assert 2.5 < hours < 3.2


def test_matrix_is_symmetric_with_zero_diagonal() -> None:
    points = [FUNASDALEN, OSTERSUND, _place("Brunflo"), _place("Lit"), _place("Frösön")]
    m = GeodesicProvider().matrix(points)
    assert m.size == 5
    assert np.array_equal(m.durations, m.durations.T)
    assert np.array_equal(m.distances, m.distances.T)
    assert not m.durations.diagonal().any() and not m.distances.diagonal().any()


def test_durations_obey_triangle_inequality_up_to_rounding() -> None:
    """Concave duration in distance keeps detours at least as long as direct trips."""
    points = [FUNASDALEN, OSTERSUND, _place("Brunflo"), _place("Lit"), _place("Røros sykehus")]
    d = GeodesicProvider().matrix(points).durations.astype(np.int64)
    n = len(points)
    for i in range(n):
        for j in range(n):
            for k in range(n):
                assert d[i, j] <= d[i, k] + d[k, j] + 1


def test_short_trips_are_slower_per_km_than_long_ones() -> None:
    provider = GeodesicProvider()
    short_speed = 3_000 / provider.seconds_for(3_000)
    long_speed = 200_000 / provider.seconds_for(200_000)
    assert short_speed < long_speed


def test_empty_and_single_point_matrices() -> None:
    assert GeodesicProvider().matrix([]).size == 0
    assert GeodesicProvider().matrix([OSTERSUND]).duration(0, 0) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"road_factor": 0.9}, "road_factor must be between"),
        ({"speed_bands": ()}, "must not be empty"),
        ({"speed_bands": (SpeedBand(10, 40),)}, "open-ended"),
        ({"speed_bands": (SpeedBand(10, 40), SpeedBand(5, 50), SpeedBand(None, 60))}, "increasing"),
        ({"speed_bands": (SpeedBand(10, 60), SpeedBand(None, 40))}, "slower"),
    ],
)
def test_invalid_parameters_are_refused_with_a_reason(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        GeodesicProvider(**kwargs)  # type: ignore[arg-type]


def test_points_and_matrices_validate_their_input() -> None:
    with pytest.raises(InputError, match="lat must be between"):
        Point(91.0, 14.0)
    with pytest.raises(InputError, match="square"):
        Matrix(np.zeros((2, 3), np.int32), np.zeros((2, 3), np.int32))
    with pytest.raises(InputError, match="non-negative"):
        Matrix.from_lists([[0, -1], [1, 0]], [[0, 1], [1, 0]])


def test_matrix_arrays_are_read_only() -> None:
    m = GeodesicProvider().matrix([FUNASDALEN, OSTERSUND])
    with pytest.raises(ValueError, match="read-only"):
        m.durations[0, 1] = 1
