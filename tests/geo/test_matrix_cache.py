"""The matrix cache answers repeats without asking the provider again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from samfard.geo.matrix_cache import CachedProvider
from samfard.geo.traveltime import GeodesicProvider, Matrix, Point

A = Point(63.1767, 14.6361)
B = Point(63.0770, 14.8190)
C = Point(63.3160, 14.8500)


@dataclass
class CountingProvider:
    """Geodesic answers, counting how often it is really asked."""

    calls: int = 0
    name: str = "counting"

    def matrix(self, points: Sequence[Point]) -> Matrix:
        self.calls += 1
        return GeodesicProvider().matrix(points)


def test_second_request_is_a_memory_hit() -> None:
    inner = CountingProvider()
    cache = CachedProvider(inner)
    first = cache.matrix([A, B, C])
    second = cache.matrix([A, B, C])
    assert inner.calls == 1
    assert second is first
    assert (cache.stats.memory_hits, cache.stats.misses) == (1, 1)


def test_points_within_rounding_share_an_entry() -> None:
    inner = CountingProvider()
    cache = CachedProvider(inner, decimals=4)
    cache.matrix([A, B])
    cache.matrix([Point(A.lat + 0.000001, A.lon), B])
    assert inner.calls == 1


def test_different_points_or_providers_do_not_share_entries() -> None:
    inner = CountingProvider()
    cache = CachedProvider(inner)
    cache.matrix([A, B])
    cache.matrix([B, A])
    assert inner.calls == 2
    other = CachedProvider(GeodesicProvider(road_factor=1.3))
    assert other.key([A, B]) != cache.key([A, B])


def test_least_recently_used_entry_is_evicted() -> None:
    inner = CountingProvider()
    cache = CachedProvider(inner, capacity=2)
    cache.matrix([A, B])
    cache.matrix([A, C])
    cache.matrix([A, B])  # refreshes [A, B]
    cache.matrix([B, C])  # evicts [A, C]
    cache.matrix([A, B])
    assert inner.calls == 3
    cache.matrix([A, C])
    assert inner.calls == 4


def test_disk_cache_survives_a_new_process(tmp_path: Path) -> None:
    """A second cache object on the same file (as after a restart) needs no provider call."""
    path = tmp_path / "cache" / "matrices.sqlite3"
    first_inner = CountingProvider()
    expected = CachedProvider(first_inner, path=path).matrix([A, B, C])
    second_inner = CountingProvider()
    restarted = CachedProvider(second_inner, path=path)
    found = restarted.matrix([A, B, C])
    assert second_inner.calls == 0
    assert restarted.stats.disk_hits == 1
    assert np.array_equal(found.durations, expected.durations)
    assert np.array_equal(found.distances, expected.distances)


def test_make_provider_picks_osrm_only_when_a_url_is_set(tmp_path: Path) -> None:
    from samfard.geo.matrix_cache import make_provider

    assert make_provider(osrm_url=None).name.startswith("geodesic(")
    osrm = make_provider(osrm_url="http://osrm.internal:5000", cache_path=tmp_path / "m.db")
    assert osrm.name == "osrm(http://osrm.internal:5000;driving)"
    assert osrm.path == tmp_path / "m.db"
