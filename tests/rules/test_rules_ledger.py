"""Fee ceiling ledger: the crossing trip pays the remainder, then free until the period
ends; rolling 12 months from the first fee-bearing trip or calendar years; status queries."""

from __future__ import annotations

from datetime import date

import pytest

from samfard.errors import InputError
from samfard.rules import CeilingRule, LedgerState, charge, replay, status

ROLLING = CeilingRule(240000, "rolling_12_months")
CALENDAR = CeilingRule(240000, "calendar_year")


def test_first_fee_bearing_trip_opens_a_rolling_period() -> None:
    state = LedgerState("23")
    assert charge(state, ROLLING, date(2026, 3, 4), 0).state.period_start is None
    result = charge(state, ROLLING, date(2026, 3, 4), 20000)
    assert (result.paid_ore, result.state.period_start, result.state.period_end) == (
        20000,
        date(2026, 3, 4),
        date(2027, 3, 4),
    )


def test_crossing_trip_pays_only_the_remainder_then_free() -> None:
    state = replay("23", ROLLING, [(date(2026, 1, 10), 20000)] * 11)  # 2 200 kr
    crossing = charge(state, ROLLING, date(2026, 5, 1), 30000)
    assert crossing.paid_ore == 20000
    assert crossing.state.free_from == date(2026, 5, 1)
    later = charge(crossing.state, ROLLING, date(2026, 12, 1), 20000)
    assert later.paid_ore == 0
    assert status(later.state, ROLLING, date(2026, 12, 1)).free_until == date(2027, 1, 9)


def test_period_end_starts_a_new_period_on_the_next_fee() -> None:
    state = replay("23", ROLLING, [(date(2025, 1, 10), 240000)])
    assert charge(state, ROLLING, date(2026, 1, 9), 20000).paid_ore == 0
    fresh = charge(state, ROLLING, date(2026, 1, 10), 20000)
    assert (fresh.paid_ore, fresh.state.period_start) == (20000, date(2026, 1, 10))


def test_calendar_year_period() -> None:
    state = charge(LedgerState("22"), CALENDAR, date(2026, 7, 1), 20000).state
    assert (state.period_start, state.period_end) == (date(2026, 1, 1), date(2027, 1, 1))
    assert charge(state, CALENDAR, date(2027, 1, 2), 20000).state.paid_ore == 20000


def test_leap_day_period_ends_on_first_of_march() -> None:
    state = charge(LedgerState("23"), ROLLING, date(2028, 2, 29), 100).state
    assert state.period_end == date(2029, 3, 1)


def test_status_reports_paid_remaining_and_free_span() -> None:
    state = replay("23", ROLLING, [(date(2026, 2, 1), 150000), (date(2026, 4, 1), 100000)])
    now = status(state, ROLLING, date(2026, 6, 1))
    assert (now.paid_ore, now.remaining_ore, now.period_start) == (240000, 0, date(2026, 2, 1))
    assert (now.free_from, now.free_until) == (date(2026, 4, 1), date(2027, 1, 31))
    after = status(state, ROLLING, date(2027, 2, 1))
    assert (after.paid_ore, after.remaining_ore, after.free_from) == (0, 240000, None)


def test_replay_sorts_by_date() -> None:
    fees = [(date(2026, 5, 1), 20000), (date(2026, 2, 1), 20000)]
    assert replay("23", ROLLING, fees).period_start == date(2026, 2, 1)


def test_trip_before_the_open_period_asks_for_a_replay() -> None:
    state = charge(LedgerState("23"), ROLLING, date(2026, 5, 1), 20000).state
    with pytest.raises(InputError, match="rebuild the ledger with replay"):
        charge(state, ROLLING, date(2026, 4, 1), 20000)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: CeilingRule(0, "rolling_12_months"), "ceiling amount must be positive"),
        (lambda: LedgerState("23", paid_ore=-1), "paid_ore must be >= 0"),
        (lambda: LedgerState("23", period_start=date(2026, 1, 1)), "given together"),
        (lambda: charge(LedgerState("23"), ROLLING, date(2026, 1, 1), -5), "fee must be >= 0"),
    ],
)
def test_invalid_ledger_values_are_refused(make: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        make()  # type: ignore[operator]
