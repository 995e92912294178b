"""Accommodation is paid when the cheapest mode would leave home before 05:00 or bring the
patient home after 23:00: moments, not clock times. A journey home that arrives at 00:30
arrives the next day, after 23:00; leaving at 23:30 for an 08:00 appointment is leaving
the evening before."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from rule_fixtures import DAY, leg
from sjukresa_fixtures import JH, V1, jh

from samfard.rules import AssessmentRequest, RulebookSet, Trip, assess

# Outward 09:00, return ready at 15:00 (rule_fixtures.round_trip): the default trip.


def _offered(trip_: Trip, rulebooks: RulebookSet) -> bool:
    return assess(AssessmentRequest(JH, trip_), rulebooks).accommodation_offered


@pytest.mark.parametrize(
    ("name", "trip_", "offered"),
    [
        (
            "home 00:30 after a 15:00 return is the next day",
            jh(public_transport_return=time(0, 30)),
            True,
        ),
        ("home 04:59 the next morning", jh(public_transport_return=time(4, 59)), True),
        ("home 22:59 the same evening", jh(public_transport_return=time(22, 59)), False),
        ("home 23:01 the same evening", jh(public_transport_return=time(23, 1)), True),
        (
            "home 00:30 after a 23:40 return, the night after",
            jh(
                legs=(leg(40), leg(40, at=time(23, 40), direction="return")),
                public_transport_return=time(0, 30),
            ),
            True,
        ),
        (
            "leaving 23:30 for an 08:00 appointment is the evening before",
            jh(
                legs=(
                    leg(40, at=time(8), arrive_by=True),
                    leg(40, at=time(15), direction="return"),
                ),
                public_transport_departure=time(23, 30),
            ),
            True,
        ),
        (
            "leaving 06:10 for an 08:00 appointment is in the morning",
            jh(
                legs=(
                    leg(40, at=time(8), arrive_by=True),
                    leg(40, at=time(15), direction="return"),
                ),
                public_transport_departure=time(6, 10),
            ),
            False,
        ),
    ],
)
def test_accommodation_compares_moments(
    rulebooks: RulebookSet, name: str, trip_: Trip, offered: bool
) -> None:
    assert _offered(trip_, rulebooks) is offered, name


def test_a_journey_home_past_midnight_says_the_day(rulebooks: RulebookSet) -> None:
    """The reason cites the rule and gives the arrival with its date, since it is not the
    day of the return."""

    class LateBus:
        def times(self, trip: object) -> tuple[time | None, time | None]:
            return time(7, 0), time(0, 30)

    decision = assess(AssessmentRequest(JH, jh()), rulebooks, timetable=LateBus())
    assert decision.accommodation_offered
    reason = decision.reason("accommodation.offered")
    assert reason.citation is not None and reason.citation.key == f"{V1}.accommodation"
    assert dict(reason.facts)["home"] == f"{DAY + timedelta(days=1)} 00:30"
    assert f"{DAY + timedelta(days=1)} 00:30" in reason.text
