"""The day simulator's settings and its running state (see dispatch.simulator)."""

from __future__ import annotations

import heapq
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from samfard.dispatch.sim_figures import Pickup
from samfard.errors import InputError
from samfard.geo.traveltime import GeodesicProvider, Point
from samfard.timeutil import FIRST_YEAR, LAST_YEAR, in_trip_years


@dataclass(frozen=True, slots=True)
class SimSettings:
    """What the simulated day is like (shares are of trips; see the module)."""

    day: date
    seed: int = 1
    trips: int = 600
    speed: float = 0.0
    noise_sigma: float = 0.2
    noise_bias: float = 0.0
    margin: float = 0.25
    no_show: float = 0.03
    late_cancel: float = 0.05
    same_day: float = 0.10
    decline: float = 0.04
    tick_min: int = 15
    replan_gap_min: int = 90

    def __post_init__(self) -> None:
        # The day is planned the evening before and may run past midnight: both ends must
        # be days trips can fall on, or the job failed later naming the eve (1899-12-31;
        # walk-through of the seventh session of 2026-12-06).
        if not (
            in_trip_years(self.day - timedelta(days=1))
            and in_trip_years(self.day + timedelta(days=1))
        ):
            raise InputError(
                f"a simulated day is planned the evening before and may run past midnight: "
                f"give a day from {FIRST_YEAR}-01-02 to {LAST_YEAR}-12-30, got {self.day}",
                field="day",
            )
        if not 1 <= self.trips <= 5000:
            raise InputError(f"trips must be between 1 and 5000, got {self.trips}", field="trips")
        if not (math.isfinite(self.speed) and self.speed >= 0):
            raise InputError(f"speed must be 0 (full) or positive, got {self.speed}", field="speed")
        for name in ("no_show", "late_cancel", "same_day", "decline"):
            if not 0 <= getattr(self, name) <= 0.5:
                raise InputError(f"{name} must be a share between 0 and 0.5", field=name)


COUNTS = (
    "events",
    "verified_plans",
    "no_shows",
    "late_cancellations",
    "same_day_booked",
    "same_day_refused",
    "replans",
    "replan_moved",
    "replan_rejected",
    "declined_runs",
    "offers",
    "offer_overdue_alerts",
    "reports_refused",
)


@dataclass
class VehicleState:
    id: int
    at: Point
    free_at: datetime
    busy: bool = False  # an arrival is on the agenda


@dataclass
class State:
    session: Session
    settings: SimSettings
    rng: random.Random
    provider: GeodesicProvider
    plan_id: int
    agenda: list[tuple[datetime, int, str, Any]] = field(default_factory=list)
    seq: int = 0
    vehicles: dict[int, VehicleState] = field(default_factory=dict)
    done: set[tuple[int, int, str]] = field(default_factory=set)
    promises: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)
    pickups: list[Pickup] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    last_replan: datetime | None = None
    travel_cache: dict[tuple[Point, Point], float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per kind of event

    def push(self, at: datetime, kind: str, payload: Any) -> None:
        self.seq += 1
        heapq.heappush(self.agenda, (at, self.seq, kind, payload))

    def count(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n
