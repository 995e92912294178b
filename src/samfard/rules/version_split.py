"""A trip whose legs fall under different rulebook versions: each leg is assessed and priced
under the version in force on its own day.

A version applies from its `valid_from`; an outward leg on 30 April and a return on
1 May straddle a change on 1 May, and the return must pay the new fee against the new
ceiling, citing the new version. The engine splits such a trip into parts (consecutive
legs under one version), assesses each part as a trip of its own, carrying what one part
uses up into the next (the fee ceiling's ledger, the yearly quota of trips outside the
area), and joins the decisions into one. A trip under one version is one part and goes
through unchanged.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from samfard.errors import InputError
from samfard.rules.decision import (
    Citation,
    CompanionDecision,
    Decision,
    Effect,
    Outcome,
    Reason,
    RulebookRef,
)
from samfard.rules.facts import AssessmentRequest, Trip
from samfard.rules.loader import Rulebook

# Reasons that name their legs ("leg 1: ...", "leg(s) [0, 1] leave ..."), the convention
# every service module writes and assessment.words_sv reads.
_LEG = re.compile(r"^leg (\d+)")
_LEGS = re.compile(r"^leg\(s\) \[([\d, ]*)\]")
_FIELD = re.compile(r"^legs\[(\d+)\]")
# The färdtjänst reason of a leg on the yearly quota of trips outside the service area
# (fardtjanst's fee for it), and the sjukresa reason that offers accommodation.
_OUTSIDE_AREA_LEG = "fee.outside_area"
_ACCOMMODATION = "accommodation.offered"


@dataclass(frozen=True)
class Part:
    """Consecutive legs of a trip under one rulebook version: `first` is the trip's index of
    its first leg; `request` the part as a trip of its own."""

    first: int
    request: AssessmentRequest


def split(request: AssessmentRequest, book: Rulebook) -> tuple[Part, ...]:
    """The trip's parts, in leg order; one part when every leg falls under one version."""
    trip = request.trip
    groups: list[list[int]] = []
    last: int | None = None
    for i, leg in enumerate(trip.legs):
        index, _ = book.version_on(leg.local_day)
        if index != last:
            groups.append([])
            last = index
        groups[-1].append(i)
    if len(groups) == 1:
        return (Part(0, request),)
    return tuple(
        Part(group[0], dataclasses.replace(request, trip=_part_trip(trip, group, n, len(groups))))
        for n, group in enumerate(groups)
    )


def _part_trip(trip: Trip, legs: list[int], n: int, parts: int) -> Trip:
    """The legs `legs` as a trip. The time the cheapest mode leaves home belongs to the
    first part, the time it is home again to the last; a public-transport check goes with
    its legs."""
    checked = trip.public_transport
    if checked is not None:
        if len(checked) == len(trip.legs):
            checked = tuple(checked[i] for i in legs)
        else:
            directions = {trip.legs[i].direction for i in legs}
            checked = tuple(leg for leg in checked if leg.direction in directions)
    return dataclasses.replace(
        trip,
        legs=tuple(trip.legs[i] for i in legs),
        public_transport=checked,
        public_transport_departure=trip.public_transport_departure if n == 0 else None,
        public_transport_return=trip.public_transport_return if n == parts - 1 else None,
    )


def carry(part: Part, before: Decision) -> Part:
    """The part with what the parts before it used up: the fee ceiling's ledger after them
    and the trips outside the service area they took from the yearly quota."""
    traveller = part.request.traveller
    used = sum(1 for reason in before.reasons if reason.code == _OUTSIDE_AREA_LEG)
    traveller = dataclasses.replace(
        traveller,
        ledger=before.ledger_after if before.ledger_after is not None else traveller.ledger,
        outside_area_trips_this_year=traveller.outside_area_trips_this_year + used,
    )
    return dataclasses.replace(part, request=dataclasses.replace(part.request, traveller=traveller))


def renumbered(error: InputError, first: int) -> InputError:
    """An error a part raised, naming the leg by its index in the whole trip."""
    if not first:
        return error
    message = _LEG.sub(lambda m: f"leg {int(m.group(1)) + first}", error.message)
    field = error.field
    if field is not None:
        field = _FIELD.sub(lambda m: f"legs[{int(m.group(1)) + first}]", field)
    return type(error)(message, field=field)


def _text(text: str, first: int) -> str:
    if not first:
        return text
    text = _LEG.sub(lambda m: f"leg {int(m.group(1)) + first}", text)
    return _LEGS.sub(
        lambda m: (
            "leg(s) [" + ", ".join(str(int(i) + first) for i in m.group(1).split(", ") if i) + "]"
        ),
        text,
    )


def joined_request(request: AssessmentRequest, parts: Sequence[Part]) -> AssessmentRequest:
    """The whole trip with the facts the engine added to each part (fares, the public-
    transport check): what the decision answers, and what its input hash covers."""
    trips = [part.request.trip for part in parts]
    checks = [t.public_transport for t in trips]
    trip = dataclasses.replace(
        request.trip,
        legs=tuple(leg for t in trips for leg in t.legs),
        public_transport=None
        if all(c is None for c in checks)
        else tuple(leg for c in checks for leg in c or ()),
        public_transport_departure=trips[0].public_transport_departure,
        public_transport_return=trips[-1].public_transport_return,
    )
    return dataclasses.replace(request, trip=trip)


def join(
    request: AssessmentRequest, book: Rulebook, parts: Sequence[tuple[Part, Decision]]
) -> Decision:
    """One decision for the whole trip from its parts' decisions.

    Refused if any part is refused (then no leg is priced and the ledger is as before),
    else to an assessor if any part needs one. Each leg keeps the fee, mode and reasons of
    its own version; the trip's mode is the first part's, and parts that chose differently
    go to an assessor. The tolerance is the first part's (the planner has one per trip).
    """
    decisions = [decision for _, decision in parts]
    first = decisions[0]
    reasons = [
        dataclasses.replace(reason, text=_text(reason.text, part.first))
        for part, decision in parts
        for reason in decision.reasons
    ]
    for part, decision in parts[1:]:
        if decision.chosen_mode is not None and decision.chosen_mode != first.chosen_mode:
            reasons.append(_modes_differ(part, decision, first, book))
    effects = {reason.effect for reason in reasons}
    outcome = (
        Outcome.REFUSED
        if Effect.REFUSE in effects
        else Outcome.NEEDS_ASSESSOR
        if Effect.NEEDS_ASSESSOR in effects
        else Outcome.AUTOMATIC
    )
    refused = outcome is Outcome.REFUSED
    if refused:  # accommodation comes with a paid trip (sjukresa.assess)
        reasons = [r for r in reasons if r.code != _ACCOMMODATION]
    legs = tuple(
        dataclasses.replace(fee, leg_index=fee.leg_index + part.first)
        for part, decision in parts
        for fee in decision.legs
    )
    tracks_ledger = any(d.ledger_after is not None for d in decisions)
    refs: list[RulebookRef] = []
    for decision in decisions:
        refs.extend(ref for ref in decision.rulebooks if ref not in refs)
    return dataclasses.replace(
        first,
        outcome=outcome,
        allowed_modes=tuple(
            m for m in first.allowed_modes if all(m in d.allowed_modes for d in decisions)
        ),
        legs=() if refused else legs,
        companions=_companions(decisions),
        accommodation_offered=not refused and any(d.accommodation_offered for d in decisions),
        cost_object=next((d.cost_object for d in decisions if d.cost_object), None),
        reasons=tuple(reasons),
        rulebooks=tuple(refs),
        ceiling=decisions[-1].ceiling,
        ledger_after=(request.traveller.ledger if refused else decisions[-1].ledger_after)
        if tracks_ledger
        else None,
        conditions=tuple(sorted({c for d in decisions for c in d.conditions})),
    )


def _companions(decisions: Sequence[Decision]) -> tuple[CompanionDecision, ...]:
    """Each companion allowed if every part allows them, with the fees of every leg."""
    first = decisions[0].companions
    return tuple(
        dataclasses.replace(
            companion,
            allowed=all(d.companions[i].allowed for d in decisions if i < len(d.companions)),
            fee_ore_per_leg=tuple(
                fee
                for d in decisions
                if i < len(d.companions)
                for fee in d.companions[i].fee_ore_per_leg
            ),
        )
        for i, companion in enumerate(first)
    )


def _modes_differ(part: Part, decision: Decision, first: Decision, book: Rulebook) -> Reason:
    """The later version chooses another mode for its legs than the first part did."""
    index, version = book.version_on(part.request.trip.day)
    modes = f"versions[{index}].modes"  # the path a Draft cites as "modes"
    chosen = decision.chosen_mode.value if decision.chosen_mode else "-"
    before = first.chosen_mode.value if first.chosen_mode else "-"
    return Reason(
        code="authorisation.needs_decision",
        text=f"leg {part.first}: the version from {version.valid_from} chooses {chosen} for "
        f"this leg and the legs after it, the earlier legs {before}; an assessor decides",
        effect=Effect.NEEDS_ASSESSOR,
        citation=Citation(
            file=book.file,
            key=modes,
            valid_from=version.valid_from,
            source=version.source,
        ),
    )
