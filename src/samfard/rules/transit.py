"""Riksfärdtjänst and närtrafik: the two services with a national or regional fare.

Riksfärdtjänst: the home municipality decides and pays; the traveller pays the national
fee by road distance (Förordning 1993:1148), 70 % for those under 26 and students.
Närtrafik: the transport authority serves residents far from a stop, in fixed windows,
booked some hours ahead, at the ordinary fare.
"""

from __future__ import annotations

from datetime import timedelta

from samfard.errors import InputError
from samfard.money import times
from samfard.rules import common
from samfard.rules.decision import CompanionDecision, Decision, Draft, Effect, LegFee
from samfard.rules.facts import (
    MODE_ORDER,
    OUTSIDE_REGIONS,
    AssessmentRequest,
    CompanionKind,
    Mode,
    Service,
)
from samfard.rules.loader import Rulebook
from samfard.rules.schema import NartrafikVersion, RiksfardtjanstVersion
from samfard.timeutil import STOCKHOLM, elapsed


def assess_riksfardtjanst(
    request: AssessmentRequest, book: Rulebook, *, care_purposes: frozenset[str] = frozenset()
) -> Decision:
    trip, traveller = request.trip, request.traveller
    index, version = book.version_on(trip.day)
    if not isinstance(version, RiksfardtjanstVersion):  # pragma: no cover - loader checks
        raise TypeError(f"{book.file} is not a riksfardtjanst rulebook")
    d = Draft(book=book, index=index, version=version, principal=trip.principal)
    law = "[S] Lag (1997:735) om riksfärdtjänst: the home municipality decides and pays"
    common.paid_as_sjukresa(
        d,
        trip,
        care_purposes,
        law="[S] Lag (1997:735) om riksfärdtjänst: leisure and private "
        "trips; travel to care is a sjukresa",
    )
    for i, leg in enumerate(trip.legs):
        # Two ends beyond the centre's municipalities may lie in two of them: not refused.
        if leg.origin_municipality == leg.destination_municipality != OUTSIDE_REGIONS:
            d.refuse(
                "trip.within_municipality",
                f"leg {i} starts and ends in municipality {leg.origin_municipality}; "
                "riksfärdtjänst is for trips between municipalities (within one, färdtjänst "
                "may apply)",
                key="",
                source="[S] Lag (1997:735) om riksfärdtjänst: trips between municipalities",
                municipality=leg.origin_municipality,
            )
    permit = next(
        (
            p
            for p in traveller.permits
            if p.service is Service.RIKSFARDTJANST
            and p.municipality == trip.principal == traveller.municipality
            and all(p.valid_on(leg.local_day) for leg in trip.legs)
        ),
        None,
    )
    if permit is None:
        d.refuse(
            "permit.missing",
            f"no riksfärdtjänst decision from {trip.principal} valid on {trip.day} for a "
            f"resident of {traveller.municipality}",
            key="",
            source=law,
            municipality=traveller.municipality,
        )
        return d.finish(allowed_modes=(), chosen_mode=None)
    d.add("permit.valid", "riksfärdtjänst decision valid on the day", key="", source=law)
    if d.refused:
        return d.finish(allowed_modes=(), chosen_mode=None)
    allowed = tuple(m for m in MODE_ORDER if m in version.modes and trip.needs.fits(m))
    if permit.special_vehicle:
        allowed = tuple(m for m in allowed if m is Mode.WHEELCHAIR_VEHICLE)
        d.conditions.add("special_vehicle")
    chosen = trip.requested_mode or (allowed[0] if allowed else None)
    if permit.special_vehicle and chosen is Mode.TAXI and allowed:
        chosen = allowed[0]  # the permit decides the vehicle, as in färdtjänst
    if chosen is None or chosen not in allowed:
        d.refuse(
            "mode.not_allowed",
            f"no allowed mode fits; allowed: {[m.value for m in allowed]}",
            key="modes",
            source=version.source,
            requested=trip.requested_mode,
        )
        return d.finish(allowed_modes=allowed, chosen_mode=None)
    d.add("mode.chosen", chosen.value, key="modes", source=version.source)
    reduction = version.reduction
    reduced = traveller.age < reduction.below_age or (reduction.students and traveller.student)
    legs: list[LegFee] = []
    for i, leg in enumerate(trip.legs):
        found = common.band_fee(version.fee, leg.distance_km)
        if found is None:  # pragma: no cover - the national table is open-ended
            raise InputError(f"leg {i}: no band for {leg.distance_km} km", field="legs")
        band_index, list_fee, distance = found
        band = version.fee.bands[band_index]
        d.add(
            "fee.band",
            f"leg {i}: {distance} km: {list_fee} öre",
            key=f"fee.bands[{band_index}].fee_kr",
            source=band.source or version.fee.source,
            distance_km=leg.distance_km,
        )
        fee = list_fee
        if reduced:
            fee = times(list_fee, reduction.share)
            d.add(
                "fee.reduced",
                f"leg {i}: under {reduction.below_age} or a student pays "
                f"{reduction.share}: {fee} öre",
                key="reduction.share",
                source=reduction.source,
                age=traveller.age,
                student=traveller.student,
            )
        legs.append(LegFee(i, leg.direction, chosen, list_fee, fee, counts_toward_ceiling=False))
    companions: list[CompanionDecision] = []
    for i, companion in enumerate(trip.companions):
        if companion.kind is CompanionKind.ESCORT:
            ok = permit.escort
            d.add(
                "companion.escort_free" if ok else "companion.escort_not_in_permit",
                f"companion {i}: "
                + (
                    "the escort travels free"
                    if ok
                    else "no escort in the decision; an assessor decides"
                ),
                key="companions.escort_free",
                source=version.companions.source,
                effect=Effect.INFO if ok else Effect.NEEDS_ASSESSOR,
            )
            if ok:
                d.conditions.add("escort")
            companions.append(CompanionDecision(i, companion.kind, ok, (0,) * len(legs)))
        else:
            d.add(
                "companion.pays_as_holder",
                f"companion {i}: pays as the holder",
                key="companions.fellow_passenger_pays_as_holder",
                source=version.companions.source,
            )
            fees = tuple(leg.list_fee_ore for leg in legs)
            companions.append(CompanionDecision(i, companion.kind, True, fees))
    return d.finish(
        allowed_modes=allowed,
        chosen_mode=chosen,
        legs=tuple(legs),
        companions=tuple(companions),
        tolerance=common.tolerance(version.tolerance, purpose=None, outside_home=True),
    )


def assess_nartrafik(request: AssessmentRequest, book: Rulebook) -> Decision:
    trip, traveller = request.trip, request.traveller
    index, version = book.version_on(trip.day)
    if not isinstance(version, NartrafikVersion):  # pragma: no cover - loader checks
        raise TypeError(f"{book.file} is not a nartrafik rulebook")
    d = Draft(book=book, index=index, version=version, principal=trip.principal)
    home_rkm = f"RKM-{traveller.county}"
    if trip.principal != home_rkm:
        d.refuse(
            "principal.not_home_authority",
            f"närtrafik for a resident of county {traveller.county} is run by {home_rkm}",
            key="",
            source=version.source,
            county=traveller.county,
        )
    rule = version.eligibility
    if trip.distance_to_stop_km is None:
        # Needed only to grant: a trip refused already (another county's authority) is
        # answered with its refusal, not sent back for a distance that could not help it.
        if not d.refused:
            raise InputError(
                "distance_to_stop_km is needed to assess närtrafik",
                field="trip.distance_to_stop_km",
            )
    elif trip.distance_to_stop_km <= rule.min_distance_to_stop_km:
        d.refuse(
            "eligibility.near_stop",
            f"the nearest stop is {trip.distance_to_stop_km} km away; närtrafik serves those "
            f"more than {rule.min_distance_to_stop_km} km from a stop",
            key="eligibility.min_distance_to_stop_km",
            source=rule.source,
            distance_to_stop_km=trip.distance_to_stop_km,
        )
    else:
        d.add(
            "eligibility.far_from_stop",
            f"{trip.distance_to_stop_km} km to the nearest stop",
            key="eligibility.min_distance_to_stop_km",
            source=rule.source,
        )
    if trip.nearest_stops:
        named = " or ".join(trip.nearest_stops)
        for i, leg in enumerate(trip.legs):
            if {leg.origin_place, leg.destination_place}.isdisjoint(trip.nearest_stops):
                d.refuse(
                    "route.not_to_nearest_stop",
                    f"leg {i}: närtrafik runs between the door and the nearest stop or "
                    f"service point ({named}), not {leg.origin_place or 'an address'} to "
                    f"{leg.destination_place or 'an address'}",
                    key="eligibility",
                    source=rule.source,
                )
    windows = version.service.windows
    for i, leg in enumerate(trip.legs):
        if not any(common.within(leg.local_time, w.start, w.end) for w in windows):
            spans = ", ".join(f"{w.start:%H:%M}-{w.end:%H:%M}" for w in windows)
            d.refuse(
                "hours.outside_window",
                f"leg {i} at {leg.local_time:%H:%M} is outside the service windows {spans}",
                key="service.windows",
                source=version.service.source,
            )
    booking = version.booking
    if trip.booked_at is not None:
        first = trip.legs[0].depart_at
        if elapsed(trip.booked_at, timedelta(hours=booking.min_hours_ahead)) > first:
            d.refuse(
                "booking.late",
                f"booked {trip.booked_at.astimezone(STOCKHOLM):%H:%M}, less than "
                f"{booking.min_hours_ahead} h before {first.astimezone(STOCKHOLM):%H:%M}",
                key="booking.min_hours_ahead",
                source=booking.source,
            )
    chosen = version.modes[0]
    legs: list[LegFee] = []
    if not d.refused:
        for i, leg in enumerate(trip.legs):
            fare = leg.bus_fare_ore
            if fare is None and version.fare is not None:
                band, fare = common.fare_ore(version.fare, leg.distance_km)
                d.add(
                    "fee.fare_band",
                    f"leg {i}: the ordinary fare for {leg.distance_km} km is {fare} öre",
                    key=f"fare.bands[{band}].fee_kr",
                    source=version.fare.source,
                    distance_km=leg.distance_km,
                )
            if fare is None:
                raise InputError(
                    f"leg {i}: bus_fare_ore is needed, närtrafik costs the ordinary fare",
                    field=f"legs[{i}].bus_fare_ore",
                )
            fee = times(fare, version.fee.multiple)
            d.add(
                "fee.bus_fare",
                f"leg {i}: the ordinary fare {fee} öre",
                key="fee.multiple",
                source=version.fee.source,
                bus_fare_ore=fare,
            )
            legs.append(LegFee(i, leg.direction, chosen, fee, fee, counts_toward_ceiling=False))
    return d.finish(
        allowed_modes=version.modes,
        chosen_mode=None if d.refused else chosen,
        legs=tuple(legs),
        tolerance=common.tolerance(version.tolerance, purpose=None, outside_home=False),
    )
