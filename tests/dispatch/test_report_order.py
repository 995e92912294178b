"""The rule that marks stops reported in another order than the run plans them
(`dispatch.report_order`): a stop done before a stop planned ahead of it is marked, with
the first such stop; only the stop that came early is marked; a stop not reported, or
done at the same moment, marks nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from samfard.dispatch.report_order import done_at, out_of_order
from samfard.timeutil import STOCKHOLM

NINE = datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)


@dataclass(frozen=True)
class Said:
    kind: str
    at: datetime


def at(minute: int, kind: str = "picked_up") -> Said:
    return Said(kind, NINE + timedelta(minutes=minute))


def test_a_run_reported_in_its_planned_order_marks_nothing() -> None:
    stops = [[at(0, "arrived"), at(2)], [at(10)], [at(20, "dropped_off")], [at(30)]]
    assert out_of_order(stops) == {}


def test_a_later_pickup_done_before_an_earlier_one_is_marked_with_it() -> None:
    """Planned A, B, C; the driver picks up C before B: C is marked, before B."""
    assert out_of_order([[at(0)], [at(20)], [at(10)]]) == {2: 1}


def test_a_drop_off_reported_before_the_pickups_planned_ahead_of_it_is_marked() -> None:
    """Planned: pickup 1, pickup 2, drop-off 1; drop-off 1 reported before pickup 2."""
    stops = [[at(0)], [at(30)], [at(15, "dropped_off")]]
    assert out_of_order(stops) == {2: 1}


def test_only_the_stop_taken_early_is_marked_not_those_it_overtook() -> None:
    """The last of five stops done first marks one stop, with the first it came before."""
    stops = [[at(10)], [at(20)], [at(30)], [at(40)], [at(0)]]
    assert out_of_order(stops) == {4: 0}


def test_a_stop_not_reported_takes_no_part_until_it_is() -> None:
    """Stop 1 passed without a report: nothing is marked; reported late, the stop done
    before it is marked then."""
    assert out_of_order([[at(0)], [], [at(20)]]) == {}
    assert out_of_order([[at(0)], [at(30)], [at(20)]]) == {2: 1}


def test_stops_are_taken_at_their_finishing_report_else_their_framme() -> None:
    """Two travellers at one door: Framme at both, then B picked up before A. B was done
    first, so it is marked; with only Framme reported at A, A counts from its Framme."""
    a, b = [at(0, "arrived"), at(5)], [at(1, "arrived"), at(3)]
    assert done_at(a) == NINE + timedelta(minutes=5)
    assert out_of_order([a, b]) == {1: 0}
    assert out_of_order([[at(0, "arrived")], b]) == {}
    assert done_at([]) is None


def test_stops_done_at_the_same_moment_are_in_order() -> None:
    assert out_of_order([[at(5)], [at(5, "no_show")]]) == {}
