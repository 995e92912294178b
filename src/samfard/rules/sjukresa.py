"""Sjukresor (patient travel to care): the region's rules applied to one trip.

The order follows how a travel service reasons: who pays, is the purpose reimbursed, is
the destination the nearest unit, which mode fits and is it authorised, then fees per leg
through the fee ceiling, companions, accommodation and the time tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from samfard.errors import InputError
from samfard.money import Ore, times
from samfard.rules import common
from samfard.rules.decision import (
    CompanionDecision,
    CostObject,
    Decision,
    Draft,
    LegFee,
)
from samfard.rules.facts import (
    MODE_ORDER,
    AssessmentRequest,
    CompanionKind,
    Leg,
    Mode,
    TravellerFacts,
    Trip,
)
from samfard.rules.issuers import find_certificate
from samfard.rules.ledger import CeilingRule, LedgerState, charge
from samfard.rules.loader import Rulebook
from samfard.rules.schema import ModeRule, SjukresaVersion


@dataclass(frozen=True)
class _Modes:
    allowed: tuple[Mode, ...]
    chosen: Mode | None
    rule_index: int | None


def assess(request: AssessmentRequest, book: Rulebook) -> Decision:
    trip, traveller = request.trip, request.traveller
    index, version = book.version_on(trip.day)
    if not isinstance(version, SjukresaVersion):  # pragma: no cover - loader guarantees it
        raise TypeError(f"{book.file} is not a sjukresa rulebook")
    d = Draft(book=book, index=index, version=version, principal=trip.principal)
    if trip.principal != traveller.county:
        d.refuse(
            "principal.not_home_region",
            f"sjukresor are paid by the region where the patient is registered "
            f"({traveller.county}), not {trip.principal}",
            key="",
            source="[S] Lag (1991:419) om resekostnadsersättning vid sjukresor",
            county=traveller.county,
        )
    cost_object = _foreign_referral(d, version, trip, traveller)
    if cost_object is None:
        _destination(d, version, trip)
    _purpose(d, version, trip.purpose)
    modes = _choose_mode(d, version, trip)
    if modes.chosen is not None and modes.rule_index is not None:
        _authorise(d, version, request, modes.chosen, modes.rule_index)
    if trip.needs.ride_alone:
        _ride_alone(d, version)
    if version.booking is not None and modes.chosen in (version.booking.modes or MODE_ORDER):
        late = common.late_booking(version.booking, trip, special_vehicle=False)
        if late:
            d.escalate(
                "booking.late",
                late,
                key="booking",
                source=version.booking.source,
                booked_at=trip.booked_at,
            )
    ceiling = CeilingRule(version.ceiling.amount_ore, version.ceiling.period)
    legs: tuple[LegFee, ...] = ()
    ledger = traveller.ledger
    if modes.chosen is not None and modes.rule_index is not None and not d.refused:
        legs, ledger = _fees(d, version, trip, traveller, modes.rule_index, ceiling)
    return d.finish(
        allowed_modes=modes.allowed,
        chosen_mode=modes.chosen,
        legs=legs,
        companions=_companions(d, version, request),
        tolerance=common.tolerance(version.tolerance, purpose=trip.purpose, outside_home=False),
        accommodation_offered=_accommodation(d, version, trip),
        cost_object=cost_object,
        ceiling=ceiling,
        ledger_after=ledger,
    )


def _foreign_referral(
    d: Draft, version: SjukresaVersion, trip: Trip, traveller: TravellerFacts
) -> CostObject | None:
    for i, rule in enumerate(version.foreign_referrals):
        if rule.destination != trip.destination_name:
            continue
        key = f"foreign_referrals[{i}]"
        if not trip.referral or traveller.listed_unit != rule.listed_unit:
            d.refuse(
                "destination.foreign_needs_referral",
                f"trips to {rule.destination} are paid only on referral for patients listed "
                f"at {rule.listed_unit}",
                key=key,
                source=rule.source,
                referral=trip.referral,
                listed_unit=traveller.listed_unit,
            )
            return None
        d.add(
            "destination.foreign_referral",
            f"referred to {rule.destination}: home-region fee rules, cost centre "
            f"{rule.cost_centre}, object {rule.cost_object}",
            key=key,
            source=rule.source,
            listed_unit=traveller.listed_unit,
        )
        return CostObject(rule.cost_centre, rule.cost_object)
    return None


def _destination(d: Draft, version: SjukresaVersion, trip: Trip) -> None:
    rule = version.destination
    if trip.destination_is_nearest or not rule.nearest_unit_only:
        d.add(
            "destination.nearest",
            "the destination is the nearest designated care unit",
            key="destination.nearest_unit_only",
            source=rule.source,
            destination=trip.destination_name,
        )
    elif trip.referral and rule.farther_unit_with_referral:
        d.add(
            "destination.referral",
            "a farther unit, reimbursed in full because the patient has a referral",
            key="destination.farther_unit_with_referral",
            source=rule.source,
            destination=trip.destination_name,
        )
    else:
        for i, leg in enumerate(trip.legs):
            if leg.nearest_unit_km is None:
                raise InputError(
                    f"leg {i}: nearest_unit_km is needed because {trip.destination_name} is "
                    "not the nearest unit and there is no referral",
                    field=f"legs[{i}].nearest_unit_km",
                )
        d.add(
            "destination.as_nearest",
            "a farther unit without referral: reimbursed as a trip to the nearest unit",
            key="destination.nearest_unit_only",
            source=rule.source,
            destination=trip.destination_name,
        )


def _purpose(d: Draft, version: SjukresaVersion, purpose: str | None) -> None:
    rule = version.purposes
    if purpose is None:
        d.escalate(
            "purpose.missing",
            "the purpose of the visit is not given",
            key="purposes",
            source=rule.source,
        )
    elif purpose in rule.not_reimbursed:
        d.refuse(
            "purpose.not_reimbursed",
            f"{purpose} is not a reimbursed purpose",
            key=f"purposes.not_reimbursed[{rule.not_reimbursed.index(purpose)}]",
            source=rule.source,
            purpose=purpose,
        )
    elif purpose in rule.reimbursed:
        d.add(
            "purpose.reimbursed",
            f"{purpose} is a reimbursed purpose",
            key=f"purposes.reimbursed[{rule.reimbursed.index(purpose)}]",
            source=rule.source,
            purpose=purpose,
        )
    else:
        d.escalate(
            "purpose.unlisted",
            f"{purpose} is on neither list of purposes; an assessor decides",
            key="purposes",
            source=rule.source,
            purpose=purpose,
        )


def _choose_mode(d: Draft, version: SjukresaVersion, trip: Trip) -> _Modes:
    by_mode = {rule.mode: i for i, rule in enumerate(version.modes)}
    allowed = tuple(m for m in MODE_ORDER if m in by_mode and trip.needs.fits(m))
    if not allowed:
        d.refuse(
            "mode.none_fits",
            "no mode the region pays for fits the traveller's needs",
            key="modes",
            source=version.source,
            needs=trip.needs,
        )
        return _Modes((), None, None)
    chosen = trip.requested_mode or allowed[0]
    if chosen not in allowed:
        d.refuse(
            "mode.not_allowed",
            f"{chosen.value} is not paid for or does not fit the needs; allowed: "
            f"{', '.join(m.value for m in allowed)}",
            key="modes",
            source=version.source,
            requested=chosen,
            needs=trip.needs,
        )
        return _Modes(allowed, None, None)
    index = by_mode[chosen]
    d.add(
        "mode.chosen",
        f"{chosen.value}; the cheapest fitting mode is {allowed[0].value}",
        key=f"modes[{index}]",
        source=version.modes[index].source,
        requested=trip.requested_mode,
        needs=trip.needs,
    )
    return _Modes(allowed, chosen, index)


def _authorise(
    d: Draft, version: SjukresaVersion, request: AssessmentRequest, mode: Mode, index: int
) -> None:
    rule = version.modes[index]
    key = f"modes[{index}].authorisation"
    trip, traveller = request.trip, request.traveller
    if rule.authorisation == "central_decision":
        decided = any(
            x.mode is mode and x.valid_on(leg.local_day)
            for x in traveller.decisions
            for leg in trip.legs
        )
        if decided:
            d.add(
                "authorisation.decision",
                f"{mode.value} granted by a standing decision of the central travel service",
                key=key,
                source=rule.source,
            )
        else:
            d.escalate(
                "authorisation.needs_decision",
                f"{mode.value} needs a decision by the central travel service",
                key=key,
                source=rule.source,
            )
    elif rule.authorisation == "certificate":
        booked_on = trip.booked_at.date() if trip.booked_at is not None else trip.day
        cert, why = find_certificate(
            traveller.certificates,
            request.issuers,
            mode=mode,
            days=tuple(leg.local_day for leg in trip.legs),
            booked_on=booked_on,
            needs_return=any(leg.direction == "return" for leg in trip.legs),
        )
        if cert is None:
            d.refuse(
                "authorisation.no_certificate",
                f"{mode.value} needs a certificate issued in advance by the treating unit "
                f"for outward and return trip: {why}",
                key=key,
                source=rule.source,
            )
        else:
            d.add(
                "authorisation.certificate",
                f"certificate from {cert.issuer_unit} issued {cert.issued_on}: {why}",
                key=key,
                source=rule.source,
                issuer=cert.issuer_unit,
            )


def _ride_alone(d: Draft, version: SjukresaVersion) -> None:
    rule = version.ride_alone
    text = "riding alone is allowed only on medical grounds"
    if rule.policy == "refused":
        d.refuse("needs.ride_alone", text, key="ride_alone.policy", source=rule.source)
    elif rule.policy == "assessor":
        d.escalate("needs.ride_alone", text, key="ride_alone.policy", source=rule.source)


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


def _fees(
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


def _companions(
    d: Draft, version: SjukresaVersion, request: AssessmentRequest
) -> tuple[CompanionDecision, ...]:
    rule = version.companions
    traveller, trip = request.traveller, request.trip
    out: list[CompanionDecision] = []
    legs = len(trip.legs)
    for i, companion in enumerate(trip.companions):
        child_age = companion.age if companion.kind is CompanionKind.CHILD else None
        free_to = rule.child_free_to_age
        if child_age is not None and free_to is not None and child_age <= free_to:
            d.add(
                "companion.child_free",
                f"companion {i}: children up to {free_to} travel free",
                key="companions.child_free_to_age",
                source=rule.source,
                age=child_age,
            )
            out.append(CompanionDecision(i, companion.kind, True, (0,) * legs))
            continue
        fee = rule.fee_ore
        over = rule.free_when_patient_over_age
        if over is not None and traveller.age > over:
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


def _accommodation(d: Draft, version: SjukresaVersion, trip: Trip) -> bool:
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
