"""Public transport first (seed 001): a taxi is paid only when the patient cannot travel by
public transport. The rule reads the check's facts (TransitLeg) and the register's
certificates, decisions and permits; the engine runs the check through the provider it
is given, and the decision cites the journey."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time
from decimal import Decimal

from rule_fixtures import CERTIFIED, round_trip
from sjukresa_fixtures import JH, JH_TAXI, VN, VN_CERT, jh, vn

from samfard.rules import AssessmentRequest, Mode, Permit, RulebookSet, Service, assess
from samfard.rules.facts import Needs, TransitLeg, Trip
from samfard.rules.schema import PublicTransport

BY_BUS = (
    TransitLeg("outward", True, "buss 45 08:05–09:40, 1 byte", "…", time(7, 58), time(9, 44)),
    TransitLeg("return", True, "buss 45 15:10–16:45, direkt", "…", time(15, 5), time(16, 50)),
)
NO_RETURN = (BY_BUS[0], TransitLeg("return", False, None, "no journey after 15:00 the same day"))


def _codes(decision: object) -> set[str]:
    return {r.code for r in decision.reasons}  # type: ignore[attr-defined]


def test_jh_taxi_becomes_public_transport_when_a_journey_fits_and_nothing_says_otherwise(
    rulebooks: RulebookSet,
) -> None:
    trip = jh(requested_mode=Mode.TAXI, public_transport=BY_BUS)
    decision = assess(AssessmentRequest(JH, trip), rulebooks)
    assert decision.chosen_mode is Mode.PUBLIC_TRANSPORT
    assert decision.fee_ore == 0
    assert decision.outcome.value == "automatic"
    cited = next(r for r in decision.reasons if r.code == "public_transport.possible")
    assert "buss 45 08:05–09:40, 1 byte" in cited.text
    assert cited.citation is not None and cited.citation.key.endswith(".public_transport")


def test_no_journey_home_keeps_the_taxi_and_says_why(rulebooks: RulebookSet) -> None:
    trip = jh(requested_mode=Mode.TAXI, public_transport=NO_RETURN)
    decision = assess(AssessmentRequest(JH, trip), rulebooks)
    assert decision.chosen_mode is Mode.TAXI
    assert "public_transport.not_possible" in _codes(decision)
    # The taxi still needs the central travel service's decision in Jämtland Härjedalen.
    assert decision.outcome.value == "needs_assessor"


def test_a_certificate_or_standing_decision_or_permit_keeps_the_taxi(
    rulebooks: RulebookSet,
) -> None:
    permit = Permit(Service.FARDTJANST, "2380", date(2026, 1, 1))
    for person, build in (
        (VN_CERT, vn),
        (JH_TAXI, jh),
        (replace(JH, permits=(permit,)), jh),
    ):
        trip = build(requested_mode=Mode.TAXI, public_transport=BY_BUS)
        decision = assess(AssessmentRequest(person, trip, issuers=(CERTIFIED,)), rulebooks)
        assert decision.chosen_mode is Mode.TAXI, person
        assert "public_transport.exempt" in _codes(decision)


def test_without_a_check_the_taxi_is_not_called_the_cheapest(rulebooks: RulebookSet) -> None:
    """The old error: 'the cheapest fitting mode is public_transport' on a taxi decision
    with no reason why. Unchecked, the decision says public transport was not checked."""
    decision = assess(AssessmentRequest(VN, vn(requested_mode=Mode.TAXI)), rulebooks)
    assert "public_transport.unchecked" in _codes(decision)
    assert decision.chosen_mode is Mode.TAXI


def test_wheelchair_needs_are_never_sent_by_bus(rulebooks: RulebookSet) -> None:
    trip = jh(
        requested_mode=Mode.WHEELCHAIR_VEHICLE,
        needs=Needs(wheelchair=True),
        public_transport=BY_BUS,
    )
    decision = assess(AssessmentRequest(JH, trip), rulebooks)
    assert decision.chosen_mode is Mode.WHEELCHAIR_VEHICLE


class _Fixed:
    """A check that answers the same legs and records the limits it was given."""

    def __init__(self, legs: tuple[TransitLeg, ...]) -> None:
        self.legs = legs
        self.rules: list[PublicTransport] = []

    def check(self, trip: Trip, rule: PublicTransport) -> tuple[TransitLeg, ...] | None:
        self.rules.append(rule)
        return self.legs


def test_the_engine_runs_the_check_with_the_rulebooks_limits_and_hashes_its_answer(
    rulebooks: RulebookSet,
) -> None:
    fixed = _Fixed(BY_BUS)
    request = AssessmentRequest(JH, jh(requested_mode=Mode.TAXI))
    decision = assess(request, rulebooks, public_transport=fixed)
    assert decision.chosen_mode is Mode.PUBLIC_TRANSPORT
    assert fixed.rules[0].max_transfers == 2
    assert fixed.rules[0].max_travel_time_ratio == Decimal("2.5")
    other = assess(request, rulebooks, public_transport=_Fixed(NO_RETURN))
    assert other.input_hash != decision.input_hash
    assert other.chosen_mode is Mode.TAXI


def test_accommodation_follows_the_journey_found(rulebooks: RulebookSet) -> None:
    early = (replace(BY_BUS[0], leave=time(4, 40)), BY_BUS[1])
    legs = round_trip(300)
    decision = assess(
        AssessmentRequest(JH, jh(legs=legs, requested_mode=Mode.TAXI)),
        rulebooks,
        public_transport=_Fixed(early),
    )
    assert decision.accommodation_offered
