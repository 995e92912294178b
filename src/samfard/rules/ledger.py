"""Fee ceiling (högkostnadsskydd) as a pure ledger.

One ledger per traveller and principal. A period opens with the first fee-bearing trip
(rolling 12 months) or on 1 January (calendar year), as the rulebook says. Fees count until
the ceiling; the trip that crosses it pays only the remainder; later trips are free until
the period ends. The functions return new states and never touch storage: the booking
service persists whatever `charge` returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from samfard.errors import InputError
from samfard.money import Ore

PeriodKind = Literal["rolling_12_months", "calendar_year"]


@dataclass(frozen=True)
class CeilingRule:
    """The ceiling amount and how its period is counted."""

    amount_ore: Ore
    period: PeriodKind

    def __post_init__(self) -> None:
        if self.amount_ore <= 0:
            raise InputError(f"ceiling amount must be positive öre, got {self.amount_ore}")
        if self.period not in ("rolling_12_months", "calendar_year"):
            raise InputError(
                f"ceiling period must be rolling_12_months or calendar_year, got {self.period!r}"
            )


@dataclass(frozen=True)
class LedgerState:
    """Where a traveller stands with one principal: the open period and what it holds.

    period_end is exclusive. free_from is the day the ceiling was reached, if it was.
    """

    principal: str
    period_start: date | None = None
    period_end: date | None = None
    paid_ore: Ore = 0
    free_from: date | None = None

    def __post_init__(self) -> None:
        if self.paid_ore < 0:
            raise InputError(f"ledger paid_ore must be >= 0, got {self.paid_ore}")
        if (self.period_start is None) != (self.period_end is None):
            raise InputError("ledger period_start and period_end must be given together")
        if self.period_start is None and (self.paid_ore or self.free_from):
            raise InputError("a ledger without a period cannot hold payments")


@dataclass(frozen=True)
class Charge:
    """The outcome of charging one fee: what the traveller pays and the new ledger."""

    list_fee_ore: Ore
    paid_ore: Ore
    state: LedgerState


@dataclass(frozen=True)
class CeilingStatus:
    """Answer to 'where am I with the fee ceiling on this day?'."""

    paid_ore: Ore
    remaining_ore: Ore
    period_start: date | None
    free_from: date | None
    free_until: date | None


def _one_year_later(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the period runs to 1 March
        return date(day.year + 1, 3, 1)


def _open_period(rule: CeilingRule, day: date) -> tuple[date, date]:
    if rule.period == "calendar_year":
        return date(day.year, 1, 1), date(day.year + 1, 1, 1)
    return day, _one_year_later(day)


def _current(state: LedgerState, rule: CeilingRule, day: date) -> LedgerState:
    """The state that applies on `day`: the open period, or an empty one if it has ended."""
    if state.period_start is not None and state.period_end is not None:
        if day < state.period_start:
            raise InputError(
                f"trip on {day} is before the open fee period starting {state.period_start}; "
                "rebuild the ledger with replay() from the full history",
                field="ledger",
            )
        if day < state.period_end:
            return state
    return LedgerState(principal=state.principal)


def charge(state: LedgerState, rule: CeilingRule, day: date, fee_ore: Ore) -> Charge:
    """Charge a fee-bearing trip on `day`, capped by what is left under the ceiling."""
    if fee_ore < 0:
        raise InputError(f"fee must be >= 0 öre, got {fee_ore}", field="fee_ore")
    current = _current(state, rule, day)
    if fee_ore == 0:
        return Charge(list_fee_ore=0, paid_ore=0, state=current)
    if current.period_start is None:
        start, end = _open_period(rule, day)
        current = LedgerState(principal=state.principal, period_start=start, period_end=end)
    remaining = max(rule.amount_ore - current.paid_ore, 0)
    paid = min(fee_ore, remaining)
    total = current.paid_ore + paid
    free_from = current.free_from
    if free_from is None and total >= rule.amount_ore:
        free_from = day
    new_state = LedgerState(
        principal=state.principal,
        period_start=current.period_start,
        period_end=current.period_end,
        paid_ore=total,
        free_from=free_from,
    )
    return Charge(list_fee_ore=fee_ore, paid_ore=paid, state=new_state)


def status(state: LedgerState, rule: CeilingRule, day: date) -> CeilingStatus:
    """Paid so far in the period open on `day`, what is left, and the free span if reached."""
    current = _current(state, rule, day)
    free_until = None
    if current.free_from is not None and current.period_end is not None:
        free_until = current.period_end - timedelta(days=1)
    return CeilingStatus(
        paid_ore=current.paid_ore,
        remaining_ore=max(rule.amount_ore - current.paid_ore, 0),
        period_start=current.period_start,
        free_from=current.free_from,
        free_until=free_until,
    )


def replay(principal: str, rule: CeilingRule, fees: Iterable[tuple[date, Ore]]) -> LedgerState:
    """Rebuild a ledger from the list fees of past trips, in date order."""
    state = LedgerState(principal=principal)
    for day, fee in sorted(fees, key=lambda item: item[0]):
        state = charge(state, rule, day, fee).state
    return state
