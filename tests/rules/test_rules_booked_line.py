"""Anropsstyrd linjetrafik and the completed närtrafik rules: a leg rides a timetabled
departure of the paying authority, booked before the deadline that binds (the line's or the
rulebook's), at the ordinary fare read from the fare table; närtrafik runs between the door
and the nearest stop or service point, at the table's fare when no fare is given."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from rule_fixtures import DAY, Case, check, leg, person, trip

from samfard.rules import (
    Companion,
    CompanionKind,
    Mode,
    Needs,
    RulebookSet,
    Service,
    Trip,
    assess,
)
from samfard.rules.facts import AssessmentRequest, LineRide
from samfard.timeutil import local

V0 = "versions[0]"
L = Service.ANROPSSTYRD_LINJETRAFIK
FIRST_STOP = local(DAY, time(6, 40))


def ride(
    *, principal: str = "RKM-23", deadline_min: int = 120, boards: int = 50, **extra: int
) -> LineRide:
    return LineRide(
        line_code="AL 164",
        principal=principal,
        departure_id=7,
        first_stop_departs_at=FIRST_STOP,
        boards_at=FIRST_STOP + timedelta(minutes=boards),
        deadline_min=deadline_min,
        **({"seats": 8, "wheelchair_places": 1} | extra),
    )


def line_trip(
    km: str = "28",
    *,
    line: LineRide | None = None,
    booked_at: datetime | None = None,
    **extra: Any,
) -> Trip:
    found = line if line is not None else ride()
    return trip(
        L,
        "RKM-23",
        (
            leg(
                km,
                at=time(7, 30),
                origin="2361",
                origin_place="hede",
                destination_place="vemdalen",
                line=found,
            ),
        ),
        booked_at=booked_at or FIRST_STOP - timedelta(hours=5),
        **extra,
    )


HEDE = person("2361")

CASES = [
    Case(
        "a booked line in time costs the ordinary fare for 28 km",
        HEDE,
        line_trip(),
        "automatic",
        (5200,),
        "fee.bus_fare",
        f"{V0}.fare.bands[1].fee_kr",
    ),
    Case(
        "the fare table's first band",
        HEDE,
        line_trip("9.6"),
        "automatic",
        (3400,),
        "fee.bus_fare",
        f"{V0}.fare.bands[0].fee_kr",
    ),
    Case(
        "the line's own deadline binds when longer than the rulebook's",
        HEDE,
        line_trip(booked_at=FIRST_STOP - timedelta(minutes=90)),
        "refused",
        (),
        "booking.after_deadline",
        f"{V0}.booking.min_minutes_before_departure",
    ),
    Case(
        "the rulebook's hour binds when the line asks for less",
        HEDE,
        line_trip(line=ride(deadline_min=15), booked_at=FIRST_STOP - timedelta(minutes=30)),
        "refused",
        (),
        "booking.after_deadline",
        f"{V0}.booking.min_minutes_before_departure",
    ),
    Case(
        "a short deadline met",
        HEDE,
        line_trip(line=ride(deadline_min=15), booked_at=FIRST_STOP - timedelta(minutes=61)),
        "automatic",
        (5200,),
        "fee.bus_fare",
        f"{V0}.fare.bands[1].fee_kr",
    ),
    Case(
        "a line of the other authority is refused",
        HEDE,
        line_trip(line=ride(principal="RKM-22")),
        "refused",
        (),
        "line.other_authority",
        V0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_booked_line_rule_table(case: Case, rulebooks: RulebookSet) -> None:
    check(case, rulebooks)


def test_a_full_departure_is_refused_and_a_free_place_taken(rulebooks: RulebookSet) -> None:
    """Seats and wheelchair places are counted apart; companions take seats too."""
    full = line_trip(line=ride(seats_booked=8))
    assert assess(AssessmentRequest(HEDE, full), rulebooks).reason("line.full")
    wheelchair = Needs(wheelchair=True)
    seats_full = line_trip(line=ride(seats_booked=8), needs=wheelchair)
    decision = assess(AssessmentRequest(HEDE, seats_full), rulebooks)
    assert decision.outcome.value == "automatic", "a wheelchair place is still free"
    taken = line_trip(line=ride(wheelchair_places_booked=1), needs=wheelchair)
    assert assess(AssessmentRequest(HEDE, taken), rulebooks).outcome.value == "refused"
    with_companion = line_trip(
        line=ride(seats_booked=7), companions=(Companion(CompanionKind.ESCORT),)
    )
    reason = assess(AssessmentRequest(HEDE, with_companion), rulebooks).reason("line.full")
    assert "1 seat(s)" in reason.text and "2 seat(s)" in reason.text


def test_a_leg_on_no_departure_is_refused_naming_its_stops(rulebooks: RulebookSet) -> None:
    no_line = trip(
        L,
        "RKM-23",
        (leg("28", at=time(7, 31), origin="2361", origin_place="hede", destination_place="sveg"),),
    )
    decision = assess(AssessmentRequest(HEDE, no_line), rulebooks)
    reason = decision.reason("line.no_departure")
    assert decision.chosen_mode is None
    assert "hede" in reason.text and "sveg" in reason.text and "07:31" in reason.text


def test_the_line_leaves_at_the_timetabled_time(rulebooks: RulebookSet) -> None:
    """The tolerance gives the planner no minute before the timetable, a few after."""
    decision = assess(AssessmentRequest(HEDE, line_trip()), rulebooks)
    assert decision.tolerance is not None
    assert decision.tolerance.pickup_before_min == 0
    assert 0 < decision.tolerance.pickup_after_min <= 10


def test_a_wheelchair_rides_the_line_in_a_wheelchair_vehicle(rulebooks: RulebookSet) -> None:
    decision = assess(AssessmentRequest(HEDE, line_trip(needs=Needs(wheelchair=True))), rulebooks)
    assert decision.chosen_mode is Mode.WHEELCHAIR_VEHICLE
    assert decision.legs[0].mode is Mode.WHEELCHAIR_VEHICLE


N = Service.NARTRAFIK


def nar(origin_place: str | None, destination_place: str | None, **extra: Any) -> Trip:
    return trip(
        N,
        "RKM-23",
        (
            leg(
                "23.4",
                at=time(10),
                origin="2309",
                origin_place=origin_place,
                destination_place=destination_place,
            ),
        ),
        distance_to_stop_km=Decimal("4.2"),
        nearest_stops=("follinge", "krokom"),
        **extra,
    )


def test_nartrafik_without_a_fare_charges_the_fare_table(rulebooks: RulebookSet) -> None:
    decision = assess(AssessmentRequest(person("2309"), nar(None, "follinge")), rulebooks)
    assert decision.fee_ore == 5200
    assert decision.reason("fee.fare_band").citation is not None
    assert decision.reason("fee.fare_band").citation.key == f"{V0}.fare.bands[1].fee_kr"


def test_nartrafik_runs_to_the_nearest_stop_only(rulebooks: RulebookSet) -> None:
    decision = assess(AssessmentRequest(person("2309"), nar(None, "ostersund")), rulebooks)
    assert decision.outcome.value == "refused"
    reason = decision.reason("route.not_to_nearest_stop")
    assert "follinge or krokom" in reason.text


def test_nartrafik_home_from_the_service_point(rulebooks: RulebookSet) -> None:
    decision = assess(AssessmentRequest(person("2309"), nar("krokom", None)), rulebooks)
    assert decision.outcome.value == "automatic"
