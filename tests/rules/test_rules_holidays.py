"""Booking deadlines counted in weekdays skip Swedish holidays: Västernorrland's taxi
sjukresor are booked at least two weekdays ahead, Strömsund's färdtjänst by the weekday
before, and neither Good Friday, Easter Monday nor Christmas Eve is a weekday the desk
works. Midsummer, Christmas and New Year's Eve count as holidays, as the taxi tariffs'
calendar has them (holidays_sv, shared with costs.contracts)."""

from __future__ import annotations

from datetime import date, time

import pytest
from rule_fixtures import CERTIFIED, leg, person, round_trip, trip
from sjukresa_fixtures import cert, vn

from samfard.costs import contracts
from samfard.holidays_sv import is_working_day, swedish_holidays
from samfard.rules import AssessmentRequest, Mode, Permit, RulebookSet, Service, assess
from samfard.timeutil import local

# A taxi certificate valid over the year's holidays, issued long before.
VN_ALL_YEAR = person(
    "2281",
    certificates=(
        cert(issued_on=date(2026, 1, 2), valid_from=date(2026, 1, 2), valid_until=date(2027, 2, 1)),
    ),
)
STROMSUND = person("2313", permits=(Permit(Service.FARDTJANST, "2313", date(2025, 1, 1)),))


def _vn_taxi(rulebooks: RulebookSet, day: date, booked: date) -> str:
    trip_ = vn(
        requested_mode=Mode.TAXI,
        legs=round_trip(40, origin="2281", day=day),
        booked_at=local(booked, time(10)),
    )
    return assess(AssessmentRequest(VN_ALL_YEAR, trip_, (CERTIFIED,)), rulebooks).outcome.value


def _stromsund(rulebooks: RulebookSet, day: date, booked: date) -> str:
    trip_ = trip(
        Service.FARDTJANST,
        "2313",
        (leg(10, origin="2313", day=day, bus_fare_ore=3000),),
        booked_at=local(booked, time(15)),
    )
    return assess(AssessmentRequest(STROMSUND, trip_), rulebooks).outcome.value


@pytest.mark.parametrize(
    ("name", "day", "booked", "outcome"),
    [
        # Thu 2 April to Tue 7 April 2026: Good Friday and Easter Monday between; one
        # working day (the Tuesday) where three weekdays were counted.
        ("easter: thursday before is late", date(2026, 4, 7), date(2026, 4, 2), "needs_assessor"),
        ("easter: wednesday before is in time", date(2026, 4, 7), date(2026, 4, 1), "automatic"),
        # Wed 23 to Mon 28 December: Christmas Eve, Christmas Day, a weekend.
        ("christmas: the 23rd is late", date(2026, 12, 28), date(2026, 12, 23), "needs_assessor"),
        ("christmas: the 22nd is in time", date(2026, 12, 28), date(2026, 12, 22), "automatic"),
        # Midsummer Eve is Friday 19 June 2026.
        ("midsummer eve is no weekday", date(2026, 6, 22), date(2026, 6, 18), "needs_assessor"),
        ("midsummer: wednesday in time", date(2026, 6, 22), date(2026, 6, 17), "automatic"),
        # New Year's Eve (Thursday) and New Year's Day (Friday) 2026/27.
        ("new year: the 30th is late", date(2027, 1, 4), date(2026, 12, 30), "needs_assessor"),
        ("new year: the 29th is in time", date(2027, 1, 4), date(2026, 12, 29), "automatic"),
    ],
)
def test_vn_two_weekdays_ahead_skip_holidays(
    rulebooks: RulebookSet, name: str, day: date, booked: date, outcome: str
) -> None:
    assert _vn_taxi(rulebooks, day, booked) == outcome, name


@pytest.mark.parametrize(
    ("name", "day", "booked", "outcome"),
    [
        # The weekday before Tuesday 7 April 2026 is Thursday 2 April.
        ("easter saturday is late", date(2026, 4, 7), date(2026, 4, 4), "needs_assessor"),
        ("good friday is late", date(2026, 4, 7), date(2026, 4, 3), "needs_assessor"),
        ("maundy thursday is in time", date(2026, 4, 7), date(2026, 4, 2), "automatic"),
        # The weekday before Monday 28 December 2026 is Wednesday the 23rd.
        ("christmas eve is late", date(2026, 12, 28), date(2026, 12, 24), "needs_assessor"),
        ("the 23rd is in time", date(2026, 12, 28), date(2026, 12, 23), "automatic"),
    ],
)
def test_stromsund_weekday_before_skips_holidays(
    rulebooks: RulebookSet, name: str, day: date, booked: date, outcome: str
) -> None:
    assert _stromsund(rulebooks, day, booked) == outcome, name


def test_the_late_reason_names_the_last_day_to_book(rulebooks: RulebookSet) -> None:
    """The assessor reads which day was the weekday before, not only that it was missed."""
    trip_ = trip(
        Service.FARDTJANST,
        "2313",
        (leg(10, origin="2313", day=date(2026, 4, 7), bus_fare_ore=3000),),
        booked_at=local(date(2026, 4, 4), time(15)),
    )
    decision = assess(AssessmentRequest(STROMSUND, trip_), rulebooks)
    assert "2026-04-02" in decision.reason("booking.late").text


def test_rules_and_tariffs_share_one_holiday_calendar() -> None:
    """The taxi tariffs' weekend days and the rules' non-working days come from one place."""
    assert contracts.swedish_holidays is swedish_holidays
    for day in (date(2026, 4, 3), date(2026, 4, 6), date(2026, 6, 19), date(2026, 12, 24)):
        assert contracts.is_weekend_rate_day(day) and not is_working_day(day)
    assert is_working_day(date(2026, 4, 2)) and not is_working_day(date(2026, 4, 4))
