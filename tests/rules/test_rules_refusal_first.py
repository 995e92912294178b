"""A refusal stops the checks whose facts it makes moot: a trip that is not paid needs no
distance to the nearest unit and offers no accommodation. The engine asks for a missing
fact only where the answer depends on it."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from rule_fixtures import Case, check, round_trip
from sjukresa_fixtures import FUNASDALEN, JH, V1, VN, jh, vn

from samfard.errors import InputError
from samfard.rules import AssessmentRequest, Mode, RulebookSet, assess

FARTHER = {"destination_is_nearest": False}  # and no nearest_unit_km on the legs

CASES = [
    Case(
        "røros without referral, no nearest distance: refused, not asked for the distance",
        FUNASDALEN,
        jh(
            purpose="treatment",
            destination_place="roros-sykehus",
            legs=round_trip(120, origin="2361"),
            **FARTHER,
        ),
        "refused",
        (),
        "destination.foreign_needs_referral",
        f"{V1}.foreign_referrals[0]",
    ),
    Case(
        "another region's patient to a farther unit: refused as not the home region",
        VN,
        jh(**FARTHER),
        "refused",
        (),
        "principal.not_home_region",
        V1,
    ),
    Case(
        "a purpose not reimbursed, to a farther unit: refused for the purpose",
        JH,
        jh(purpose="vaccination", **FARTHER),
        "refused",
        (),
        "purpose.not_reimbursed",
        f"{V1}.purposes.not_reimbursed[1]",
    ),
    Case(
        "vn taxi without certificate, to a farther unit: refused for the certificate",
        VN,
        vn(requested_mode=Mode.TAXI, **FARTHER),
        "refused",
        (),
        "authorisation.no_certificate",
        f"{V1}.modes[2].authorisation",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_refusal_needs_no_distance_to_the_nearest_unit(
    case: Case, rulebooks: RulebookSet
) -> None:
    check(case, rulebooks)


def test_a_foreign_referral_rule_governs_its_destination(rulebooks: RulebookSet) -> None:
    """Once the Røros rule refuses, the nearest-unit rule says nothing about the trip."""
    request = AssessmentRequest(
        FUNASDALEN,
        jh(
            purpose="treatment",
            destination_place="roros-sykehus",
            legs=round_trip(120, origin="2361"),
            **FARTHER,
        ),
    )
    decision = assess(request, rulebooks)
    codes = [r.code for r in decision.reasons]
    assert "destination.foreign_needs_referral" in codes
    assert not [c for c in codes if c.startswith("destination.") and "foreign" not in c]


def test_a_paid_trip_still_asks_for_the_distance(rulebooks: RulebookSet) -> None:
    """A trip to an assessor or paid as to the nearest unit needs the distance; the error
    names the leg without one."""
    legs = (
        round_trip(100, nearest_unit_km=Decimal(60))[0],
        round_trip(100)[1],
    )
    request = AssessmentRequest(JH, jh(requested_mode=Mode.TAXI, legs=legs, **FARTHER))
    with pytest.raises(InputError) as error:
        assess(request, rulebooks)
    assert error.value.field == "legs[1].nearest_unit_km"


def test_a_refused_trip_offers_no_accommodation(rulebooks: RulebookSet) -> None:
    """Accommodation is paid with a trip; a refusal letter must not promise it."""
    late_home = {"public_transport_return": time(23, 40)}
    paid = assess(AssessmentRequest(JH, jh(**late_home)), rulebooks)
    refused = assess(AssessmentRequest(JH, jh(purpose="vaccination", **late_home)), rulebooks)
    assert paid.accommodation_offered
    assert not refused.accommodation_offered
    assert "accommodation.offered" not in [r.code for r in refused.reasons]
