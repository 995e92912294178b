"""Riksfärdtjänst and närtrafik rule tables: national fee bands and the 70 % reduction,
distance to the stop, service windows and booking lead time; exact öre and cited keys."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

import pytest
from rule_fixtures import DAY, Case, check, leg, person, trip

from samfard.errors import InputError
from samfard.rules import (
    AssessmentRequest,
    Companion,
    CompanionKind,
    Mode,
    Permit,
    RulebookSet,
    Service,
    Trip,
    assess,
)
from samfard.timeutil import local

V0 = "versions[0]"
R = Service.RIKSFARDTJANST
N = Service.NARTRAFIK
RIKS_PERMIT = Permit(R, "2380", date(2026, 1, 1), date(2026, 12, 31))


def riks(km: int | str, **extra: Any) -> Trip:
    return trip(R, "2380", (leg(km, destination="0180"),), **extra)


def traveller(**extra: Any) -> Any:
    return person("2380", permits=(RIKS_PERMIT,), **extra)


def nar(
    principal: str = "RKM-23", *, at: time = time(10), stop_km: str = "2.5", **extra: Any
) -> Trip:
    return trip(
        N,
        principal,
        (leg(12, at=at, origin="2309", bus_fare_ore=3200),),
        distance_to_stop_km=Decimal(stop_km),
        **extra,
    )


KROKOM = person("2309")

CASES = [
    Case(
        "riks 90 km costs 105 kr",
        traveller(),
        riks(90),
        "automatic",
        (10500,),
        "fee.band",
        f"{V0}.fee.bands[0].fee_kr",
    ),
    Case(
        "riks 100.4 km rounds to 100 km",
        traveller(),
        riks("100.4"),
        "automatic",
        (10500,),
        "fee.band",
        f"{V0}.fee.bands[0].fee_kr",
    ),
    Case(
        "riks 110 km costs 130 kr",
        traveller(),
        riks(110),
        "automatic",
        (13000,),
        "fee.band",
        f"{V0}.fee.bands[1].fee_kr",
    ),
    Case(
        "riks 150 km costs 165 kr",
        traveller(),
        riks(150),
        "automatic",
        (16500,),
        "fee.band",
        f"{V0}.fee.bands[2].fee_kr",
    ),
    Case(
        "riks 450 km falls in an interpolated band",
        traveller(),
        riks(450),
        "automatic",
        (32000,),
        "fee.band",
        f"{V0}.fee.bands[6].fee_kr",
    ),
    Case(
        "riks 2000 km costs 755 kr",
        traveller(),
        riks(2000),
        "automatic",
        (75500,),
        "fee.band",
        f"{V0}.fee.bands[17].fee_kr",
    ),
    Case(
        "riks under 26 pays 70 %",
        traveller(age=25),
        riks(90),
        "automatic",
        (7350,),
        "fee.reduced",
        f"{V0}.reduction.share",
    ),
    Case(
        "riks students pay 70 %",
        traveller(student=True),
        riks(110),
        "automatic",
        (9100,),
        "fee.reduced",
        f"{V0}.reduction.share",
    ),
    Case(
        "riks aged 26 pays in full",
        traveller(age=26),
        riks(90),
        "automatic",
        (10500,),
        "fee.band",
        f"{V0}.fee.bands[0].fee_kr",
    ),
    Case(
        "riks without a decision is refused",
        person("2380"),
        riks(90),
        "refused",
        (),
        "permit.missing",
        V0,
    ),
    Case(
        "riks within the home municipality is refused: färdtjänst may apply",
        traveller(),
        trip(R, "2380", (leg(12),)),
        "refused",
        (),
        "trip.within_municipality",
        V0,
    ),
    Case(
        "riks within another municipality is refused too",
        traveller(),
        trip(R, "2380", (leg(12, origin="0180"),)),
        "refused",
        (),
        "trip.within_municipality",
        V0,
    ),
    Case(
        "riks to treatment is a sjukresa of the region",
        traveller(),
        riks(300, purpose="treatment"),
        "refused",
        (),
        "purpose.sjukresa",
        V0,
    ),
    Case(
        "riks to visit someone is riksfärdtjänst",
        traveller(),
        riks(300, purpose="visit"),
        "automatic",
        (23000,),
        "fee.band",
        f"{V0}.fee.bands[4].fee_kr",
    ),
    Case(
        "riks with a special vehicle decision sends one when a taxi is asked",
        person("2380", permits=(Permit(R, "2380", date(2026, 1, 1), special_vehicle=True),)),
        riks(90, requested_mode=Mode.TAXI),
        "automatic",
        (10500,),
        "mode.chosen",
        "versions[0].modes",
    ),
    Case(
        "riks escort without decision goes to assessor",
        traveller(),
        riks(90, companions=(Companion(CompanionKind.ESCORT),)),
        "needs_assessor",
        (10500,),
        "companion.escort_not_in_permit",
        f"{V0}.companions.escort_free",
    ),
    Case(
        "närtrafik charges the ordinary fare",
        KROKOM,
        nar(),
        "automatic",
        (3200,),
        "fee.bus_fare",
        f"{V0}.fee.multiple",
    ),
    Case(
        "närtrafik refuses those near a stop",
        KROKOM,
        nar(stop_km="0.8"),
        "refused",
        (),
        "eligibility.near_stop",
        f"{V0}.eligibility.min_distance_to_stop_km",
    ),
    Case(
        "närtrafik runs only in its windows",
        KROKOM,
        nar(at=time(14)),
        "refused",
        (),
        "hours.outside_window",
        f"{V0}.service.windows",
    ),
    Case(
        "närtrafik evening window",
        KROKOM,
        nar(at=time(18, 30)),
        "automatic",
        (3200,),
        "fee.bus_fare",
        f"{V0}.fee.multiple",
    ),
    Case(
        "närtrafik booked one hour ahead is refused",
        KROKOM,
        nar(booked_at=local(DAY, time(9))),
        "refused",
        (),
        "booking.late",
        f"{V0}.booking.min_hours_ahead",
    ),
    Case(
        "närtrafik of the other county's authority is refused",
        KROKOM,
        nar("RKM-22"),
        "refused",
        (),
        "principal.not_home_authority",
        V0,
    ),
    Case(
        "närtrafik of the other county's authority is refused without a distance to a stop",
        KROKOM,
        trip(N, "RKM-22", (leg(12, at=time(10), origin="2309", bus_fare_ore=3200),)),
        "refused",
        (),
        "principal.not_home_authority",
        V0,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_transit_rule_table(case: Case, rulebooks: RulebookSet) -> None:
    check(case, rulebooks)


def test_a_nartrafik_trip_that_could_be_granted_needs_its_distance_to_a_stop(
    rulebooks: RulebookSet,
) -> None:
    """Without the distance to the nearest stop the rules cannot grant närtrafik: the trip
    is sent back naming the fact to give, not guessed at."""
    bare = trip(N, "RKM-23", (leg(12, at=time(10), origin="2309", bus_fare_ore=3200),))
    with pytest.raises(InputError, match="distance_to_stop_km is needed") as raised:
        assess(AssessmentRequest(KROKOM, bare), rulebooks)
    assert raised.value.field == "trip.distance_to_stop_km"


def test_interpolated_riks_bands_say_so(rulebooks: RulebookSet) -> None:
    """Bands not stated in rules.md carry the [G] tag all the way into the decision."""
    decision = assess(AssessmentRequest(traveller(), riks(450)), rulebooks)
    citation = decision.reason("fee.band").citation
    assert citation is not None
    assert citation.file == "rulebooks/SE/riksfardtjanst.toml"
    assert citation.source.startswith("[G]")
    stated = assess(AssessmentRequest(traveller(), riks(90)), rulebooks).reason("fee.band")
    assert stated.citation is not None and stated.citation.source.startswith("[S]")
