"""Stops reported in another order than the run plans them (pure: plain data in, out).

A driver who takes a later stop first, or reports a drop-off before the pickups planned
ahead of it, drives another route than the controller sees: the forecast, the promises
and the next traveller's "on the way" follow the plan. The run's page marks each such
stop ("Rapporterad i annan ordning än planen").

The rule: each stop of the run is taken at the time it was done by the run's vehicle, its
first Hämtad, Lämnad or Uteblev, or its first Framme while nothing more is reported. A
stop done before some stop planned ahead of it on the run was done is out of order, and is
marked with the first such stop. Only the stop that came early is marked (a stop taken
first out of five marks one stop, not the four it overtook). A stop not reported takes
no part: it may have been passed without a report, and if it is reported later the stops
done before it are marked then. Stops done at the same moment are in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from samfard.dispatch.driver.rules import FINISHING


class Report(Protocol):
    """What a report at a stop says: its kind (arrived, picked_up, ...) and its time."""

    @property
    def kind(self) -> str: ...

    @property
    def at(self) -> datetime: ...


def done_at(reports: Sequence[Report]) -> datetime | None:
    """When the stop was done: its first finishing report, else its first Framme."""
    finishing = [r.at for r in reports if r.kind in FINISHING]
    if finishing:
        return min(finishing)
    return min((r.at for r in reports), default=None)


def out_of_order(stops: Sequence[Sequence[Report]]) -> dict[int, int]:
    """The stops (by position in the run) done before a stop planned ahead of them, each
    with the position of the first such stop; `stops` holds each stop's reports, in the
    run's planned order."""
    times = [done_at(reports) for reports in stops]
    found: dict[int, int] = {}
    for later, at in enumerate(times):
        if at is None:
            continue
        earlier = next(
            (i for i, then in enumerate(times[:later]) if then is not None and then > at), None
        )
        if earlier is not None:
            found[later] = earlier
    return found
