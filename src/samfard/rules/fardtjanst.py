"""Färdtjänst (paratransit): a municipality's rules applied to one trip.

The permit is the gate: valid on the day, issued by the paying municipality, its conditions
(special vehicle, escort, fellow passenger, front seat, riding alone, allergy-cleaned
vehicle, guide dog) carried into the decision. Then the service area and hours, the fee by
distance band or bus fare, reductions for children, and the yearly quota for trips outside
the area where the municipality has one.

A leg's end beyond the centre's municipalities (facts.OUTSIDE_REGIONS) is never in a
service area: it leaves the area like any other municipality's.
"""

from __future__ import annotations

from samfard.errors import InputError
from samfard.money import Ore, times
from samfard.rules import common
from samfard.rules.decision import CompanionDecision, Decision, Draft, LegFee
from samfard.rules.facts import (
    MODE_ORDER,
    AssessmentRequest,
    CompanionKind,
    Leg,
    Mode,
    Permit,
    Service,
    Trip,
)
from samfard.rules.loader import Rulebook
from samfard.rules.schema import DistanceBands, FardtjanstVersion

LAW = "[S] Lag (1997:736) om färdtjänst"
PERMIT_CONDITIONS = "[S] permit conditions, Lag (1997:736)"
# The reason each leg charged on the yearly quota outside the area carries: the register
# counts a traveller's stored ones to say how much of the quota is used.
OUTSIDE_AREA_FEE = "fee.outside_area"


def assess(
    request: AssessmentRequest, book: Rulebook, *, care_purposes: frozenset[str] = frozenset()
) -> Decision:
    trip, traveller = request.trip, request.traveller
    index, version = book.version_on(trip.day)
    if not isinstance(version, FardtjanstVersion):  # pragma: no cover - loader guarantees it
        raise TypeError(f"{book.file} is not a fardtjanst rulebook")
    d = Draft(book=book, index=index, version=version, principal=trip.principal)
    common.paid_as_sjukresa(
        d, trip, care_purposes, law=f"{LAW}: trips another public body pays are not färdtjänst"
    )
    permit = _permit(d, version, request)
    if permit is None:
        return d.finish(allowed_modes=(), chosen_mode=None)
    _night(d, version, trip)
    outside = _outside_legs(d, version, trip, permit, traveller.outside_area_trips_this_year)
    allowed, chosen = _mode(d, version, trip, permit)
    if version.booking is not None:
        late = common.late_booking(version.booking, trip, special_vehicle=permit.special_vehicle)
        if late:
            d.escalate(
                "booking.late",
                late.text,
                key="booking",
                source=version.booking.source,
                booked_at=trip.booked_at,
                **late.facts,
            )
    legs: tuple[LegFee, ...] = ()
    if chosen is not None and not d.refused:
        legs = tuple(
            _leg_fee(d, version, trip, i, leg, chosen, i in outside, traveller.age)
            for i, leg in enumerate(trip.legs)
        )
    return d.finish(
        allowed_modes=allowed,
        chosen_mode=chosen,
        legs=legs,
        companions=_companions(d, version, request, permit, legs),
        tolerance=common.tolerance(
            version.tolerance, purpose=trip.purpose, outside_home=bool(outside)
        ),
    )


def _permit(d: Draft, version: FardtjanstVersion, request: AssessmentRequest) -> Permit | None:
    trip, traveller = request.trip, request.traveller
    source = f"{LAW}: the municipality grants permits to residents"
    if traveller.municipality != trip.principal:
        d.refuse(
            "permit.not_resident",
            f"färdtjänst is paid by the home municipality {traveller.municipality}, "
            f"not {trip.principal}",
            key="",
            source=source,
            municipality=traveller.municipality,
        )
        return None
    for permit in traveller.permits:
        if (
            permit.service is Service.FARDTJANST
            and permit.municipality == trip.principal
            and all(permit.valid_on(leg.local_day) for leg in trip.legs)
        ):
            d.add(
                "permit.valid",
                f"permit valid {permit.valid_from} to {permit.valid_until or 'further notice'}",
                key="",
                source=source,
                valid_from=permit.valid_from,
                valid_until=permit.valid_until,
            )
            return permit
    d.refuse(
        "permit.missing",
        f"no färdtjänst permit from {trip.principal} valid on {trip.day}",
        key="",
        source=source,
        permits=len(traveller.permits),
    )
    return None


def _night(d: Draft, version: FardtjanstVersion, trip: Trip) -> None:
    night = version.night
    if night is None:
        return
    for i, leg in enumerate(trip.legs):
        if common.within(leg.local_time, night.starts, night.ends):
            d.refuse(
                "hours.night",
                f"leg {i} at {leg.local_time:%H:%M}: no service between "
                f"{night.starts:%H:%M} and {night.ends:%H:%M}",
                key="night",
                source=night.source,
                depart_at=leg.depart_at,
            )


def _in_area(
    version: FardtjanstVersion, permit: Permit, municipality: str, place: str | None
) -> bool:
    area = version.area
    return (
        municipality in area.municipalities
        or municipality in permit.extra_areas
        or (place is not None and (place in area.places or place in permit.extra_areas))
    )


def _outside_legs(
    d: Draft, version: FardtjanstVersion, trip: Trip, permit: Permit, used: int
) -> frozenset[int]:
    """Legs that leave the service area; refused unless a yearly quota covers them."""
    outside = frozenset(
        i
        for i, leg in enumerate(trip.legs)
        if not (
            _in_area(version, permit, leg.origin_municipality, leg.origin_place)
            and _in_area(version, permit, leg.destination_municipality, leg.destination_place)
        )
    )
    area = version.area
    if not outside:
        d.add(
            "area.inside",
            "every leg is inside the service area",
            key="area",
            source=area.source,
            municipalities=",".join(area.municipalities),
        )
        return outside
    quota = version.outside_area
    if quota is None:
        d.refuse(
            "area.outside",
            f"leg(s) {sorted(outside)} leave the service area "
            f"({', '.join(area.municipalities + area.places)}); riksfärdtjänst may apply",
            key="area",
            source=area.source,
        )
    elif used + len(outside) > quota.trips_per_year:
        d.refuse(
            "area.quota_used",
            f"{used} of {quota.trips_per_year} trips outside the area used this year; "
            f"{len(outside)} more asked",
            key="outside_area.trips_per_year",
            source=quota.source,
            used=used,
        )
    else:
        d.add(
            "area.quota",
            f"leg(s) {sorted(outside)} outside the area on the yearly quota "
            f"({used + len(outside)} of {quota.trips_per_year})",
            key="outside_area.trips_per_year",
            source=quota.source,
            used=used,
        )
    return outside


def _mode(
    d: Draft, version: FardtjanstVersion, trip: Trip, permit: Permit
) -> tuple[tuple[Mode, ...], Mode | None]:
    allowed = tuple(m for m in MODE_ORDER if m in version.modes and trip.needs.fits(m))
    if permit.special_vehicle:
        allowed = tuple(m for m in allowed if m is not Mode.TAXI)
        d.conditions.add("special_vehicle")
        d.add(
            "permit.special_vehicle",
            "the permit requires a special vehicle",
            key="modes",
            source=version.source,
        )
    for need, granted in (("front_seat", permit.front_seat), ("ride_alone", permit.ride_alone)):
        if granted or getattr(trip.needs, need):
            d.conditions.add(need)
        if getattr(trip.needs, need) and not granted:
            d.escalate(
                f"permit.{need}",
                f"{need.replace('_', ' ')} is asked for but not a permit condition",
                key="",
                source=PERMIT_CONDITIONS,
            )
        elif granted:
            d.add(
                f"permit.{need}",
                f"permit condition: {need.replace('_', ' ')}",
                key="",
                source=PERMIT_CONDITIONS,
            )
    _vehicle_conditions(d, permit)
    if not allowed:
        d.refuse(
            "mode.none_fits",
            "no vehicle the municipality provides fits the needs",
            key="modes",
            source=version.source,
            needs=trip.needs,
        )
        return (), None
    chosen = trip.requested_mode or allowed[0]
    if permit.special_vehicle and chosen is Mode.TAXI:
        # The permit decides the vehicle: a taxi asked for, or assumed because the booking
        # named no need, becomes the special vehicle the permit holder needs.
        chosen = allowed[0]
    if chosen not in allowed:
        d.refuse(
            "mode.not_allowed",
            f"{chosen.value} is not allowed; allowed: {', '.join(m.value for m in allowed)}",
            key="modes",
            source=version.source,
        )
        return allowed, None
    d.add("mode.chosen", chosen.value, key="modes", source=version.source)
    return allowed, chosen


def _vehicle_conditions(d: Draft, permit: Permit) -> None:
    """An allergy-cleaned vehicle and room for a guide dog are what the carrier must send:
    they go into the decision's conditions beside the special vehicle, for the planner and
    the driver (they were granted on the permit and reached no one)."""
    if permit.allergy_free:
        d.conditions.add("allergy_free")
        d.add(
            "permit.allergy_free",
            "permit condition: allergy-cleaned vehicle",
            key="",
            source=PERMIT_CONDITIONS,
        )
    if permit.guide_dog:
        d.conditions.add("guide_dog")
        d.add(
            "permit.guide_dog",
            "permit condition: guide dog travels along",
            key="",
            source=PERMIT_CONDITIONS,
        )


def _list_fee(d: Draft, version: FardtjanstVersion, i: int, leg: Leg, outside: bool) -> Ore:
    if outside and version.outside_area is not None:
        quota = version.outside_area
        fee = max(times(quota.rate_ore_per_km, leg.distance_km), quota.minimum_ore)
        d.add(
            "fee.outside_area",
            f"leg {i}: {leg.distance_km} km outside the area: {fee} öre",
            key="outside_area.rate_kr_per_km",
            source=quota.source,
            distance_km=leg.distance_km,
        )
        return fee
    fee_rule = version.fee
    if isinstance(fee_rule, DistanceBands):
        found = common.band_fee(fee_rule, leg.distance_km)
        if found is None:
            d.escalate(
                "fee.no_band",
                f"leg {i}: no fee band covers {leg.distance_km} km",
                key="fee.bands",
                source=fee_rule.source,
                distance_km=leg.distance_km,
            )
            return 0
        band_index, fee, distance = found
        band = fee_rule.bands[band_index]
        d.add(
            "fee.band",
            f"leg {i}: {distance} km is in band {band.min_km}-"
            f"{band.max_km if band.max_km is not None else ''} km: {fee} öre",
            key=f"fee.bands[{band_index}].fee_kr",
            source=band.source or fee_rule.source,
            distance_km=leg.distance_km,
        )
        return fee
    if leg.bus_fare_ore is None:
        raise InputError(
            f"leg {i}: bus_fare_ore is needed, the fee is {fee_rule.multiple} x the bus fare",
            field=f"legs[{i}].bus_fare_ore",
        )
    fee = times(leg.bus_fare_ore, fee_rule.multiple)
    d.add(
        "fee.bus_fare",
        f"leg {i}: {fee_rule.multiple} x bus fare {leg.bus_fare_ore} öre = {fee} öre",
        key="fee.multiple",
        source=fee_rule.source,
        bus_fare_ore=leg.bus_fare_ore,
    )
    return fee


def _leg_fee(
    d: Draft,
    version: FardtjanstVersion,
    trip: Trip,
    i: int,
    leg: Leg,
    mode: Mode,
    outside: bool,
    age: int,
) -> LegFee:
    list_fee = _list_fee(d, version, i, leg, outside)
    fee = list_fee
    rule = version.children
    if rule.holder_reduced_below_age is not None and age < rule.holder_reduced_below_age:
        fee = times(list_fee, rule.holder_reduced_share)
        d.add(
            "fee.child_holder",
            f"leg {i}: under {rule.holder_reduced_below_age} pays "
            f"{rule.holder_reduced_share} of the fee: {fee} öre",
            key="children.holder_reduced_share",
            source=rule.source,
            age=age,
        )
    return LegFee(i, leg.direction, mode, list_fee, fee, counts_toward_ceiling=False)


def _companions(
    d: Draft,
    version: FardtjanstVersion,
    request: AssessmentRequest,
    permit: Permit,
    legs: tuple[LegFee, ...],
) -> tuple[CompanionDecision, ...]:
    rule, children = version.companions, version.children
    holder_fees = tuple(leg.list_fee_ore for leg in legs)
    out: list[CompanionDecision] = []
    for i, companion in enumerate(request.trip.companions):
        if companion.kind is CompanionKind.ESCORT:
            if not permit.escort:
                d.escalate(
                    "companion.escort_not_in_permit",
                    f"companion {i}: the permit has no escort condition; an assessor decides",
                    key="companions",
                    source=rule.source,
                )
                out.append(CompanionDecision(i, companion.kind, False, ()))
                continue
            d.add(
                "companion.escort_free",
                f"companion {i}: the escort travels free",
                key="companions.escort_free",
                source=rule.source,
            )
            d.conditions.add("escort")
            out.append(CompanionDecision(i, companion.kind, True, (0,) * len(legs)))
            continue
        if companion.kind is CompanionKind.FELLOW_PASSENGER and not permit.fellow_passenger:
            # The permit says whether a fellow passenger may come; one it does not grant is
            # a person's decision, as an escort is (it was approved at the holder's fee).
            d.escalate(
                "companion.fellow_passenger_not_in_permit",
                f"companion {i}: the permit grants no fellow passenger; an assessor decides",
                key="companions",
                source=rule.source,
            )
            out.append(CompanionDecision(i, companion.kind, False, ()))
            continue
        fees = holder_fees
        age = companion.age if companion.kind is CompanionKind.CHILD else None
        code, key, note = "companion.pays_as_holder", "companions", "pays as the holder"
        if (
            age is not None
            and children.own_child_free_to_age is not None
            and (age <= children.own_child_free_to_age)
        ):
            fees = (0,) * len(legs)
            code, key, note = "companion.own_child_free", "children.own_child_free_to_age", "free"
        elif (
            age is not None
            and children.own_child_reduced_to_age is not None
            and (age <= children.own_child_reduced_to_age)
        ):
            fees = tuple(times(f, children.own_child_reduced_share) for f in holder_fees)
            code, key = "companion.own_child_reduced", "children.own_child_reduced_share"
            note = f"pays {children.own_child_reduced_share} of the fee"
        elif (
            age is not None
            and children.holder_reduced_below_age is not None
            and (age < children.holder_reduced_below_age)
        ):
            fees = tuple(times(f, children.holder_reduced_share) for f in holder_fees)
            code, key = "companion.child_reduced", "children.holder_reduced_share"
            note = f"pays {children.holder_reduced_share} of the fee"
        source = children.source if key.startswith("children") else rule.source
        d.add(code, f"companion {i}: {note}", key=key, source=source, age=age)
        out.append(CompanionDecision(i, companion.kind, True, fees))
    return tuple(out)
