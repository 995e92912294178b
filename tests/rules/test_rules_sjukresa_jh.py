"""Sjukresor rule table, Region Jämtland Härjedalen: each row asserts the outcome, the
exact fees and reimbursement in öre, and the rulebook key the deciding reason cites."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from decimal import Decimal

import pytest
from rule_fixtures import DAY, Case, check, person, round_trip
from sjukresa_fixtures import (
    COMPANION_DECISION,
    FUNASDALEN,
    JH,
    JH_TAXI,
    OLD_DAY,
    TAXI_DECISION,
    V1,
    VN,
    jh,
    ledger,
)

from samfard.rules import (
    AssessmentRequest,
    Companion,
    CompanionKind,
    Mode,
    Needs,
    RulebookSet,
    TravelDecision,
    assess,
)
from samfard.timeutil import local

CASES = [
    Case(
        "jh public transport is free",
        JH,
        jh(),
        "automatic",
        (0, 0),
        "fee.leg",
        f"{V1}.modes[0].fee_kr",
    ),
    Case(
        "jh own car 150 kr and 1.85 kr/km",
        JH,
        jh(requested_mode=Mode.OWN_CAR),
        "automatic",
        (15000, 15000),
        "fee.reimbursement",
        f"{V1}.modes[1].reimbursement_kr_per_km",
        14800,
    ),
    Case(
        "jh own car claimed within a year is paid",
        JH,
        jh(requested_mode=Mode.OWN_CAR, booked_at=local(date(2027, 3, 4), time(16))),
        "automatic",
        (15000, 15000),
        "fee.reimbursement",
        f"{V1}.modes[1].reimbursement_kr_per_km",
        14800,
    ),
    Case(
        "jh own car claimed after a year is refused",
        JH,
        jh(requested_mode=Mode.OWN_CAR, booked_at=local(date(2027, 3, 5), time(9))),
        "refused",
        (),
        "claim.too_late",
        f"{V1}.modes[1].claim_within_months",
    ),
    Case(
        "jh own car km rounds half up per leg",
        JH,
        jh(requested_mode=Mode.OWN_CAR, legs=round_trip("12.3")),
        "automatic",
        (15000, 15000),
        "fee.reimbursement",
        f"{V1}.modes[1].reimbursement_kr_per_km",
        4552,
    ),
    Case(
        "jh taxi without decision goes to assessor",
        JH,
        jh(requested_mode=Mode.TAXI),
        "needs_assessor",
        (20000, 20000),
        "authorisation.needs_decision",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "jh taxi with standing decision is automatic",
        JH_TAXI,
        jh(requested_mode=Mode.TAXI),
        "automatic",
        (20000, 20000),
        "authorisation.decision",
        f"{V1}.modes[2].authorisation",
    ),
    Case(
        "jh flight needs a central decision",
        JH,
        jh(requested_mode=Mode.FLIGHT),
        "needs_assessor",
        (20000, 20000),
        "authorisation.needs_decision",
        f"{V1}.modes[5].authorisation",
    ),
    Case(
        "jh vaccination is not reimbursed",
        JH,
        jh(purpose="vaccination"),
        "refused",
        (),
        "purpose.not_reimbursed",
        f"{V1}.purposes.not_reimbursed[1]",
    ),
    Case(
        "jh preventive care is not reimbursed",
        JH,
        jh(purpose="preventive_care"),
        "refused",
        (),
        "purpose.not_reimbursed",
        f"{V1}.purposes.not_reimbursed[0]",
    ),
    Case(
        "jh dental care is reimbursed",
        JH,
        jh(purpose="dental_care"),
        "automatic",
        (0, 0),
        "purpose.reimbursed",
        f"{V1}.purposes.reimbursed[6]",
    ),
    Case(
        "jh LSS habilitation is reimbursed",
        JH,
        jh(purpose="lss_habilitation"),
        "automatic",
        (0, 0),
        "purpose.reimbursed",
        f"{V1}.purposes.reimbursed[7]",
    ),
    Case(
        "jh unlisted purpose goes to assessor",
        JH,
        jh(purpose="spa"),
        "needs_assessor",
        (0, 0),
        "purpose.unlisted",
        f"{V1}.purposes",
    ),
    Case(
        "jh missing purpose goes to assessor",
        JH,
        jh(purpose=None),
        "needs_assessor",
        (0, 0),
        "purpose.missing",
        f"{V1}.purposes",
    ),
    Case(
        "jh patient aged 12 rides taxi free",
        person("2380", age=12, decisions=(TAXI_DECISION,)),
        jh(requested_mode=Mode.TAXI),
        "automatic",
        (0, 0),
        "fee.patient_free",
        f"{V1}.patient.free_to_age",
    ),
    Case(
        "jh patient aged 19 still free",
        person("2380", age=19),
        jh(requested_mode=Mode.OWN_CAR),
        "automatic",
        (0, 0),
        "fee.patient_free",
        f"{V1}.patient.free_to_age",
        14800,
    ),
    Case(
        "jh patient aged 20 pays",
        person("2380", age=20),
        jh(requested_mode=Mode.OWN_CAR),
        "automatic",
        (15000, 15000),
        "fee.leg",
        f"{V1}.modes[1].fee_kr",
        14800,
    ),
    Case(
        "jh farther unit without referral reimbursed as nearest",
        JH,
        jh(
            requested_mode=Mode.OWN_CAR,
            destination_is_nearest=False,
            legs=round_trip(100, nearest_unit_km=Decimal(60)),
        ),
        "automatic",
        (15000, 15000),
        "destination.as_nearest",
        f"{V1}.destination.nearest_unit_only",
        22200,
    ),
    Case(
        "jh farther unit with referral reimbursed in full",
        JH,
        jh(
            requested_mode=Mode.OWN_CAR,
            destination_is_nearest=False,
            referral=True,
            legs=round_trip(100, nearest_unit_km=Decimal(60)),
        ),
        "automatic",
        (15000, 15000),
        "destination.referral",
        f"{V1}.destination.farther_unit_with_referral",
        37000,
    ),
    Case(
        "jh leg crossing the ceiling pays the remainder",
        person(
            "2380",
            decisions=(TAXI_DECISION,),
            ledger=ledger("23", date(2025, 6, 1), date(2026, 6, 1), 2300),
        ),
        jh(requested_mode=Mode.TAXI),
        "automatic",
        (10000, 0),
        "fee.ceiling",
        f"{V1}.ceiling.amount_kr",
    ),
    Case(
        "jh ceiling reached: free until the period ends",
        person(
            "2380",
            decisions=(TAXI_DECISION,),
            ledger=ledger("23", date(2025, 6, 1), date(2026, 6, 1), 2400, date(2026, 1, 9)),
        ),
        jh(requested_mode=Mode.TAXI),
        "automatic",
        (0, 0),
        "fee.ceiling",
        f"{V1}.ceiling.amount_kr",
    ),
    Case(
        "jh ended period starts afresh",
        person(
            "2380",
            decisions=(TAXI_DECISION,),
            ledger=ledger("23", date(2025, 2, 1), date(2026, 2, 1), 2400, date(2025, 9, 1)),
        ),
        jh(requested_mode=Mode.TAXI),
        "automatic",
        (20000, 20000),
        "fee.leg",
        f"{V1}.modes[2].fee_kr",
    ),
    Case(
        "jh before 2021 the ceiling was 1 600 kr",
        person(
            "2380",
            decisions=(TravelDecision(Mode.TAXI, date(2020, 1, 1), date(2020, 12, 31)),),
            ledger=ledger("23", date(2020, 1, 10), date(2021, 1, 10), 1500),
        ),
        jh(requested_mode=Mode.TAXI, legs=round_trip(40, day=OLD_DAY)),
        "automatic",
        (10000, 0),
        "fee.ceiling",
        "versions[0].ceiling.amount_kr",
    ),
    Case(
        "funäsdalen referral to røros: home fees, own car",
        FUNASDALEN,
        jh(
            requested_mode=Mode.OWN_CAR,
            purpose="treatment",
            referral=True,
            destination_place="roros-sykehus",
            legs=round_trip(120, origin="2361"),
        ),
        "automatic",
        (15000, 15000),
        "destination.foreign_referral",
        f"{V1}.foreign_referrals[0]",
        44400,
    ),
    Case(
        "funäsdalen referral to tynset by public transport",
        FUNASDALEN,
        jh(
            purpose="treatment",
            referral=True,
            destination_place="tynset-sykehus",
            legs=round_trip(150, origin="2361"),
        ),
        "automatic",
        (0, 0),
        "destination.foreign_referral",
        f"{V1}.foreign_referrals[1]",
    ),
    Case(
        "røros without referral is refused",
        FUNASDALEN,
        jh(
            purpose="treatment",
            destination_place="roros-sykehus",
            legs=round_trip(120, origin="2361"),
        ),
        "refused",
        (),
        "destination.foreign_needs_referral",
        f"{V1}.foreign_referrals[0]",
    ),
    Case(
        "røros referral for a patient not listed in funäsdalen is refused",
        JH,
        jh(purpose="treatment", referral=True, destination_place="roros-sykehus"),
        "refused",
        (),
        "destination.foreign_needs_referral",
        f"{V1}.foreign_referrals[0]",
    ),
    Case(
        "wheelchair need gives a wheelchair vehicle, decided centrally",
        JH,
        jh(needs=Needs(wheelchair=True)),
        "needs_assessor",
        (20000, 20000),
        "authorisation.needs_decision",
        f"{V1}.modes[3].authorisation",
    ),
    Case(
        "stretcher with a standing decision is automatic",
        person("2380", decisions=(TravelDecision(Mode.STRETCHER_VEHICLE, DAY, DAY),)),
        jh(needs=Needs(stretcher=True)),
        "automatic",
        (20000, 20000),
        "authorisation.decision",
        f"{V1}.modes[4].authorisation",
    ),
    Case(
        "public transport asked for a wheelchair user is refused",
        JH,
        jh(needs=Needs(wheelchair=True), requested_mode=Mode.PUBLIC_TRANSPORT),
        "refused",
        (),
        "mode.not_allowed",
        f"{V1}.modes",
    ),
    Case(
        "patient from another region is refused",
        VN,
        jh(),
        "refused",
        (),
        "principal.not_home_region",
        V1,
    ),
    Case(
        "riding alone needs an assessor",
        JH_TAXI,
        jh(requested_mode=Mode.TAXI, needs=Needs(ride_alone=True)),
        "needs_assessor",
        (20000, 20000),
        "needs.ride_alone",
        f"{V1}.ride_alone.policy",
    ),
    Case(
        "jh fellow passenger with decision pays 125 kr",
        person("2380", decisions=(COMPANION_DECISION,)),
        jh(companions=(Companion(CompanionKind.FELLOW_PASSENGER),)),
        "automatic",
        (0, 0),
        "companion.fee",
        f"{V1}.companions.fee_kr",
    ),
    Case(
        "jh companion without decision goes to assessor",
        JH,
        jh(companions=(Companion(CompanionKind.ESCORT),)),
        "needs_assessor",
        (0, 0),
        "companion.needs_decision",
        f"{V1}.companions.needs_decision",
    ),
    Case(
        "jh companion of a patient over 85 is free",
        person("2380", age=86, decisions=(COMPANION_DECISION,)),
        jh(companions=(Companion(CompanionKind.ESCORT),)),
        "automatic",
        (0, 0),
        "companion.free_patient_over_age",
        f"{V1}.companions.free_when_patient_over_age",
    ),
    Case(
        "jh companion of a child patient is free, the region still decides",
        person("2380", age=12),
        jh(companions=(Companion(CompanionKind.ESCORT),)),
        "needs_assessor",
        (0, 0),
        "companion.child_patient",
        f"{V1}.companions.free_when_patient_to_age",
    ),
    Case(
        "jh leaving before 05:00 offers accommodation",
        JH,
        jh(public_transport_departure=time(4, 30)),
        "automatic",
        (0, 0),
        "accommodation.offered",
        f"{V1}.accommodation",
    ),
    Case(
        "jh home after 23:00 offers accommodation",
        JH,
        jh(public_transport_return=time(23, 40)),
        "automatic",
        (0, 0),
        "accommodation.offered",
        f"{V1}.accommodation",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_sjukresa_rule_table(case: Case, rulebooks: RulebookSet) -> None:
    check(case, rulebooks)


def test_jh_taxi_fees_are_recorded_in_the_ledger(rulebooks: RulebookSet) -> None:
    """A fresh ledger opens a 12-month period on the first fee-bearing trip."""
    decision = assess(AssessmentRequest(JH_TAXI, jh(requested_mode=Mode.TAXI)), rulebooks)
    after = decision.ledger_after
    assert after is not None
    assert (after.period_start, after.period_end, after.paid_ore) == (DAY, date(2027, 3, 4), 40000)


def test_funasdalen_referral_books_cost_centre_and_object(rulebooks: RulebookSet) -> None:
    """Røros trips go to cost centre 1600 object 3523, Tynset to object 3524."""
    for town, obj in (("roros-sykehus", "3523"), ("tynset-sykehus", "3524")):
        request = AssessmentRequest(
            FUNASDALEN,
            jh(purpose="treatment", referral=True, destination_place=town),
        )
        decision = assess(request, rulebooks)
        assert decision.cost_object is not None
        assert (decision.cost_object.cost_centre, decision.cost_object.cost_object) == ("1600", obj)


def test_companion_fee_per_leg_and_dialysis_tolerance(rulebooks: RulebookSet) -> None:
    """The fellow passenger pays 125 kr per single trip; dialysis allows 45 min extra ride."""
    request = AssessmentRequest(
        person("2380", decisions=(COMPANION_DECISION,)),
        jh(purpose="dialysis", companions=(Companion(CompanionKind.FELLOW_PASSENGER),)),
    )
    decision = assess(request, rulebooks)
    assert decision.companions[0].fee_ore_per_leg == (12500, 12500)
    assert decision.tolerance is not None
    assert decision.tolerance.max_extra_ride_min == 45
    assert decision.tolerance.pickup_before_min == 15


def test_farther_unit_without_nearest_distance_names_the_field(rulebooks: RulebookSet) -> None:
    """The engine asks for the missing fact instead of guessing a distance."""
    from samfard.errors import InputError

    request = AssessmentRequest(JH, jh(destination_is_nearest=False))
    with pytest.raises(InputError) as error:
        assess(request, rulebooks)
    assert error.value.field == "legs[0].nearest_unit_km"


def test_timetable_provider_supplies_times(rulebooks: RulebookSet) -> None:
    """A PublicTransportTimes provider replaces the times on the trip."""

    class Early:
        def times(self, trip: object) -> tuple[time | None, time | None]:
            return time(4, 10), time(18, 0)

    decision = assess(AssessmentRequest(JH, jh()), rulebooks, timetable=Early())
    assert decision.accommodation_offered
    assert decision.reason("accommodation.offered").facts == (
        ("departure", "04:10:00"),
        ("home", "18:00:00"),
    )


def test_asylum_housing_books_the_trip_to_its_own_account(rulebooks: RulebookSet) -> None:
    """Seed 001: a resident of asylum housing travels on the region's account for them,
    even when referred abroad; others keep no account of their own."""
    resident = dataclasses.replace(JH_TAXI, asylum_housing=True)
    decision = assess(AssessmentRequest(resident, jh(requested_mode=Mode.TAXI)), rulebooks)
    assert decision.cost_object is not None
    assert (decision.cost_object.cost_centre, decision.cost_object.cost_object) == (
        "1650",
        "4110",
    )
    assert decision.reason("cost.asylum_account").citation is not None
    assert decision.reason("cost.asylum_account").citation.key == "versions[1].asylum"
    plain = assess(AssessmentRequest(JH_TAXI, jh(requested_mode=Mode.TAXI)), rulebooks)
    assert plain.cost_object is None
    referred = assess(
        AssessmentRequest(
            dataclasses.replace(FUNASDALEN, asylum_housing=True),
            jh(purpose="treatment", referral=True, destination_place="roros-sykehus"),
        ),
        rulebooks,
    )
    assert referred.cost_object is not None and referred.cost_object.cost_centre == "1650"
