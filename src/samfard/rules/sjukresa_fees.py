"""Sjukresor money and people: fees per leg through the fee ceiling, own-car and ticket
reimbursement, companions' fees, and the accommodation rule.

Split from `sjukresa` so the eligibility flow reads on its own; these functions add their
reasons to the same Draft.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from samfard.money import Ore, times
from samfard.rules.decision import CompanionDecision, Draft, LegFee
from samfard.rules.facts import AssessmentRequest, Leg, TravellerFacts, Trip
from samfard.rules.ledger import CeilingRule, LedgerState, charge
from samfard.rules.schema import ModeRule, SjukresaVersion
from samfard.timeutil import local


def _reimbursement(
    d: Draft, rule: ModeRule, index: int, trip: Trip, leg_index: int, leg: Leg
) -> Ore:
    if rule.refund_ticket:
        return _refund(d, rule, index, leg_index, leg)
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


def _refund(d: Draft, rule: ModeRule, index: int, leg_index: int, leg: Leg) -> Ore:
    """The full ticket refunded: the county's ordinary single fare for the leg's distance,
    which the engine writes on the leg (`engine._with_bus_fares`); without one nothing is
    refunded here, and the reason says so rather than a silent 0."""
    fare = leg.bus_fare_ore
    d.add(
        "fee.fare_band.refund",
        f"leg {leg_index}: the ticket is refunded in full, the ordinary fare for "
        f"{leg.distance_km} km: {fare} öre"
        if fare is not None
        else f"leg {leg_index}: the ticket is refunded in full, but no ordinary fare is known "
        f"for {leg.distance_km} km; nothing is refunded here",
        key=f"modes[{index}].refund_ticket",
        source=rule.source,
        distance_km=leg.distance_km,
        bus_fare_ore=fare,
    )
    return fare or 0


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
    """Accommodation is paid when the cheapest mode would leave home before `leave_before`
    on the day of the visit or bring the patient home after `home_after` on the day of the
    return. Compared as moments, not clock times: a journey home that arrives at 00:30 is
    an arrival the next day, after 23:00, not an early one."""
    rule = version.accommodation
    leave, home = trip.public_transport_departure, trip.public_transport_return
    outward = next((leg for leg in trip.legs if leg.direction == "outward"), trip.legs[0])
    back = next((leg for leg in reversed(trip.legs) if leg.direction == "return"), trip.legs[-1])
    leave_at = None if leave is None else _leave_moment(leave, outward)
    home_at = None if home is None else _home_moment(home, back)
    early = leave_at is not None and leave_at < local(outward.local_day, rule.leave_before)
    latest = local(back.local_day, rule.home_after)
    if rule.home_after <= rule.leave_before:  # a limit past midnight: the night after
        latest = local(back.local_day + timedelta(days=1), rule.home_after)
    late = home_at is not None and home_at > latest
    if early or late:
        d.add(
            "accommodation.offered",
            f"the cheapest mode would leave at {_when(leave_at, outward)} and be home at "
            f"{_when(home_at, back)}: accommodation is paid (leave before "
            f"{rule.leave_before:%H:%M} or home after {rule.home_after:%H:%M})",
            key="accommodation",
            source=rule.source,
            departure=_shown(leave, leave_at, outward),
            home=_shown(home, home_at, back),
        )
    return early or late


def _leave_moment(at: time, leg: Leg) -> datetime:
    """When the traveller leaves home: on the outward leg's day, or the evening before when
    the leg is an appointment to arrive by and the clock time is later than it."""
    day = leg.local_day
    if leg.arrive_by and at > leg.local_time:
        day -= timedelta(days=1)
    return local(day, at)


def _home_moment(at: time, leg: Leg) -> datetime:
    """When the traveller is home again: on the return leg's day, or the next day when the
    clock time is earlier than the leg leaves (the journey home passed midnight)."""
    day = leg.local_day
    if not leg.arrive_by and at < leg.local_time:
        day += timedelta(days=1)
    return local(day, at)


def _when(at: datetime | None, leg: Leg) -> str:
    """A moment as the reason says it: the clock on the leg's own day, else with its date."""
    if at is None:
        return "-"
    return f"{at:%H:%M}" if at.date() == leg.local_day else f"{at:%Y-%m-%d %H:%M}"


def _shown(clock: time | None, at: datetime | None, leg: Leg) -> time | str | None:
    """The fact as before (the clock time) on the leg's day; with its date on another."""
    if at is None or at.date() == leg.local_day:
        return clock
    return f"{at:%Y-%m-%d %H:%M}"
