"""The time tolerance a decision hands the planner: whether its extra ride time also covers
waiting. Sjukresor cite "extra ride time plus waiting <= 90 min, <= 45 min for dialysis"
[O:Värmland]; färdtjänst's 30 / 60 min are extra ride time alone."""

from __future__ import annotations

from datetime import date

import pytest
from rule_fixtures import leg, person, round_trip, trip
from sjukresa_fixtures import JH, OLD_DAY, VN, jh, vn

from samfard.assessment.service import decision_json
from samfard.rules import (
    AssessmentRequest,
    Permit,
    RulebookSet,
    Service,
    TravellerFacts,
    Trip,
    assess,
)
from samfard.rules.decision import TimeTolerance


def holder(municipality: str) -> TravellerFacts:
    """A färdtjänst permit holder of `municipality`."""
    permit = Permit(Service.FARDTJANST, municipality, date(2025, 1, 1))
    return person(municipality, age=60, permits=(permit,))


def ride(principal: str, km: int = 10, destination: str | None = None) -> Trip:
    """A single färdtjänst trip from `principal`'s municipality."""
    one = leg(km, origin=principal, destination=destination)
    return trip(Service.FARDTJANST, principal, (one,))


def _tolerance(traveller: TravellerFacts, trip: Trip, rulebooks: RulebookSet) -> TimeTolerance:
    decision = assess(AssessmentRequest(traveller, trip), rulebooks)
    assert decision.tolerance is not None
    return decision.tolerance


@pytest.mark.parametrize(
    ("traveller", "trip", "extra"),
    [
        (JH, jh(), 90),
        (JH, jh(purpose="dialysis"), 45),
        (VN, vn(), 90),
        (VN, vn(purpose="dialysis"), 45),
    ],
    ids=["jh", "jh dialysis", "vn", "vn dialysis"],
)
def test_sjukresa_extra_ride_time_includes_waiting(
    traveller: TravellerFacts, trip: Trip, extra: int, rulebooks: RulebookSet
) -> None:
    tolerance = _tolerance(traveller, trip, rulebooks)
    assert (tolerance.max_extra_ride_min, tolerance.waiting_included) == (extra, True)


@pytest.mark.parametrize(
    ("traveller", "trip", "extra"),
    [
        (holder("2280"), ride("2280", 12), 30),
        (holder("2284"), ride("2284", 110, destination="2280"), 60),
    ],
    ids=["within the municipality", "beyond it"],
)
def test_fardtjanst_extra_ride_time_is_ride_time_alone(
    traveller: TravellerFacts, trip: Trip, extra: int, rulebooks: RulebookSet
) -> None:
    tolerance = _tolerance(traveller, trip, rulebooks)
    assert (tolerance.max_extra_ride_min, tolerance.waiting_included) == (extra, False)


def test_a_sjukresa_before_2021_carries_the_same_rule(rulebooks: RulebookSet) -> None:
    """Version 0 of Jämtland Härjedalen's rulebook is 'as the 2021 level', waiting included."""
    old = jh(legs=round_trip(40, day=OLD_DAY))
    decision = assess(AssessmentRequest(person("2380"), old), rulebooks)
    assert decision.rulebooks[0].valid_from == date(2017, 1, 1)
    assert decision.tolerance is not None and decision.tolerance.waiting_included


def test_the_stored_decision_carries_the_flag(rulebooks: RulebookSet) -> None:
    """The planner reads the booking's stored JSON, not the Decision object."""
    sjukresa = decision_json(assess(AssessmentRequest(JH, jh()), rulebooks))
    fardtjanst = decision_json(assess(AssessmentRequest(holder("2280"), ride("2280")), rulebooks))
    assert sjukresa["tolerance"]["waiting_included"] is True
    assert fardtjanst["tolerance"]["waiting_included"] is False


def test_every_rulebook_that_cites_plus_waiting_sets_the_flag(rulebooks: RulebookSet) -> None:
    """A version copied forward keeps its source text; the flag must travel with it, and no
    rule that says nothing of waiting may set it."""
    for book in rulebooks.books:
        for index, version in enumerate(book.versions):
            rule = version.tolerance  # type: ignore[attr-defined]
            cites = "plus waiting" in f"{rule.source} {rule.note}"
            assert rule.waiting_included == cites, f"{book.file} versions[{index}].tolerance"
