"""One booking leg as a planning request: windows, ride limit, service time and load.

Where a booking's decision carries a time tolerance (assessment writes
`decision["tolerance"]` with `pickup_before_min`, `pickup_after_min`,
`max_extra_ride_min` and `waiting_included`), it wins; otherwise `PlanningDefaults` apply
(docs/dispatch.md). With `waiting_included` (sjukresor: "extra ride time plus waiting")
the extra ride time is one budget for riding and waiting together. Planning, re-planning,
live insertion, moves and the service-day benchmark all build legs here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from samfard.dispatch.planning_inputs import MINUTE, LegInput, PlanningDefaults, seconds_of
from samfard.errors import InputError
from samfard.planning.model import Request, Window


def tolerance_minutes(decision: Mapping[str, Any] | None) -> tuple[int, int, int] | None:
    """(pickup before, pickup after, max extra ride) from a decision, or None.

    Read defensively: decisions are JSON written by another module and may predate
    tolerances, so anything missing or malformed means "use the defaults".
    """
    raw = (decision or {}).get("tolerance")
    if not isinstance(raw, Mapping):
        return None
    keys = ("pickup_before_min", "pickup_after_min", "max_extra_ride_min")
    values = [raw.get(k) for k in keys]
    if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
        return None
    before, after, extra = (int(v) for v in values if isinstance(v, int))
    return before, after, extra


def waiting_included(decision: Mapping[str, Any] | None) -> bool:
    """Whether the decision's extra ride time also covers waiting: at the destination
    before an appointment, and for a pickup later than asked.

    Only a literal true counts: a decision stored before the field existed reads as ride
    time alone, which is how it was planned.
    """
    raw = (decision or {}).get("tolerance")
    return isinstance(raw, Mapping) and raw.get("waiting_included") is True


def _extra_ride_min(leg: LegInput, defaults: PlanningDefaults) -> int:
    if leg.purpose == "dialysis":
        return defaults.extra_ride_dialysis_min
    if leg.same_municipality:
        return defaults.extra_ride_home_min
    return defaults.extra_ride_beyond_min


def service_seconds(needs: Iterable[str], defaults: PlanningDefaults) -> float:
    """Time the vehicle stands still at a pickup or drop-off for a traveller with these
    needs (boarding or alighting); settlement uses the same figure."""
    kinds = set(needs)
    if "stretcher" in kinds:
        return defaults.service_stretcher_min * MINUTE
    if "wheelchair" in kinds:
        return defaults.service_wheelchair_min * MINUTE
    return defaults.service_seated_min * MINUTE


def _load(leg: LegInput) -> tuple[int, int, int]:
    """Seats for the traveller (unless lying or in a wheelchair) and companions."""
    if "stretcher" in leg.needs:
        return (leg.companions, 0, 1)
    if "wheelchair" in leg.needs:
        return (leg.companions, 1, 0)
    return (1 + leg.companions, 0, 0)


def _hull(a: Window, b: Window) -> Window:
    return Window(min(a.earliest, b.earliest), max(a.latest, b.latest))


def _reachable(
    dropoff: Window, pickup_end: float, service: float, direct: float, max_ride: float
) -> Window:
    """The drop-off window widened just enough that a pickup at `pickup_end` (the end of a
    promise) then the direct ride is on time, and waiting for the window to open stays
    within the ride limit. A promise made under older windows stands."""
    return Window(
        min(dropoff.earliest, pickup_end + service + max_ride),
        max(dropoff.latest, pickup_end + service + direct),
    )


def leg_request(
    leg: LegInput,
    pickup: int,
    dropoff: int,
    direct: float,
    defaults: PlanningDefaults,
    day: date,
) -> Request:
    """One booking leg as a planning request: windows from its decision's tolerance (or
    the defaults), service time, load and ride limit. Every path that plans a leg builds
    it here, the service-day benchmark too, so a rule holds wherever a leg is planned."""
    tolerance = tolerance_minutes(leg.decision)
    if tolerance is None:
        before = defaults.pickup_before_min * MINUTE
        after = defaults.pickup_after_min * MINUTE
        extra = _extra_ride_min(leg, defaults) * MINUTE
        waiting = False
    else:
        before, after, extra = (m * MINUTE for m in tolerance)
        waiting = waiting_included(leg.decision)
    service = service_seconds(leg.needs, defaults)
    if leg.requested_pickup_at is not None:
        t = seconds_of(day, leg.requested_pickup_at)
        # With waiting included, minutes picked up after t come out of the extra ride time,
        # so the drop-off is due by t + direct + extra however late the pickup. An early
        # pickup is no wait: the ride limit alone holds it.
        pickup_window = Window(t - before, t + (min(after, extra) if waiting else after))
        due = t if waiting else pickup_window.latest
        dropoff_window = Window(
            pickup_window.earliest + service + direct,
            due + service + direct + extra,
        )
    elif leg.appointment_at is not None:
        a = seconds_of(day, leg.appointment_at)
        latest_drop = a - service
        dropoff_window = Window(latest_drop - defaults.arrival_slack_min * MINUTE, latest_drop)
        # Arriving early is waiting too: with waiting included, the pickup opens only the
        # extra ride time before the latest direct start, so earliness and extra ride
        # together stay within it. Otherwise each has its own allowance.
        opens = dropoff_window.latest if waiting else dropoff_window.earliest
        pickup_window = Window(
            opens - direct - extra - service,
            latest_drop - direct - service,
        )
    else:
        raise InputError(
            f"leg {leg.leg_seq} of booking {leg.booking_id} has neither a pickup time nor an "
            "appointment time",
            field="legs",
        )
    promise = None
    if leg.promised_from is not None and leg.promised_until is not None:
        promise = Window(seconds_of(day, leg.promised_from), seconds_of(day, leg.promised_until))
        # A promise given to a traveller stands even if the tolerance rules changed since.
        pickup_window = _hull(pickup_window, promise)
        dropoff_window = _reachable(dropoff_window, promise.latest, service, direct, direct + extra)
    return Request(
        id=leg.request_id,
        pickup=pickup,
        dropoff=dropoff,
        pickup_window=pickup_window,
        dropoff_window=dropoff_window,
        pickup_service=service,
        dropoff_service=service,
        load=_load(leg),
        max_ride=direct + extra,
        ride_alone="ride_alone" in leg.needs,
        front_seat="front_seat" in leg.needs,
        promised_pickup=promise,
    )
