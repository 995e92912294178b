"""A cache in front of any travel-time provider, in memory and optionally on disk.

Planning asks for the same matrix again and again: every re-optimisation of a day, every
what-if scenario, every benchmark run. A road-network matrix of a few hundred points
costs seconds on an OSRM server; the cache makes the second request free.

Keys are the provider's name plus the points rounded to `decimals` places (5 decimals is
about one metre), so two addresses geocoded a hair apart share an entry and two
providers (or one provider with other settings) never do. The on-disk cache is a SQLite
file holding the matrix as raw int32 bytes, safe to delete at any time.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from samfard.errors import InputError
from samfard.geo.traveltime import Matrix, Point, TravelTimeProvider


@dataclass
class CacheStats:
    memory_hits: int = 0
    disk_hits: int = 0
    misses: int = 0


@dataclass
class CachedProvider:
    """Wraps a provider; answers repeated matrices from memory (LRU) or the SQLite file."""

    inner: TravelTimeProvider
    capacity: int = 32
    path: Path | None = None
    decimals: int = 5
    stats: CacheStats = field(default_factory=CacheStats)
    _memory: OrderedDict[str, Matrix] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise InputError(f"capacity must be at least 1 matrix, got {self.capacity}")
        if not 0 <= self.decimals <= 7:
            raise InputError(f"decimals must be 0-7, got {self.decimals}", field="decimals")
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as db:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS matrix "
                    "(key TEXT PRIMARY KEY, size INTEGER, durations BLOB, distances BLOB)"
                )

    @property
    def name(self) -> str:
        return self.inner.name

    def key(self, points: Sequence[Point]) -> str:
        """Provider name and rounded points, hashed to a fixed-size key."""
        text = (
            self.inner.name
            + "|"
            + ";".join(
                f"{round(p.lat, self.decimals)},{round(p.lon, self.decimals)}" for p in points
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def matrix(self, points: Sequence[Point]) -> Matrix:
        key = self.key(points)
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
                self.stats.memory_hits += 1
                return found
        found = self._load(key)
        if found is not None:
            self.stats.disk_hits += 1
        else:
            self.stats.misses += 1
            found = self.inner.matrix(points)
            self._store(key, found)
        with self._lock:
            self._memory[key] = found
            self._memory.move_to_end(key)
            while len(self._memory) > self.capacity:
                self._memory.popitem(last=False)
        return found

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection that commits on success and is always closed."""
        assert self.path is not None
        db = sqlite3.connect(self.path, timeout=10)
        try:
            with db:
                yield db
        finally:
            db.close()

    def _load(self, key: str) -> Matrix | None:
        if self.path is None:
            return None
        with self._connect() as db:
            row = db.execute(
                "SELECT size, durations, distances FROM matrix WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        size, dur, dist = row
        shape = (int(size), int(size))
        return Matrix(
            np.frombuffer(dur, dtype=np.int32).reshape(shape).copy(),
            np.frombuffer(dist, dtype=np.int32).reshape(shape).copy(),
        )

    def _store(self, key: str, matrix: Matrix) -> None:
        if self.path is None:
            return
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO matrix VALUES (?, ?, ?, ?)",
                (
                    key,
                    matrix.size,
                    matrix.durations.astype(np.int32).tobytes(),
                    matrix.distances.astype(np.int32).tobytes(),
                ),
            )


def make_provider(
    *, osrm_url: str | None, cache_path: Path | None = None, capacity: int = 32
) -> CachedProvider:
    """The provider a Samfard process uses: OSRM when SAMFARD_OSRM_URL is set (`osrm_url`),
    else the geodesic model, behind the matrix cache (on disk when `cache_path` is given)."""
    from samfard.geo.osrm import OsrmProvider
    from samfard.geo.traveltime import GeodesicProvider

    inner: TravelTimeProvider = OsrmProvider(osrm_url) if osrm_url else GeodesicProvider()
    return CachedProvider(inner, capacity=capacity, path=cache_path)
