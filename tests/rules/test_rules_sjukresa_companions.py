"""Companions of sjukresor in both regions: what each companion pays per single trip.

The rules (Västra Götaland's sjukresehandbok, borrowed by both regions for values they do
not publish): a patient up to and including 19 pays no fee and may bring one companion
free of fee; further companions are not covered by that rule. Companions of patients over
85 or with a specified disability travel free (Jämtland Härjedalen). A companion who is a
child is priced as any companion: the child rule is about the patient's age.
"""

from __future__ import annotations

import pytest
from rule_fixtures import CERTIFIED, person
from sjukresa_fixtures import COMPANION_DECISION, TAXI_DECISION, cert, jh, vn

from samfard.rules import AssessmentRequest, Companion, CompanionKind, Mode, RulebookSet, assess

ESCORT = Companion(CompanionKind.ESCORT)
FELLOW = Companion(CompanionKind.FELLOW_PASSENGER)
FEE = 12500

# (name, region, patient age, companions, expected fee per leg of each companion, code)
CASES = [
    ("jh child patient's companion is free", "23", 12, (ESCORT,), [(0, 0)], "child_patient"),
    ("jh patient aged 19 still a child", "23", 19, (FELLOW,), [(0, 0)], "child_patient"),
    ("jh patient aged 20 companion pays", "23", 20, (FELLOW,), [(FEE, FEE)], "fee"),
    ("jh infant patient's companion free", "23", 0, (ESCORT,), [(0, 0)], "child_patient"),
    (
        "jh only one companion of a child is free",
        "23",
        8,
        (ESCORT, FELLOW),
        [(0, 0), (FEE, FEE)],
        "child_patient",
    ),
    ("vn child patient's companion is free", "22", 7, (FELLOW,), [(0, 0)], "child_patient"),
    ("vn patient aged 19 still a child", "22", 19, (ESCORT,), [(0, 0)], "child_patient"),
    ("vn patient aged 20 companion pays", "22", 20, (ESCORT,), [(FEE, FEE)], "fee"),
    (
        "vn only one companion of a child is free",
        "22",
        15,
        (FELLOW, FELLOW),
        [(0, 0), (FEE, FEE)],
        "child_patient",
    ),
    (
        "jh child companion of an adult pays",
        "23",
        45,
        (Companion(CompanionKind.CHILD, age=5),),
        [(FEE, FEE)],
        "fee",
    ),
    (
        "vn child companion of an adult pays",
        "22",
        45,
        (Companion(CompanionKind.CHILD, age=5),),
        [(FEE, FEE)],
        "fee",
    ),
    (
        "jh two companions of a patient over 85 are free",
        "23",
        90,
        (ESCORT, FELLOW),
        [(0, 0), (0, 0)],
        "free_patient_over_age",
    ),
]


@pytest.mark.parametrize(
    ("name", "region", "age", "companions", "fees", "code"), CASES, ids=[c[0] for c in CASES]
)
def test_companion_fees_follow_the_patients_age(
    name: str,
    region: str,
    age: int,
    companions: tuple[Companion, ...],
    fees: list[tuple[int, int]],
    code: str,
    rulebooks: RulebookSet,
) -> None:
    municipality = "2380" if region == "23" else "2281"
    traveller = person(municipality, age=age, decisions=(COMPANION_DECISION,))
    trip = (jh if region == "23" else vn)(companions=companions)
    decision = assess(AssessmentRequest(traveller, trip), rulebooks)
    assert [c.fee_ore_per_leg for c in decision.companions] == fees, name
    assert f"companion.{code}" in {r.code for r in decision.reasons}, name
    assert decision.outcome.value == "automatic", (name, decision.reasons)


@pytest.mark.parametrize("region", ["22", "23"])
def test_child_patient_pays_no_fee_by_taxi_and_companion_rides_free(
    region: str, rulebooks: RulebookSet
) -> None:
    """A child by taxi pays nothing and its one companion nothing, in both regions."""
    municipality = "2380" if region == "23" else "2281"
    traveller = person(
        municipality,
        age=11,
        decisions=(COMPANION_DECISION, TAXI_DECISION),
        certificates=(cert(),),
    )
    trip = (jh if region == "23" else vn)(requested_mode=Mode.TAXI, companions=(ESCORT,))
    decision = assess(AssessmentRequest(traveller, trip, issuers=(CERTIFIED,)), rulebooks)
    assert decision.outcome.value == "automatic", decision.reasons
    assert [leg.fee_ore for leg in decision.legs] == [0, 0]
    assert decision.companions[0].fee_ore_per_leg == (0, 0)


def test_jh_companion_of_a_child_still_needs_a_decision(rulebooks: RulebookSet) -> None:
    """Jämtland Härjedalen states that a companion needs a decision by Reseservice; the
    borrowed child rule sets the fee, not who decides."""
    decision = assess(AssessmentRequest(person("2380", age=9), jh(companions=(ESCORT,))), rulebooks)
    assert decision.outcome.value == "needs_assessor"
    assert decision.companions[0].fee_ore_per_leg == (0, 0)
    assert "companion.needs_decision" in {r.code for r in decision.reasons}
