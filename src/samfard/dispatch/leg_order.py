"""A traveller's legs of the day one after another.

Each leg becomes a request of its own with its own windows, and the planner knows nothing
that ties a return to its outbound leg. Where the outbound drop-off window (the pickup
window plus the ride limit) reaches past the time the return is asked for, a plan could
pick the traveller up for the way home before setting them down at the appointment: seen
on a demo day, where one vehicle picked up a return at 14:15 at the place it then set the
same traveller down at 14:20. So the two windows are split where the second one opens:
the first leg's drop-off (with its service) ends by the moment the next pickup may start,
and that pickup starts no earlier than the first drop-off can end. Every leg keeps a
schedule it could have alone (the drop-off window keeps its earliest time), and no split
leaves a promised pickup window without a moment to keep it. A return asked for before
the outbound leg can even arrive (the demo generator books a few) is refused with that
reason instead of being planned with the traveller in two vehicles at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from samfard.dispatch.planning_inputs import LegInput
from samfard.planning.model import Request, Window

EARLIER_LEG_LATE = "before the traveller's earlier leg can arrive"


@dataclass(frozen=True, slots=True)
class InOrder:
    """The requests (by id) with split windows, and the legs refused: (request id, why)."""

    requests: dict[str, Request]
    refused: tuple[tuple[str, str], ...]


def one_after_another(legs: Sequence[LegInput], requests: Mapping[str, Request]) -> InOrder:
    """`requests` with the windows of each traveller's consecutive legs split so that the
    earlier leg's drop-off comes before the later leg's pickup. Legs without a request
    (refused by the fleet) are skipped. A later leg whose pickup window closes before the
    earlier drop-off can end is refused with its reason (no plan can carry both, and the
    booking's time is the centre's to correct with the traveller); one whose promised
    pickup ends before it is left as planned before."""
    by_traveller: dict[tuple[str, int], list[LegInput]] = {}
    for leg in legs:
        if leg.request_id not in requests:
            continue
        key = ("booking", leg.booking_id)
        if leg.traveller_id is not None:
            key = ("traveller", leg.traveller_id)
        by_traveller.setdefault(key, []).append(leg)
    ordered = dict(requests)
    refused: list[tuple[str, str]] = []
    for group in by_traveller.values():
        group.sort(key=lambda leg: (asked_time(leg), leg.booking_id, leg.leg_seq))
        first = ordered[group[0].request_id]
        for next_leg in group[1:]:
            then = ordered[next_leg.request_id]
            ends = first.dropoff_window.earliest + first.dropoff_service
            split = max(then.pickup_window.earliest, ends)
            if split > then.pickup_window.latest:
                del ordered[then.id]
                refused.append(
                    (
                        then.id,
                        f"pickup window closes at {_clock(then.pickup_window.latest)}, "
                        f"{EARLIER_LEG_LATE} ({first.id}, at {_clock(ends)} at the earliest)",
                    )
                )
                continue
            if then.promised_pickup is None or split <= then.promised_pickup.latest:
                ordered[first.id] = replace(
                    first,
                    dropoff_window=Window(
                        first.dropoff_window.earliest,
                        min(first.dropoff_window.latest, split - first.dropoff_service),
                    ),
                )
                then = replace(then, pickup_window=Window(split, then.pickup_window.latest))
                ordered[then.id] = then
            first = then
    return InOrder(ordered, tuple(refused))


def _clock(seconds: float) -> str:
    """Seconds from the day's midnight as HH:MM (past 24 after midnight)."""
    minutes = int(seconds // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def asked_time(leg: LegInput) -> datetime:
    """When the leg is asked for: its pickup time, else its appointment."""
    asked = leg.requested_pickup_at or leg.appointment_at
    assert asked is not None, "leg_request refuses a leg with neither time"
    return asked
