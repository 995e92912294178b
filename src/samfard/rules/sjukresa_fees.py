"""Sjukresor money and people: fees per leg through the fee ceiling, own-car and ticket
reimbursement, companions' fees, and the accommodation rule.

Split from `sjukresa` so the eligibility flow reads on its own; these functions add their
reasons to the same Draft.
"""

from __future__ import annotations

from decimal import Decimal

from samfard.money import Ore, times
from samfard.rules.decision import CompanionDecision, Draft, LegFee
from samfard.rules.facts import AssessmentRequest, Leg, TravellerFacts, Trip
from samfard.rules.ledger import CeilingRule, LedgerState, charge
from samfard.rules.schema import ModeRule, SjukresaVersion


def _reimbursement(
    d: Draft, rule: ModeRule, index: int, trip: Trip, leg_index: int, leg: Leg
) -> Ore:
    if rule.refund_ticket:
        return leg.bus_fare_ore or 0
    if rule.reimbursement_ore_per_km is None:
        return 0
    km = leg.distance_km
    if not trip.destination_is_nearest and not trip.referral and leg.nearest_unit_km is not None:
        km = min(km, leg.nearest_unit_km)
    paid_km = max(km - rule.reimbursed_beyond_km, Decimal(0))
    amount = times(rule.reimbursement_ore_per_km, paid_km)
    d.add(
        "fee.reimbursement",
        f"leg {leg_index}: {paid_km} km reimbursed at {rule.reimbursement_ore_per_km} öre/km"
        + (f" beyond {rule.reimbursed_beyond_km} km" if rule.reimbursed_beyond_km else ""),
        key=f"modes[{index}].reimbursement_kr_per_km",
        source=rule.source,
        distance_km=km,
        reimbursement_ore=amount,
    )
    return amount


def fees(
    d: Draft,
    version: SjukresaVersion,
    trip: Trip,
    traveller: TravellerFacts,
    index: int,
    ceiling: CeilingRule,
) -> tuple[tuple[LegFee, ...], LedgerState]:
    rule = version.modes[index]
    ledger = traveller.ledger
    if ledger is None or ledger.principal != trip.principal:
        ledger = LedgerState(principal=trip.principal)
    free_to = version.patient.free_to_age
    legs: list[LegFee] = []
    for i, leg in enumerate(trip.legs):
        list_fee = rule.fee_ore
        if free_to is not None and traveller.age <= free_to and list_fee:
            d.add(
                "fee.patient_free",
                f"leg {i}: patients up to {free_to} pay no fee",
                key="patient.free_to_age",
                source=version.patient.source,
                age=traveller.age,
            )
            list_fee = 0
        paid = list_fee
        if rule.counts_toward_ceiling:
            result = charge(ledger, ceiling, leg.local_day, list_fee)
            ledger, paid = result.state, result.paid_ore
            if paid < list_fee:
                d.add(
                    "fee.ceiling",
                    f"leg {i}: the fee ceiling caps the fee at {paid} öre of {list_fee}",
                    key="ceiling.amount_kr",
                    source=version.ceiling.source,
                    paid_in_period_ore=ledger.paid_ore,
                    period_start=ledger.period_start,
                )
        d.add(
            "fee.leg",
            f"leg {i}: {rule.mode.value} fee {paid} öre",
            key=f"modes[{index}].fee_kr",
            source=rule.source,
            list_fee_ore=list_fee,
        )
        legs.append(
            LegFee(
                leg_index=i,
                direction=leg.direction,
                mode=rule.mode,
                list_fee_ore=list_fee,
                fee_ore=paid,
                counts_toward_ceiling=rule.counts_toward_ceiling,
                reimbursement_ore=_reimbursement(d, rule, index, trip, i, leg),
            )
        )
    return tuple(legs), ledger


def companions(
    d: Draft, version: SjukresaVersion, request: AssessmentRequest
) -> tuple[CompanionDecision, ...]:
    """Each companion's fee per leg. The free companions of a child patient come first (in
    the order given); the rest pay unless the patient is old or has a specified
    disability. Whether a companion needs a decision does not depend on the fee."""
    rule = version.companions
    traveller, trip = request.traveller, request.trip
    out: list[CompanionDecision] = []
    legs = len(trip.legs)
    child_to = rule.free_when_patient_to_age
    free_left = (
        rule.free_companions_of_child if child_to is not None and traveller.age <= child_to else 0
    )
    for i, companion in enumerate(trip.companions):
        fee = rule.fee_ore
        over = rule.free_when_patient_over_age
        if free_left:
            free_left -= 1
            fee = 0
            d.add(
                "companion.child_patient",
                f"companion {i}: free, the patient is {traveller.age}, and a patient up to "
                f"{child_to} brings {rule.free_companions_of_child} companion(s) free of fee",
                key="companions.free_when_patient_to_age",
                source=rule.source,
                patient_age=traveller.age,
            )
        elif over is not None and traveller.age > over:
            fee = 0
            d.add(
                "companion.free_patient_over_age",
                f"companion {i}: free, the patient is over {over}",
                key="companions.free_when_patient_over_age",
                source=rule.source,
                patient_age=traveller.age,
            )
        elif rule.free_with_specified_disability and traveller.specified_disability:
            fee = 0
            d.add(
                "companion.free_disability",
                f"companion {i}: free, the patient has a specified disability",
                key="companions.free_with_specified_disability",
                source=rule.source,
            )
        else:
            d.add(
                "companion.fee",
                f"companion {i}: {fee} öre per single trip",
                key="companions.fee_kr",
                source=rule.source,
                patient_age=traveller.age,
            )
        if rule.needs_decision and not any(
            x.companion and x.valid_on(trip.day) for x in traveller.decisions
        ):
            d.escalate(
                "companion.needs_decision",
                f"companion {i} needs a decision by the central travel service",
                key="companions.needs_decision",
                source=rule.source,
            )
        out.append(CompanionDecision(i, companion.kind, True, (fee,) * legs))
    return tuple(out)


def accommodation(d: Draft, version: SjukresaVersion, trip: Trip) -> bool:
    rule = version.accommodation
    leave, home = trip.public_transport_departure, trip.public_transport_return
    early = leave is not None and leave < rule.leave_before
    late = home is not None and home > rule.home_after
    if early or late:
        d.add(
            "accommodation.offered",
            f"the cheapest mode would leave at {leave} and return at {home}: accommodation "
            f"is paid (leave before {rule.leave_before:%H:%M} or home after "
            f"{rule.home_after:%H:%M})",
            key="accommodation",
            source=rule.source,
            departure=leave,
            home=home,
        )
    return early or late
