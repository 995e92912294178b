"""Sjukresor (patient travel to care): the region's rules applied to one trip.

The order follows how a travel service reasons: who pays, is the purpose reimbursed, is
the destination the nearest unit, which mode fits and is it authorised, then fees per leg
through the fee ceiling, companions, accommodation and the time tolerance.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from samfard.errors import InputError
from samfard.rules import common, public_transport, sjukresa_fees
from samfard.rules.decision import (
    CostObject,
    Decision,
    Draft,
    LegFee,
)
from samfard.rules.facts import (
    MODE_ORDER,
    VEHICLE_MODES,
    AssessmentRequest,
    Mode,
    TravellerFacts,
    Trip,
)
from samfard.rules.issuers import find_certificate
from samfard.rules.ledger import CeilingRule
from samfard.rules.loader import Rulebook
from samfard.rules.schema import SjukresaVersion
from samfard.timeutil import local_date

# Modes paid only when the patient cannot travel by public transport (seed 001's rule).
PUBLIC_TRANSPORT_FIRST = VEHICLE_MODES | {Mode.FLIGHT}


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
    # A foreign referral rule governs its destination whether it pays or refuses the trip;
    # the nearest-unit rule then has nothing to say.
    governed, cost_object = _foreign_referral(d, version, trip, traveller)
    as_nearest = not governed and _destination(d, version, trip)
    cost_object = _asylum_account(d, version, traveller) or cost_object
    _purpose(d, version, trip.purpose)
    modes = _choose_mode(d, version, request)
    if modes.chosen is not None and modes.rule_index is not None:
        _authorise(d, version, request, modes.chosen, modes.rule_index)
        _claim_deadline(d, version, trip, modes.rule_index)
    if trip.needs.ride_alone:
        _ride_alone(d, version)
    d.conditions.update(name for name in ("front_seat", "ride_alone") if getattr(trip.needs, name))
    if version.booking is not None and modes.chosen in (version.booking.modes or MODE_ORDER):
        late = common.late_booking(version.booking, trip, special_vehicle=False)
        if late:
            d.escalate(
                "booking.late",
                late.text,
                key="booking",
                source=version.booking.source,
                booked_at=trip.booked_at,
                **late.facts,
            )
    ceiling = CeilingRule(version.ceiling.amount_ore, version.ceiling.period)
    legs: tuple[LegFee, ...] = ()
    ledger = traveller.ledger
    if modes.chosen is not None and modes.rule_index is not None and not d.refused:
        if as_nearest:
            _require_nearest_distances(trip)
        legs, ledger = sjukresa_fees.fees(d, version, trip, traveller, modes.rule_index, ceiling)
    return d.finish(
        allowed_modes=modes.allowed,
        chosen_mode=modes.chosen,
        legs=legs,
        companions=sjukresa_fees.companions(d, version, request),
        tolerance=common.tolerance(version.tolerance, purpose=trip.purpose, outside_home=False),
        accommodation_offered=not d.refused and sjukresa_fees.accommodation(d, version, trip),
        cost_object=cost_object,
        ceiling=ceiling,
        ledger_after=ledger,
    )


def _asylum_account(
    d: Draft, version: SjukresaVersion, traveller: TravellerFacts
) -> CostObject | None:
    """A resident of asylum housing travels on the region's account for asylum seekers
    (the state compensates the region for their care): it wins over any other account."""
    rule = version.asylum
    if not traveller.asylum_housing or rule is None:
        return None
    d.add(
        "cost.asylum_account",
        f"resident of asylum housing: booked to cost centre {rule.cost_centre}, "
        f"object {rule.cost_object}",
        key="asylum",
        source=rule.source,
        asylum_housing=True,
    )
    return CostObject(rule.cost_centre, rule.cost_object)


def _foreign_referral(
    d: Draft, version: SjukresaVersion, trip: Trip, traveller: TravellerFacts
) -> tuple[bool, CostObject | None]:
    """A trip to a referral hospital abroad, matched by place key, never by name: whether a
    rule governs the destination, and the account it books a paid trip to."""
    for i, rule in enumerate(version.foreign_referrals):
        if trip.destination_place is None or rule.destination_place != trip.destination_place:
            continue
        key = f"foreign_referrals[{i}]"
        where = trip.destination_name or rule.destination_place
        if not trip.referral or traveller.listed_unit != rule.listed_at_place:
            d.refuse(
                "destination.foreign_needs_referral",
                f"trips to {where} are paid only on referral for patients listed at "
                f"{rule.listed_at_place}",
                key=key,
                source=rule.source,
                referral=trip.referral,
                listed_unit=traveller.listed_unit,
            )
            return True, None
        d.add(
            "destination.foreign_referral",
            f"referred to {where}: home-region fee rules, cost centre "
            f"{rule.cost_centre}, object {rule.cost_object}",
            key=key,
            source=rule.source,
            listed_unit=traveller.listed_unit,
            destination_place=rule.destination_place,
        )
        return True, CostObject(rule.cost_centre, rule.cost_object)
    return False, None


def _destination(d: Draft, version: SjukresaVersion, trip: Trip) -> bool:
    """Whether the trip is reimbursed as a trip to the nearest unit (a farther one without
    referral). Its distance is asked for only once the trip is paid: a refusal for another
    reason makes it moot (`_require_nearest_distances`)."""
    rule = version.destination
    if trip.destination_is_nearest or not rule.nearest_unit_only:
        d.add(
            "destination.nearest",
            "the destination is the nearest designated care unit",
            key="destination.nearest_unit_only",
            source=rule.source,
            destination=trip.destination_name,
            kind=trip.destination_kind,
        )
    elif trip.referral and rule.farther_unit_with_referral:
        d.add(
            "destination.referral",
            "a farther unit, reimbursed in full because the patient has a referral",
            key="destination.farther_unit_with_referral",
            source=rule.source,
            destination=trip.destination_name,
            kind=trip.destination_kind,
        )
    else:
        d.add(
            "destination.as_nearest",
            "a farther unit without referral: reimbursed as a trip to the nearest unit",
            key="destination.nearest_unit_only",
            source=rule.source,
            destination=trip.destination_name,
            kind=trip.destination_kind,
        )
        return True
    return False


def _require_nearest_distances(trip: Trip) -> None:
    """A trip paid as to the nearest unit needs that unit's distance on every leg."""
    where = trip.destination_name or trip.destination_place or "the destination"
    for i, leg in enumerate(trip.legs):
        if leg.nearest_unit_km is None:
            raise InputError(
                f"leg {i}: nearest_unit_km is needed because {where} is "
                "not the nearest unit and there is no referral",
                field=f"legs[{i}].nearest_unit_km",
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


def _choose_mode(d: Draft, version: SjukresaVersion, request: AssessmentRequest) -> _Modes:
    trip = request.trip
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
    if allowed[0] is Mode.PUBLIC_TRANSPORT and chosen in PUBLIC_TRANSPORT_FIRST:
        chosen = public_transport.choose(d, version, request, chosen)
    index = by_mode[chosen]
    cheapest = allowed[0]
    d.add(
        "mode.chosen",
        f"{chosen.value}, the cheapest mode that fits"
        if chosen is cheapest
        else f"{chosen.value}; the cheaper {cheapest.value} is set aside as said above"
        if chosen in PUBLIC_TRANSPORT_FIRST and cheapest is Mode.PUBLIC_TRANSPORT
        else f"{chosen.value} as asked; the cheapest fitting mode is {cheapest.value}",
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
        booked_on = local_date(trip.booked_at) if trip.booked_at is not None else trip.day
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


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it is shorter."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _claim_deadline(d: Draft, version: SjukresaVersion, trip: Trip, index: int) -> None:
    """Own-car trips are claimed afterwards; for them booked_at is when the claim came."""
    rule = version.modes[index]
    months = rule.claim_within_months
    if months is None or trip.booked_at is None:
        return
    claimed = local_date(trip.booked_at)
    last = _add_months(trip.day, months)
    if claimed > last:
        d.refuse(
            "claim.too_late",
            f"the claim came on {claimed}; {rule.mode.value} trips must be claimed within "
            f"{months} months, by {last}",
            key=f"modes[{index}].claim_within_months",
            source=rule.source,
            claimed_on=claimed,
        )


def _ride_alone(d: Draft, version: SjukresaVersion) -> None:
    rule = version.ride_alone
    text = "riding alone is allowed only on medical grounds"
    if rule.policy == "refused":
        d.refuse("needs.ride_alone", text, key="ride_alone.policy", source=rule.source)
    elif rule.policy == "assessor":
        d.escalate("needs.ride_alone", text, key="ride_alone.policy", source=rule.source)
