"""Every allowed and every forbidden lifecycle transition (pure)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from samfard.booking.lifecycle import ALLOWED, BookingStatus, check_transition, is_late_cancellation
from samfard.errors import InvalidTransition
from samfard.timeutil import STOCKHOLM

S = BookingStatus
EXPECTED_ALLOWED = {
    (S.REQUESTED, S.APPROVED),
    (S.REQUESTED, S.DENIED),
    (S.REQUESTED, S.CANCELLED),
    (S.APPROVED, S.SCHEDULED),
    (S.APPROVED, S.CANCELLED),
    (S.APPROVED, S.REQUESTED),
    (S.SCHEDULED, S.ASSIGNED),
    (S.SCHEDULED, S.APPROVED),
    (S.SCHEDULED, S.CANCELLED),
    (S.SCHEDULED, S.REQUESTED),
    (S.ASSIGNED, S.IN_PROGRESS),
    (S.ASSIGNED, S.SCHEDULED),
    (S.ASSIGNED, S.CANCELLED),
    (S.ASSIGNED, S.NO_SHOW),
    (S.ASSIGNED, S.REQUESTED),
    (S.IN_PROGRESS, S.COMPLETED),
    (S.DENIED, S.APPROVED),
}
ALL_PAIRS = list(itertools.product(BookingStatus, BookingStatus))


def test_the_table_is_exactly_the_documented_lifecycle() -> None:
    table = {(a, b) for a, targets in ALLOWED.items() for b in targets}
    assert table == EXPECTED_ALLOWED


@pytest.mark.parametrize(("current", "target"), sorted(EXPECTED_ALLOWED))
def test_allowed_transition_passes(current: BookingStatus, target: BookingStatus) -> None:
    check_transition(current, target)


@pytest.mark.parametrize(("current", "target"), [p for p in ALL_PAIRS if p not in EXPECTED_ALLOWED])
def test_forbidden_transition_is_refused(current: BookingStatus, target: BookingStatus) -> None:
    with pytest.raises(InvalidTransition, match=f"from {current} to {target}"):
        check_transition(current, target)


def test_late_cancellation_is_less_notice_than_required() -> None:
    pickup = datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)
    notice = timedelta(hours=2)
    assert not is_late_cancellation(
        now=pickup - timedelta(hours=3), first_pickup=pickup, notice=notice
    )
    assert not is_late_cancellation(now=pickup - notice, first_pickup=pickup, notice=notice)
    assert is_late_cancellation(
        now=pickup - timedelta(minutes=119), first_pickup=pickup, notice=notice
    )
