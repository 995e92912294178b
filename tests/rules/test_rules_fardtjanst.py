"""Färdtjänst rule table: permit, service area, hours, fee bands and bus-fare tariffs,
children's reductions, companions and booking lead times; exact öre and cited keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from rule_fixtures import DAY, Case, check, leg, person, trip

from samfard.assessment.service import decision_json
from samfard.assessment.words_sv import reason_sv
from samfard.rules import (
    AssessmentRequest,
    Companion,
    CompanionKind,
    Mode,
    Needs,
    Permit,
    RulebookSet,
    Service,
    Trip,
    assess,
)
from samfard.rules.facts import OUTSIDE_REGIONS
from samfard.timeutil import STOCKHOLM, local

V0 = "versions[0]"
F = Service.FARDTJANST


def permit(municipality: str, **extra: Any) -> Permit:
    return Permit(F, municipality, date(2025, 1, 1), **extra)


def holder(municipality: str, *, age: int = 60, **permit_extra: Any) -> Any:
    return person(municipality, age=age, permits=(permit(municipality, **permit_extra),))


def ride(principal: str, km: str | int = 10, **extra: Any) -> Trip:
    leg_extra = {
        k: extra.pop(k)
        for k in list(extra)
        if k in ("destination", "at", "day", "bus_fare_ore", "destination_place")
    }
    return trip(F, principal, (leg(km, origin=principal, **leg_extra),), **extra)


HARNOSAND = holder("2280")
ORNSKOLDSVIK = holder("2284")
KROKOM = holder("2309")

CASES = [
    Case(
        "härnösand first band ends at 8.9 km",
        HARNOSAND,
        ride("2280", "8.9"),
        "automatic",
        (3800,),
        "fee.band",
        f"{V0}.fee.bands[0].fee_kr",
    ),
    Case(
        "härnösand 8.94 km rounds to 8.9",
        HARNOSAND,
        ride("2280", "8.94"),
        "automatic",
        (3800,),
        "fee.band",
        f"{V0}.fee.bands[0].fee_kr",
    ),
    Case(
        "härnösand 8.95 km rounds up into the second band",
        HARNOSAND,
        ride("2280", "8.95"),
        "automatic",
        (4500,),
        "fee.band",
        f"{V0}.fee.bands[1].fee_kr",
    ),
    Case(
        "härnösand 17 km costs 63 kr",
        HARNOSAND,
        ride("2280", 17),
        "automatic",
        (6300,),
        "fee.band",
        f"{V0}.fee.bands[2].fee_kr",
    ),
    Case(
        "härnösand 61.9 km is the last band",
        HARNOSAND,
        ride("2280", "61.9"),
        "automatic",
        (12300,),
        "fee.band",
        f"{V0}.fee.bands[7].fee_kr",
    ),
    Case(
        "härnösand beyond the table goes to assessor",
        HARNOSAND,
        ride("2280", 70),
        "needs_assessor",
        (0,),
        "fee.no_band",
        f"{V0}.fee.bands",
    ),
    Case(
        "härnösand under 19 pays half",
        holder("2280", age=15),
        ride("2280", "12.3"),
        "automatic",
        (2250,),
        "fee.child_holder",
        f"{V0}.children.holder_reduced_share",
    ),
    Case(
        "härnösand age 19 pays in full",
        holder("2280", age=19),
        ride("2280", "12.3"),
        "automatic",
        (4500,),
        "fee.band",
        f"{V0}.fee.bands[1].fee_kr",
    ),
    Case(
        "härnösand to midlanda airport is in the area",
        HARNOSAND,
        ride("2280", 20, destination="2262", destination_place="midlanda-flygplats"),
        "automatic",
        (6300,),
        "area.inside",
        f"{V0}.area",
    ),
    Case(
        "härnösand to sundsvall is outside the area",
        HARNOSAND,
        ride("2280", 45, destination="2281"),
        "refused",
        (),
        "area.outside",
        f"{V0}.area",
    ),
    Case(
        "sundsvall to timrå is in the area",
        holder("2281"),
        ride("2281", 15, destination="2262"),
        "automatic",
        (4500,),
        "area.inside",
        f"{V0}.area",
    ),
    Case(
        "a permit area extension lets the trip leave home",
        holder("2282", extra_areas=("2283",)),
        ride("2282", 30, destination="2283"),
        "automatic",
        (7200,),
        "area.inside",
        f"{V0}.area",
    ),
    Case("no permit is refused", person("2280"), ride("2280"), "refused", (), "permit.missing", V0),
    Case(
        "an expired permit is refused",
        person("2280", permits=(Permit(F, "2280", date(2024, 1, 1), date(2025, 12, 31)),)),
        ride("2280"),
        "refused",
        (),
        "permit.missing",
        V0,
    ),
    Case(
        "another municipality's resident is refused",
        HARNOSAND,
        ride("2281"),
        "refused",
        (),
        "permit.not_resident",
        V0,
    ),
    Case(
        "örnsköldsvik charges 1.5 x the bus fare",
        ORNSKOLDSVIK,
        ride("2284", bus_fare_ore=3500),
        "automatic",
        (5250,),
        "fee.bus_fare",
        f"{V0}.fee.multiple",
    ),
    Case(
        "örnsköldsvik has no service at night",
        ORNSKOLDSVIK,
        ride("2284", bus_fare_ore=3500, at=time(23, 30)),
        "refused",
        (),
        "hours.night",
        f"{V0}.night",
    ),
    Case(
        "örnsköldsvik early morning is night too",
        ORNSKOLDSVIK,
        ride("2284", bus_fare_ore=3500, at=time(5, 45)),
        "refused",
        (),
        "hours.night",
        f"{V0}.night",
    ),
    Case(
        "örnsköldsvik trip to härnösand at 5 kr/km on the quota",
        ORNSKOLDSVIK,
        ride("2284", 110, destination="2280"),
        "automatic",
        (55000,),
        "fee.outside_area",
        f"{V0}.outside_area.rate_kr_per_km",
    ),
    Case(
        "örnsköldsvik short trip outside pays the 50 kr minimum",
        ORNSKOLDSVIK,
        ride("2284", 8, destination="2283"),
        "automatic",
        (5000,),
        "fee.outside_area",
        f"{V0}.outside_area.rate_kr_per_km",
    ),
    Case(
        "örnsköldsvik quota of 20 used up is refused",
        person("2284", permits=(permit("2284"),), outside_area_trips_this_year=20),
        ride("2284", 110, destination="2280"),
        "refused",
        (),
        "area.quota_used",
        f"{V0}.outside_area.trips_per_year",
    ),
    Case(
        "östersund follows the county bus tariff",
        holder("2380"),
        ride("2380", bus_fare_ore=3200),
        "automatic",
        (3200,),
        "fee.bus_fare",
        f"{V0}.fee.multiple",
    ),
    Case(
        "krokom (run by the RKM) follows the bus tariff",
        KROKOM,
        ride("2309", bus_fare_ore=4100),
        "automatic",
        (4100,),
        "fee.bus_fare",
        f"{V0}.fee.multiple",
    ),
    Case(
        "krokom own child aged 5 rides free",
        KROKOM,
        ride("2309", bus_fare_ore=3200, companions=(Companion(CompanionKind.CHILD, age=5),)),
        "automatic",
        (3200,),
        "companion.own_child_free",
        f"{V0}.children.own_child_free_to_age",
    ),
    Case(
        "krokom own child aged 12 pays reduced",
        KROKOM,
        ride("2309", bus_fare_ore=3200, companions=(Companion(CompanionKind.CHILD, age=12),)),
        "automatic",
        (3200,),
        "companion.own_child_reduced",
        f"{V0}.children.own_child_reduced_share",
    ),
    Case(
        "special vehicle permit gives a wheelchair vehicle",
        holder("2280", special_vehicle=True),
        ride("2280", 12),
        "automatic",
        (4500,),
        "permit.special_vehicle",
        f"{V0}.modes",
    ),
    Case(
        "special vehicle permit sends one when the booking asks a taxi",
        holder("2280", special_vehicle=True),
        ride("2280", 12, requested_mode=Mode.TAXI),
        "automatic",
        (4500,),
        "mode.chosen",
        f"{V0}.modes",
    ),
    Case(
        "a trip to treatment is a sjukresa of the region, not färdtjänst",
        HARNOSAND,
        ride("2280", 12, purpose="treatment"),
        "refused",
        (),
        "purpose.sjukresa",
        V0,
    ),
    Case(
        "a dialysis trip in jämtland is a sjukresa too",
        KROKOM,
        ride("2309", bus_fare_ore=3200, purpose="dialysis"),
        "refused",
        (),
        "purpose.sjukresa",
        V0,
    ),
    Case(
        "a vaccination is no sjukresa, so färdtjänst may take it",
        HARNOSAND,
        ride("2280", 12, purpose="vaccination"),
        "automatic",
        (4500,),
        "fee.band",
        f"{V0}.fee.bands[1].fee_kr",
    ),
    Case(
        "escort in the permit rides free",
        holder("2280", escort=True),
        ride("2280", 12, companions=(Companion(CompanionKind.ESCORT),)),
        "automatic",
        (4500,),
        "companion.escort_free",
        f"{V0}.companions.escort_free",
    ),
    Case(
        "escort not in the permit goes to assessor",
        HARNOSAND,
        ride("2280", 12, companions=(Companion(CompanionKind.ESCORT),)),
        "needs_assessor",
        (4500,),
        "companion.escort_not_in_permit",
        f"{V0}.companions",
    ),
    Case(
        "fellow passenger in the permit pays as the holder",
        holder("2280", fellow_passenger=True),
        ride("2280", 12, companions=(Companion(CompanionKind.FELLOW_PASSENGER),)),
        "automatic",
        (4500,),
        "companion.pays_as_holder",
        f"{V0}.companions",
    ),
    Case(
        "fellow passenger not in the permit goes to assessor, as an escort does",
        HARNOSAND,
        ride("2280", 17, companions=(Companion(CompanionKind.FELLOW_PASSENGER),)),
        "needs_assessor",
        (6300,),
        "companion.fellow_passenger_not_in_permit",
        f"{V0}.companions",
    ),
    Case(
        "riding alone without the permit condition goes to assessor",
        HARNOSAND,
        ride("2280", 12, needs=Needs(ride_alone=True)),
        "needs_assessor",
        (4500,),
        "permit.ride_alone",
        V0,
    ),
    Case(
        "härnösand taxi booked 30 minutes ahead goes to assessor",
        HARNOSAND,
        ride("2280", 12, booked_at=local(DAY, time(8, 30))),
        "needs_assessor",
        (4500,),
        "booking.late",
        f"{V0}.booking",
    ),
    Case(
        "härnösand special vehicle booked the same morning goes to assessor",
        holder("2280", special_vehicle=True),
        ride("2280", 12, booked_at=local(DAY, time(6))),
        "needs_assessor",
        (4500,),
        "booking.late",
        f"{V0}.booking",
    ),
    Case(
        "strömsund booked the same day goes to assessor",
        holder("2313"),
        ride("2313", bus_fare_ore=3000, booked_at=local(DAY, time(6))),
        "needs_assessor",
        (3000,),
        "booking.late",
        f"{V0}.booking",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_fardtjanst_rule_table(case: Case, rulebooks: RulebookSet) -> None:
    check(case, rulebooks)


def _companion_fees(traveller: Any, trip_: Trip, rulebooks: RulebookSet) -> tuple[int, ...]:
    decision = assess(AssessmentRequest(traveller, trip_), rulebooks)
    return decision.companions[0].fee_ore_per_leg


def test_companion_fees_follow_the_holder(rulebooks: RulebookSet) -> None:
    """Own child 0-6 free, 7-19 half (Jämtland); fellow passenger pays the holder's fee."""
    child = ride("2309", bus_fare_ore=3200, companions=(Companion(CompanionKind.CHILD, age=12),))
    assert _companion_fees(KROKOM, child, rulebooks) == (1600,)
    toddler = ride("2309", bus_fare_ore=3200, companions=(Companion(CompanionKind.CHILD, age=3),))
    assert _companion_fees(KROKOM, toddler, rulebooks) == (0,)
    fellow = ride("2280", 12, companions=(Companion(CompanionKind.FELLOW_PASSENGER),))
    assert _companion_fees(holder("2280", fellow_passenger=True), fellow, rulebooks) == (4500,)


def test_conditions_reach_the_planner(rulebooks: RulebookSet) -> None:
    """Special vehicle picks the wheelchair vehicle; trips beyond home get 60 min extra ride."""
    decision = assess(
        AssessmentRequest(
            holder("2284", special_vehicle=True), ride("2284", 110, destination="2280")
        ),
        rulebooks,
    )
    assert decision.chosen_mode is Mode.WHEELCHAIR_VEHICLE
    assert decision.conditions == ("special_vehicle",)
    assert decision.tolerance is not None
    assert decision.tolerance.max_extra_ride_min == 60


def test_strömsund_booked_the_weekday_before_is_in_time(rulebooks: RulebookSet) -> None:
    """Booking on Tuesday for Wednesday meets 'by the weekday before'."""
    decision = assess(
        AssessmentRequest(
            holder("2313"),
            ride("2313", bus_fare_ore=3000, booked_at=local(date(2026, 3, 3), time(15))),
        ),
        rulebooks,
    )
    assert decision.outcome.value == "automatic"


SPRING_FORWARD, FALL_BACK = date(2026, 3, 29), date(2026, 10, 25)


@pytest.mark.parametrize("zone", [UTC, STOCKHOLM])
@pytest.mark.parametrize(
    ("booked_utc", "day", "at", "special_vehicle", "late"),
    [
        # 00:30 UTC is 02:30 summer time; 03:10 winter time is 02:10 UTC: 100 min pass.
        ((2026, 10, 25, 0, 30), FALL_BACK, time(3, 10), False, False),
        # 00:30 UTC is 01:30 winter time; 03:10 summer time is 01:10 UTC: 40 min pass.
        ((2026, 3, 29, 0, 30), SPRING_FORWARD, time(3, 10), False, True),
        # 10:00 the day before, winter time; 10:30 summer time: 23.5 h pass.
        ((2026, 3, 28, 9, 0), SPRING_FORWARD, time(10, 30), True, True),
        # 10:00 the day before, summer time; 09:30 winter time: 24.5 h pass.
        ((2026, 10, 24, 8, 0), FALL_BACK, time(9, 30), True, False),
    ],
)
def test_lead_times_are_time_that_passes_across_a_dst_change(
    rulebooks: RulebookSet,
    zone: Any,
    booked_utc: tuple[int, ...],
    day: date,
    at: time,
    special_vehicle: bool,
    late: bool,
) -> None:
    """Härnösand: a taxi 1 h ahead, a special vehicle 24 h ahead, counted in hours that pass,
    not on the clock, which skips or repeats an hour on the night of a change; whatever zone
    the booking time is written in."""
    booked = datetime(*booked_utc, tzinfo=UTC).astimezone(zone)  # type: ignore[misc]
    decision = assess(
        AssessmentRequest(
            holder("2280", special_vehicle=special_vehicle),
            ride("2280", 12, day=day, at=at, booked_at=booked),
        ),
        rulebooks,
    )
    assert ("booking.late" in [r.code for r in decision.reasons]) is late


@pytest.mark.parametrize(
    ("who", "principal", "km", "fee_ore"),
    [
        (KROKOM, "2309", 10, 3400),  # 1 x the county's 34 kr for up to 10 km
        (KROKOM, "2309", 25, 5200),  # 1 x 52 kr for 11-30 km
        (ORNSKOLDSVIK, "2284", 25, 7800),  # 1.5 x Din Tur's 52 kr
    ],
)
def test_bus_fare_tariff_takes_the_countys_ordinary_fare(
    rulebooks: RulebookSet, who: Any, principal: str, km: int, fee_ore: int
) -> None:
    """A booking does not know the bus fare: the county transport authority's ordinary
    fare for the leg's distance (RKM-22, RKM-23) prices it."""
    decision = assess(AssessmentRequest(who, ride(principal, km)), rulebooks)
    assert decision.outcome.value == "automatic"
    assert [leg.fee_ore for leg in decision.legs] == [fee_ore]
    assert "fee.bus_fare" in {r.code for r in decision.reasons}


def test_bus_fare_tariff_without_any_fare_names_the_field(rulebooks: RulebookSet) -> None:
    """Where the county has no fare table here, the trip cannot be priced; it says which
    field the rules need."""
    from samfard.errors import InputError

    without = RulebookSet(tuple(b for b in rulebooks.books if not b.principal.startswith("RKM")))
    with pytest.raises(InputError) as error:
        assess(AssessmentRequest(KROKOM, ride("2309")), without)
    assert error.value.field == "legs[0].bus_fare_ore"


def test_permit_conditions_are_listed_for_dispatch(rulebooks: RulebookSet) -> None:
    """Front seat, riding alone and a granted escort come out as conditions."""
    traveller = holder("2280", front_seat=True, ride_alone=True, escort=True)
    decision = assess(
        AssessmentRequest(
            traveller, ride("2280", 12, companions=(Companion(CompanionKind.ESCORT),))
        ),
        rulebooks,
    )
    assert decision.outcome.value == "automatic"
    assert decision.conditions == ("escort", "front_seat", "ride_alone")


def test_allergy_cleaned_vehicle_and_guide_dog_reach_the_conditions(
    rulebooks: RulebookSet,
) -> None:
    """The permit's allergy-cleaned vehicle and guide dog are what the carrier must send:
    they join the special vehicle in the decision's conditions (they were granted on the
    permit and reached no planner or driver)."""
    traveller = holder("2280", special_vehicle=True, allergy_free=True, guide_dog=True)
    decision = assess(AssessmentRequest(traveller, ride("2280", 12)), rulebooks)
    assert decision.outcome.value == "automatic"
    assert decision.conditions == ("allergy_free", "guide_dog", "special_vehicle")
    codes = {r.code for r in decision.reasons}
    assert {"permit.allergy_free", "permit.guide_dog"} <= codes
    plain = assess(AssessmentRequest(HARNOSAND, ride("2280", 12)), rulebooks)
    assert plain.conditions == ()


def test_a_fellow_passenger_not_granted_is_not_charged_before_an_assessor_decides(
    rulebooks: RulebookSet,
) -> None:
    fellow = ride("2280", 17, companions=(Companion(CompanionKind.FELLOW_PASSENGER),))
    decision = assess(AssessmentRequest(HARNOSAND, fellow), rulebooks)
    assert decision.outcome.value == "needs_assessor"
    assert not decision.companions[0].allowed
    assert decision.companions[0].fee_ore_per_leg == ()


def test_an_end_outside_the_regions_leaves_the_service_area(rulebooks: RulebookSet) -> None:
    """Stockholm (facts.OUTSIDE_REGIONS) is in no färdtjänst area: Sundsvall refuses the
    trip as outside it; Örnsköldsvik takes it on its yearly quota at 5 kr/km."""
    far = ride("2281", 497, destination=OUTSIDE_REGIONS)
    refused = assess(AssessmentRequest(holder("2281"), far), rulebooks)
    assert refused.outcome.value == "refused"
    assert refused.reason("area.outside").effect.value == "refuse"
    quota = assess(
        AssessmentRequest(holder("2284"), ride("2284", 497, destination=OUTSIDE_REGIONS)),
        rulebooks,
    )
    assert quota.reason("area.quota").effect.value == "info"
    assert [leg.list_fee_ore for leg in quota.legs] == [248500]


@pytest.mark.parametrize(
    ("traveller", "trip_", "said"),
    [
        (
            HARNOSAND,
            ride("2280", 12, booked_at=local(DAY, time(8, 30))),
            "mindre än 1 timme före avresan kl. 09:00.",
        ),
        (
            holder("2313"),
            ride("2313", bus_fare_ore=3000, booked_at=local(DAY, time(6))),
            "sista vardagen före resdagen.",
        ),
    ],
)
def test_a_late_booking_says_which_rule_it_broke(
    traveller: Any, trip_: Trip, said: str, rulebooks: RulebookSet
) -> None:
    """One sentence for every late booking hid the rule (walk-through of the seventh
    session of 2026-12-06): now the hours ahead, or the weekday before, are named."""
    stored = decision_json(assess(AssessmentRequest(traveller, trip_), rulebooks))
    [late] = [r for r in stored["reasons"] if r["code"] == "booking.late"]
    assert reason_sv(late).startswith("Resan beställdes ") and reason_sv(late).endswith(said)
