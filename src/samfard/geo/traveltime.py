"""Travel times between points: the provider interface and the offline geodesic default.

Planning needs, for every pair of stops, how long the drive takes and how far it is.
Where that comes from is replaceable: the geodesic model here needs no data and no
network and is good enough to plan and benchmark with; a road network (an OSRM server,
`samfard.geo.osrm`) gives real roads in production. Both answer the same `matrix` call
so the planner never knows which one it has.

Matrices are numpy int32 arrays (seconds, metres) because a busy day of both regions has
some 6 000 stops: 36 million entries, about 140 MB as int32 but several GB as Python ints.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from samfard.errors import InputError
from samfard.geo.distance import EARTH_RADIUS_KM, km_between

EARTH_RADIUS_M = EARTH_RADIUS_KM * 1000.0

IntMatrix = npt.NDArray[np.int32]


@dataclass(frozen=True, order=True)
class Point:
    """A WGS84 position in decimal degrees, latitude first (as people write it)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and -90.0 <= self.lat <= 90.0):
            raise InputError(f"lat must be between -90 and 90, got {self.lat}", field="lat")
        if not (math.isfinite(self.lon) and -180.0 <= self.lon <= 180.0):
            raise InputError(f"lon must be between -180 and 180, got {self.lon}", field="lon")


@dataclass(frozen=True, eq=False)
class Matrix:
    """Durations (whole seconds) and distances (whole metres) from row point to column point.

    The arrays are made read-only so a matrix shared between plans (and cached) cannot be
    changed by one of them behind the others' backs.
    """

    durations: IntMatrix
    distances: IntMatrix
    size: int = field(init=False)

    def __post_init__(self) -> None:
        d, m = self.durations, self.distances
        if d.ndim != 2 or d.shape[0] != d.shape[1]:
            raise InputError(f"durations must be a square matrix, got shape {d.shape}")
        if m.shape != d.shape:
            raise InputError(
                f"distances must have the same shape as durations {d.shape}, got {m.shape}"
            )
        if d.size and (int(d.min()) < 0 or int(m.min()) < 0):
            raise InputError("durations and distances must be non-negative")
        d.setflags(write=False)
        m.setflags(write=False)
        object.__setattr__(self, "size", int(d.shape[0]))

    @classmethod
    def from_lists(
        cls, durations: Sequence[Sequence[int]], distances: Sequence[Sequence[int]]
    ) -> Matrix:
        """Build from nested lists, e.g. a JSON answer or a test fixture."""
        n = len(durations)
        return cls(
            np.array(durations, dtype=np.int32).reshape(n, n),
            np.array(distances, dtype=np.int32).reshape(n, n),
        )

    def duration(self, i: int, j: int) -> int:
        return int(self.durations[i, j])

    def distance(self, i: int, j: int) -> int:
        return int(self.distances[i, j])


class TravelTimeProvider(Protocol):
    """Anything that can answer 'how long and how far between all these points'."""

    @property
    def name(self) -> str:
        """Identifies the provider and its settings, so caches never mix two of them."""
        ...

    def matrix(self, points: Sequence[Point]) -> Matrix: ...


@dataclass(frozen=True)
class SpeedBand:
    """Average speed over the part of a trip that falls within `up_to_km` (None: the rest)."""

    up_to_km: float | None
    kmh: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.kmh) and self.kmh > 0):
            raise InputError(f"speed band kmh must be positive, got {self.kmh}", field="kmh")
        if self.up_to_km is not None and not self.up_to_km > 0:
            raise InputError(
                f"speed band up_to_km must be positive or None, got {self.up_to_km}",
                field="up_to_km",
            )


DEFAULT_SPEED_BANDS: tuple[SpeedBand, ...] = (
    SpeedBand(5.0, 30.0),  # town streets, junctions, the stop itself
    SpeedBand(20.0, 50.0),  # out of town, villages on the way
    SpeedBand(60.0, 70.0),  # country roads
    SpeedBand(None, 80.0),  # long stretches on national roads (E14, E45, 84)
)

DEFAULT_ROAD_FACTOR = 1.45
"""Road km per great-circle km, calibrated in docs/travel-times.md (max error about 16 %)."""


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (the shared formula of `samfard.geo.distance`)."""
    return km_between(a.lat, a.lon, b.lat, b.lon) * 1000.0


def _haversine_matrix_m(points: Sequence[Point]) -> npt.NDArray[np.float64]:
    lat = np.radians(np.array([p.lat for p in points], dtype=np.float64))
    lon = np.radians(np.array([p.lon for p in points], dtype=np.float64))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    result: npt.NDArray[np.float64] = 2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return result


@dataclass(frozen=True)
class GeodesicProvider:
    """Great-circle distance times a road factor; time from speeds by distance band.

    The speed bands work like tax brackets: the first 5 km of every trip are driven at
    town speed, the next 15 km a little faster and so on. That makes the duration
    continuous, increasing and concave in the distance, so the triangle inequality holds
    for durations as well as distances (detours never look shorter than the direct trip),
    which the insertion heuristic relies on.
    """

    road_factor: float = DEFAULT_ROAD_FACTOR
    speed_bands: tuple[SpeedBand, ...] = DEFAULT_SPEED_BANDS

    def __post_init__(self) -> None:
        if not (math.isfinite(self.road_factor) and 1.0 <= self.road_factor <= 3.0):
            raise InputError(
                f"road_factor must be between 1.0 and 3.0 (road km per straight-line km), "
                f"got {self.road_factor}",
                field="road_factor",
            )
        if not self.speed_bands:
            raise InputError("speed_bands must not be empty", field="speed_bands")
        ends = [b.up_to_km for b in self.speed_bands]
        if ends[-1] is not None or any(e is None for e in ends[:-1]):
            raise InputError(
                "speed_bands: only the last band may (and must) be open-ended (up_to_km=None)",
                field="speed_bands",
            )
        bounded = [e for e in ends if e is not None]
        if any(b <= a for a, b in zip(bounded, bounded[1:], strict=False)):
            raise InputError(
                f"speed_bands must have increasing up_to_km, got {bounded}", field="speed_bands"
            )
        speeds = [b.kmh for b in self.speed_bands]
        if any(b < a for a, b in zip(speeds, speeds[1:], strict=False)):
            raise InputError(
                f"speed_bands must not get slower with distance, got {speeds} km/h "
                "(slower far bands would break the triangle inequality)",
                field="speed_bands",
            )

    @property
    def name(self) -> str:
        bands = ",".join(f"{b.up_to_km}:{b.kmh}" for b in self.speed_bands)
        return f"geodesic(f={self.road_factor};{bands})"

    def road_m(self, a: Point, b: Point) -> float:
        """Estimated road distance in metres."""
        return haversine_m(a, b) * self.road_factor

    def seconds_for(self, road_m: float) -> float:
        """Driving time for a road distance, band by band."""
        return float(self._seconds(np.array([road_m], dtype=np.float64))[0])

    def _seconds(self, road_m: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        km = road_m / 1000.0
        hours = np.zeros_like(km)
        start = 0.0
        for band in self.speed_bands:
            end = math.inf if band.up_to_km is None else band.up_to_km
            in_band = np.clip(km - start, 0.0, end - start)
            hours += in_band / band.kmh
            start = end
        seconds: npt.NDArray[np.float64] = hours * 3600.0
        return seconds

    def matrix(self, points: Sequence[Point]) -> Matrix:
        if not points:
            return Matrix(np.zeros((0, 0), np.int32), np.zeros((0, 0), np.int32))
        road = _haversine_matrix_m(points) * self.road_factor
        durations = np.rint(self._seconds(road)).astype(np.int32)
        distances = np.rint(road).astype(np.int32)
        return Matrix(durations, distances)


# The model with its default factors: what booking, assessment and the public-transport
# rule use to estimate a drive without a matrix (planning makes its own provider, perhaps
# OSRM). One instance, so every estimate outside planning agrees.
ROAD_MODEL = GeodesicProvider()
