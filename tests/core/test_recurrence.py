"""Expanding weekly patterns into days (pure)."""

from __future__ import annotations

from datetime import date, time

import pytest

from samfard.booking.recurrence import Weekday, expand
from samfard.errors import InputError
from samfard.timeutil import local

MWF = [Weekday.MON, Weekday.WED, Weekday.FRI]


def test_dialysis_pattern_gives_mondays_wednesdays_fridays_minus_exceptions() -> None:
    days = expand(
        weekdays=MWF,
        start=date(2026, 11, 23),
        end=date(2026, 12, 6),
        exceptions=[date(2026, 11, 25)],
    )
    assert days == [
        date(2026, 11, 23),
        date(2026, 11, 27),
        date(2026, 11, 30),
        date(2026, 12, 2),
        date(2026, 12, 4),
    ]


def test_cancelled_from_stops_the_series_the_day_before() -> None:
    days = expand(
        weekdays=MWF,
        start=date(2026, 11, 23),
        end=date(2026, 12, 6),
        cancelled_from=date(2026, 11, 30),
    )
    assert days[-1] == date(2026, 11, 27)


def test_no_weekdays_is_refused_naming_the_field() -> None:
    with pytest.raises(InputError) as caught:
        expand(weekdays=[], start=date(2026, 11, 23), end=date(2026, 12, 6))
    assert caught.value.field == "weekdays"


def test_end_before_start_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        expand(weekdays=MWF, start=date(2026, 11, 23), end=date(2026, 11, 1))
    assert caught.value.field == "end_date"


def test_wall_clock_time_survives_the_spring_daylight_saving_change() -> None:
    """Sweden moves to summer time on 2027-03-28: 07:30 stays 07:30 local, so the UTC
    instant moves one hour earlier across the change."""
    days = expand(
        weekdays=[Weekday.SAT, Weekday.MON], start=date(2027, 3, 27), end=date(2027, 3, 29)
    )
    before, after = (local(d, time(7, 30)) for d in days)
    assert before.utcoffset() is not None and after.utcoffset() is not None
    assert (before.hour, after.hour) == (7, 7)
    assert before.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert after.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]
