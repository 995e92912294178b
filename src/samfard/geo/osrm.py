"""Road-network travel times from an OSRM server's table service.

OSRM (Open Source Routing Machine) answers `GET /table/v1/driving/{lon,lat;...}` with the
duration and distance between every pair of the given coordinates. A server limits how
many coordinates one request may carry (`--max-table-size`, 100 by default), so a large
matrix is fetched in blocks: each request names a block of sources and a block of
destinations, and the answers are pasted into one matrix.

Uses only urllib so the production install needs no HTTP client beyond the standard
library. Every failure becomes a `TravelTimeUnavailable` that says which server, what
went wrong and what to check, because a planner without travel times cannot plan.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from samfard.errors import DomainError, InputError
from samfard.geo.traveltime import Matrix, Point


class TravelTimeUnavailable(DomainError):
    """The road-network service could not give travel times (down, refused, no route)."""

    status = 503
    title = "Travel times unavailable"


@dataclass(frozen=True)
class OsrmProvider:
    """Client of an OSRM server (SAMFARD_OSRM_URL), e.g. http://osrm.internal:5000."""

    base_url: str
    profile: str = "driving"
    max_points: int = 100
    timeout_s: float = 30.0

    def __post_init__(self) -> None:
        parsed = urllib.parse.urlparse(self.base_url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(
                f"OSRM base_url must be an http(s) URL like http://localhost:5000, "
                f"got {self.base_url!r}",
                field="SAMFARD_OSRM_URL",
            )
        if self.max_points < 2:
            raise InputError(
                f"max_points must be at least 2 (one source and one destination), "
                f"got {self.max_points}",
                field="max_points",
            )
        if not (math.isfinite(self.timeout_s) and self.timeout_s > 0):
            raise InputError(f"timeout_s must be positive, got {self.timeout_s}", field="timeout_s")
        if not self.profile.isidentifier():
            raise InputError(f"profile must be a word like 'driving', got {self.profile!r}")

    @property
    def name(self) -> str:
        return f"osrm({self.base_url.rstrip('/')};{self.profile})"

    def matrix(self, points: Sequence[Point]) -> Matrix:
        n = len(points)
        durations = np.zeros((n, n), dtype=np.int32)
        distances = np.zeros((n, n), dtype=np.int32)
        block = max(1, self.max_points // 2)
        for s0 in range(0, n, block):
            sources = list(range(s0, min(n, s0 + block)))
            for d0 in range(0, n, block):
                targets = list(range(d0, min(n, d0 + block)))
                dur, dist = self._table(points, sources, targets)
                durations[s0 : s0 + len(sources), d0 : d0 + len(targets)] = dur
                distances[s0 : s0 + len(sources), d0 : d0 + len(targets)] = dist
        np.fill_diagonal(durations, 0)
        np.fill_diagonal(distances, 0)
        return Matrix(durations, distances)

    def _table(
        self, points: Sequence[Point], sources: list[int], targets: list[int]
    ) -> tuple[list[list[int]], list[list[int]]]:
        """One table request for a block; coordinates shared by both blocks are sent once."""
        used = sorted(set(sources) | set(targets))
        position = {index: k for k, index in enumerate(used)}
        coords = ";".join(f"{points[i].lon:.6f},{points[i].lat:.6f}" for i in used)
        query = urllib.parse.urlencode(
            {
                "annotations": "duration,distance",
                "sources": ";".join(str(position[i]) for i in sources),
                "destinations": ";".join(str(position[i]) for i in targets),
            }
        )
        url = f"{self.base_url.rstrip('/')}/table/v1/{self.profile}/{coords}?{query}"
        body = self._get(url)
        code = body.get("code")
        if code != "Ok":
            raise TravelTimeUnavailable(
                f"OSRM server {self.base_url} refused the table request: {code}: "
                f"{body.get('message', 'no message')}"
            )
        return (
            _whole(body, "durations", len(sources), len(targets), places=len(points)),
            _whole(body, "distances", len(sources), len(targets), places=len(points)),
        )

    def _get(self, url: str) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as answer:
                raw = answer.read()
        except urllib.error.HTTPError as error:
            # OSRM answers errors with a 4xx status and a JSON body naming the code.
            raw = error.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = {}
            if isinstance(parsed, dict) and "code" in parsed:
                return parsed
            raise TravelTimeUnavailable(
                f"OSRM server {self.base_url} answered HTTP {error.code} {error.reason}"
            ) from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise TravelTimeUnavailable(
                f"OSRM server {self.base_url} is unreachable ({reason}); check "
                "SAMFARD_OSRM_URL and that osrm-routed is running"
            ) from None
        try:
            parsed = json.loads(raw)
        except ValueError:
            raise TravelTimeUnavailable(
                f"OSRM server {self.base_url} answered something that is not JSON"
            ) from None
        if not isinstance(parsed, dict):
            raise TravelTimeUnavailable(f"OSRM server {self.base_url} answered an unexpected shape")
        return parsed


def _whole(
    body: dict[str, Any], key: str, sources: int, targets: int, *, places: int
) -> list[list[int]]:
    """Rows of whole numbers from the answer, `sources` by `targets`; a null entry means
    OSRM found no route (between two of the request's `places`)."""
    rows = body.get(key)
    if not isinstance(rows, list) or len(rows) != sources:
        raise TravelTimeUnavailable(
            f"OSRM answer lacks {key} for {sources} sources; is the server older than 5.22 "
            "(annotations=duration,distance)?"
        )
    result: list[list[int]] = []
    for row in rows:
        if not isinstance(row, list) or len(row) != targets:
            raise TravelTimeUnavailable(f"OSRM answer has a {key} row of the wrong length")
        out: list[int] = []
        for value in row:
            if value is None:
                # Not the points: one may be a protected home, and this message reaches
                # whoever started the planning (a 503, a job's error).
                raise TravelTimeUnavailable(
                    f"OSRM found no road between two of the {places} places asked for; "
                    "one is off the road network (an island without a ferry, a misplaced "
                    "address): check the day's addresses on a map"
                )
            out.append(round(float(value)))
        result.append(out)
    return result
