"""The states of a booking and the transitions allowed between them (pure).

requested -> approved | denied | cancelled
approved  -> scheduled | cancelled | requested (changed, for an assessor to decide again)
scheduled -> assigned | approved (taken out of the plan) | cancelled | requested (changed)
assigned  -> in_progress | scheduled (taken off the run) | cancelled | no_show
             | requested (changed)
in_progress -> completed
denied    -> approved (on reconsideration, omprövning, by an assessor)
completed, cancelled and no_show are final.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from samfard.errors import InvalidTransition


class BookingStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DENIED = "denied"
    SCHEDULED = "scheduled"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


S = BookingStatus

ALLOWED: dict[BookingStatus, frozenset[BookingStatus]] = {
    S.REQUESTED: frozenset({S.APPROVED, S.DENIED, S.CANCELLED}),
    S.APPROVED: frozenset({S.SCHEDULED, S.CANCELLED, S.REQUESTED}),
    S.SCHEDULED: frozenset({S.ASSIGNED, S.APPROVED, S.CANCELLED, S.REQUESTED}),
    S.ASSIGNED: frozenset({S.IN_PROGRESS, S.SCHEDULED, S.CANCELLED, S.NO_SHOW, S.REQUESTED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED}),
    S.DENIED: frozenset({S.APPROVED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
    S.NO_SHOW: frozenset(),
}

FINAL = frozenset(status for status, targets in ALLOWED.items() if not targets)
CANCELLABLE = frozenset(status for status, targets in ALLOWED.items() if S.CANCELLED in targets)


def check_transition(current: BookingStatus, target: BookingStatus) -> None:
    if target not in ALLOWED[current]:
        allowed = ", ".join(sorted(ALLOWED[current])) or "none, it is final"
        raise InvalidTransition(
            f"a booking cannot go from {current} to {target}; from {current} it may go to "
            f"{allowed}",
            field="status",
        )


def is_late_cancellation(*, now: datetime, first_pickup: datetime, notice: timedelta) -> bool:
    """A cancellation with less notice than the rule allows (the carrier may charge
    a no-show fee, bomkörning)."""
    return now > first_pickup - notice
