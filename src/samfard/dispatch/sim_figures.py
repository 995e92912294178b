"""The simulated day's figures: punctuality against the promise, promises broken (and
whether the controller was alerted before or when it happened), re-plans and cost.

Lateness is measured against the first promise the traveller was given (a re-plan that
gives a new time does not excuse the old one). A pickup is on time when it starts no
later than a minute after the promised window closes. Cost is the planning objective of
the carriers' tariffs (öre, dispatch.tariffs) over the runs as driven, against the same
measure of the plan made the evening before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.dispatch import store
from samfard.dispatch.delays import LATE_S, PROMISE_ALERTS
from samfard.dispatch.forecast import forecast_route
from samfard.dispatch.live_models import ControllerAlert
from samfard.dispatch.live_state import live_day
from samfard.planning.verifier import route_cost


@dataclass(frozen=True, slots=True)
class Pickup:
    request_id: str
    at: datetime
    promise: tuple[datetime, datetime] | None
    no_show: bool


@dataclass(frozen=True, slots=True)
class Figures:
    events: int
    pickups: int
    on_time_share: float
    late_p90_min: float
    promises_broken: int
    promises_broken_unflagged: int
    replans: int
    cost_kr: int
    morning_cost_kr: int
    counts: Mapping[str, int]
    setup_s: float
    total_s: float
    seconds_by_kind: Mapping[str, float]

    def as_json(self) -> dict[str, object]:
        return {
            "events": self.events,
            "pickups": self.pickups,
            "on_time_share": self.on_time_share,
            "late_p90_min": self.late_p90_min,
            "promises_broken": self.promises_broken,
            "promises_broken_unflagged": self.promises_broken_unflagged,
            "replans": self.replans,
            "cost_kr": self.cost_kr,
            "morning_cost_kr": self.morning_cost_kr,
            "counts": dict(sorted(self.counts.items())),
            "setup_seconds": round(self.setup_s, 1),
            "total_seconds": round(self.total_s, 1),
            "replay_seconds_by_kind": {
                k: round(v, 1) for k, v in sorted(self.seconds_by_kind.items())
            },
        }


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (nearest rank); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def figures(
    session: Session,
    day: date,
    *,
    pickups: Sequence[Pickup],
    counts: Mapping[str, int],
    morning_objective: float,
    setup_s: float,
    total_s: float,
    seconds_by_kind: Mapping[str, float],
) -> Figures:
    alerted: dict[str, datetime] = {}
    for subject, created in session.execute(
        select(ControllerAlert.subject, ControllerAlert.created_at).where(
            ControllerAlert.service_date == day,
            ControllerAlert.kind.in_(sorted(PROMISE_ALERTS)),
        )
    ):
        alerted[subject] = min(created, alerted.get(subject, created))
    served = [p for p in pickups if not p.no_show and p.promise is not None]
    late_min: list[float] = []
    broken = unflagged = 0
    for p in served:
        assert p.promise is not None
        late_s = (p.at - p.promise[1]).total_seconds()
        late_min.append(max(0.0, late_s / 60))
        if late_s > LATE_S:
            broken += 1
            first = alerted.get(p.request_id)
            if first is None or first > p.at:
                unflagged += 1
    on_time = sum(1 for m in late_min if m * 60 <= LATE_S)
    return Figures(
        events=counts.get("events", 0),
        pickups=len(served),
        on_time_share=round(on_time / len(served), 4) if served else 1.0,
        late_p90_min=round(p90(late_min), 1),
        promises_broken=broken,
        promises_broken_unflagged=unflagged,
        replans=counts.get("replans", 0),
        cost_kr=round(driven_cost(session, day) / 100),
        morning_cost_kr=round(morning_objective / 100),
        counts=counts,
        setup_s=setup_s,
        total_s=total_s,
        seconds_by_kind=seconds_by_kind,
    )


def driven_cost(session: Session, day: date) -> float:
    """The tariffs' cost (öre) of the runs as they stand, priced like the morning plan."""
    plan_run = store.latest_plan(session, day)
    if plan_run is None:
        return 0.0
    live = live_day(session, plan_run, plan_run.runs, priced=True)
    problem = live.day.problem
    vehicles = {v.id: v for v in problem.vehicles}
    total = 0.0
    for vid, route in live.routes.items():
        if route.request_ids():
            driven = forecast_route(problem, route, live.done, 0.0)
            total += route_cost(problem, vehicles[vid], driven)
    return total
