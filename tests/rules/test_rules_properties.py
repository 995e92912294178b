"""Properties over generated inputs: fees are never negative, a ceiling period never holds
more than the ceiling, and identical inputs give identical decisions and hashes."""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from rule_fixtures import CERTIFIED, leg, person, trip

from samfard.rules import (
    AssessmentRequest,
    CeilingRule,
    Certificate,
    Companion,
    CompanionKind,
    LedgerState,
    Mode,
    Needs,
    Permit,
    Service,
    TravelDecision,
    assess,
    charge,
    shipped_rulebooks,
)

RULEBOOKS = shipped_rulebooks()
START = date(2025, 1, 1)

days = st.integers(min_value=0, max_value=3 * 365).map(lambda n: START + timedelta(days=n))
fees = st.integers(min_value=0, max_value=100000)
ceilings = st.builds(
    CeilingRule,
    amount_ore=st.integers(min_value=1, max_value=500000),
    period=st.sampled_from(["rolling_12_months", "calendar_year"]),
)


@given(ceilings, st.lists(st.tuples(days, fees), max_size=60))
def test_a_period_never_collects_more_than_the_ceiling(
    rule: CeilingRule, trips: list[tuple[date, int]]
) -> None:
    state = LedgerState("23")
    collected: dict[date | None, int] = {}
    for day, fee in sorted(trips, key=lambda t: t[0]):
        result = charge(state, rule, day, fee)
        assert 0 <= result.paid_ore <= fee
        state = result.state
        collected[state.period_start] = collected.get(state.period_start, 0) + result.paid_ore
        assert state.paid_ore == collected[state.period_start] <= rule.amount_ore


principals = st.sampled_from(
    [
        (Service.SJUKRESA, "23", "2380"),
        (Service.SJUKRESA, "22", "2281"),
        (Service.FARDTJANST, "2280", "2280"),
        (Service.FARDTJANST, "2284", "2284"),
        (Service.FARDTJANST, "2309", "2309"),
        (Service.RIKSFARDTJANST, "2380", "2380"),
        (Service.NARTRAFIK, "RKM-23", "2309"),
    ]
)
purposes = st.sampled_from(["doctor_visit", "dialysis", "vaccination", "mammography", "spa"])


@st.composite
def requests(draw: st.DrawFn) -> AssessmentRequest:
    service, principal, home = draw(principals)
    day = draw(days)
    km = draw(st.decimals(min_value=0, max_value=800, places=1))
    legs = tuple(
        leg(
            km,
            day=day,
            at=draw(st.sampled_from([time(4, 30), time(9), time(18), time(23, 30)])),
            direction=direction,
            origin=home,
            destination=draw(st.sampled_from([home, "2262", "2283"])),
            bus_fare_ore=draw(st.integers(min_value=0, max_value=20000)),
            nearest_unit_km=km,
        )
        for direction in draw(st.sampled_from([("outward",), ("outward", "return")]))
    )
    paid = draw(st.integers(min_value=0, max_value=240000))
    ledger = LedgerState(principal, day - timedelta(days=30), day + timedelta(days=300), paid)
    traveller = person(
        home,
        age=draw(st.integers(min_value=0, max_value=100)),
        student=draw(st.booleans()),
        specified_disability=draw(st.booleans()),
        permits=(Permit(service, home, START, escort=draw(st.booleans())),),
        decisions=(TravelDecision(Mode.TAXI, START, date(2030, 1, 1), companion=True),),
        certificates=(Certificate(CERTIFIED.unit, START, START, date(2030, 1, 1), (Mode.TAXI,)),),
        ledger=ledger if service is Service.SJUKRESA else None,
    )
    companions = tuple(
        Companion(kind, age=draw(st.integers(min_value=0, max_value=25)))
        if kind is CompanionKind.CHILD
        else Companion(kind)
        for kind in draw(st.lists(st.sampled_from(list(CompanionKind)), max_size=2))
    )
    return AssessmentRequest(
        traveller,
        trip(
            service,
            principal,
            legs,
            purpose=draw(purposes),
            companions=companions,
            needs=Needs(wheelchair=draw(st.booleans())),
            requested_mode=draw(st.sampled_from([None, Mode.TAXI, Mode.OWN_CAR])),
            distance_to_stop_km=Decimal("2.0"),
        ),
        issuers=(CERTIFIED,),
    )


@settings(max_examples=150, deadline=None)
@given(requests())
def test_fees_are_never_negative_and_within_the_ceiling(request: AssessmentRequest) -> None:
    decision = assess(request, RULEBOOKS)
    for fee in decision.legs:
        assert 0 <= fee.fee_ore <= fee.list_fee_ore
        assert fee.reimbursement_ore >= 0
    for companion in decision.companions:
        assert all(f >= 0 for f in companion.fee_ore_per_leg)
    if decision.ceiling is not None and decision.ledger_after is not None:
        assert decision.ledger_after.paid_ore <= decision.ceiling.amount_ore
    for reason in decision.reasons:
        assert reason.citation is not None and reason.citation.file in {
            ref.file for ref in decision.rulebooks
        }


@settings(max_examples=75, deadline=None)
@given(requests())
def test_identical_inputs_give_identical_decisions(request: AssessmentRequest) -> None:
    first = assess(request, RULEBOOKS)
    twin = dataclasses.replace(request, trip=dataclasses.replace(request.trip))
    second = assess(twin, RULEBOOKS)
    assert first == second
    assert len(first.input_hash) == 64


def test_hash_changes_with_any_fact() -> None:
    """The input hash reflects the facts: a different age gives a different hash."""
    base = AssessmentRequest(person("2380"), trip(Service.SJUKRESA, "23", (leg(40),)))
    older = dataclasses.replace(base, traveller=person("2380", age=51))
    assert assess(base, RULEBOOKS).input_hash != assess(older, RULEBOOKS).input_hash


def test_summary_names_the_request() -> None:
    """The input summary is a readable line of the facts the decision answers."""
    request = AssessmentRequest(person("2380"), trip(Service.SJUKRESA, "23", (leg(40),)))
    assert assess(request, RULEBOOKS).input_summary == (
        "sjukresa paid by 23 on 2026-03-04: 1 leg(s), 40 km, purpose -, mode cheapest, "
        "traveller aged 50 from 2380, 0 companion(s)"
    )
