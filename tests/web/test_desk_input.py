"""Reading what an operator types at the booking desk (no database): Swedish times and
dates in the forms people write them, and companions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from samfard.booking.desk_input import child_ages, companions, count, parse_when
from samfard.booking.schemas import CompanionKind
from samfard.timeutil import STOCKHOLM
from samfard.web.typed import FieldError, parse_clock, parse_date

TODAY = date(2026, 12, 1)
DAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("10:30", time(10, 30)), ("10.30", time(10, 30)), ("10,30", time(10, 30)),
     ("1030", time(10, 30)),
     ("kl 9", time(9, 0)), ("kl. 07:05", time(7, 5)), ("0", time(0, 0))],
)  # fmt: skip
def test_clock_times_in_the_ways_people_write_them(text: str, expected: time) -> None:
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["25:00", "10:61", "tio", "10:3", "12345"])
def test_impossible_clock_times_are_refused_in_swedish(text: str) -> None:
    with pytest.raises(FieldError, match="10:30"):
        parse_clock(text)


@pytest.mark.parametrize(
    "text",
    ["2026-12-02 10:00", "2026-12-02T10:00", "2026-12-02T10:00:00", "2026-12-02, 10:00",
     "2/12 10:00", "2/12/2026 10.00", "2026-12-02T10:00:00+01:00", "2026-12-02T09:00:00Z",
     "2/12,10:00", "2026-12-02 10,00"],
)  # fmt: skip
def test_full_dates_and_times_ignore_the_form_date(text: str) -> None:
    at = parse_when(text, day=date(2027, 1, 1), today=TODAY)
    assert at == datetime(2026, 12, 2, 10, 0, tzinfo=STOCKHOLM)
    assert at.utcoffset() is not None


def test_a_bare_time_falls_on_the_form_date_in_swedish_time() -> None:
    summer = parse_when("10:00", day=date(2027, 6, 1), today=TODAY)
    assert summer.isoformat() == "2027-06-01T10:00:00+02:00"
    with pytest.raises(FieldError, match="Datum"):
        parse_when("10:00", day=None, today=TODAY)


def test_day_and_month_without_year_is_the_next_such_day() -> None:
    assert parse_date("2/12", today=TODAY) == date(2026, 12, 2)
    assert parse_date("5/1", today=TODAY) == date(2027, 1, 5)
    with pytest.raises(FieldError):
        parse_date("31/2", today=TODAY)


def test_companions_are_escorts_adults_and_children_with_ages() -> None:
    form = {"ledsagare": "1", "medfoljande": "", "barn": "5, 8"}
    found = companions(count(form, "ledsagare", most=2), count(form, "medfoljande"),
                       child_ages(form))  # fmt: skip
    assert [c.kind for c in found] == [
        CompanionKind.ESCORT, CompanionKind.CHILD, CompanionKind.CHILD,
    ]  # fmt: skip
    assert [c.age for c in found] == [None, 5, 8]
    with pytest.raises(FieldError, match="åldrar"):
        child_ages({"barn": "fem"})
    with pytest.raises(FieldError, match="0 till 2"):
        count({"ledsagare": "3"}, "ledsagare", most=2)


def test_a_time_written_with_a_comma_is_a_time_on_the_form_date() -> None:
    """'10,30' reached the clock as '10 30' and was refused."""
    assert parse_when("10,30", day=date(2027, 1, 1), today=TODAY) == datetime(
        2027, 1, 1, 10, 30, tzinfo=STOCKHOLM
    )


SPRING_FORWARD = date(2027, 3, 28)  # the last Sunday of March: 02:00 becomes 03:00
FALL_BACK = date(2027, 10, 31)  # the last Sunday of October: 03:00 becomes 02:00


@pytest.mark.parametrize(
    ("text", "day"),
    [("02:30", SPRING_FORWARD), ("2027-03-28 02:00", None), ("28/3 02:59", None),
     ("2027-03-28T02:15", None)],
)  # fmt: skip
def test_a_time_the_clocks_skip_in_spring_is_refused_not_moved_an_hour(
    text: str, day: date | None
) -> None:
    """02:30 on the night summer time begins was booked as 03:30 without a word."""
    with pytest.raises(FieldError, match="finns inte den dagen"):
        parse_when(text, day=day, today=TODAY)


def test_the_hours_around_the_clock_changes_are_read_as_the_clocks_show_them() -> None:
    before = parse_when("01:59", day=SPRING_FORWARD, today=TODAY)
    after = parse_when("03:00", day=SPRING_FORWARD, today=TODAY)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(minutes=1)
    twice = parse_when("02:30", day=FALL_BACK, today=TODAY)
    assert twice.utcoffset() == timedelta(hours=2), "the first 02:30, summer time's"
