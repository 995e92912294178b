"""Why a trip is left out of a plan, in the planner's words and in Swedish.

The planner and the live day store a reason with each unserved leg, an English sentence
for the log and the API (`plan.unserved[].reason`). The pages (/trafik, the booking desk's
receipt) say it in Swedish only: a controller should not have to read the planner's
English, and its sentences carry clock times and drive times that would tell how far a
protected traveller lives from the place typed (docs/security.md). So the Swedish words
name what to do, never a time or a distance.

The reasons dispatch writes itself are defined here, and the producers use these names;
the planner's own (`planning.engine`, `planning.fleet_bound`, `planning.insertion`,
OR-Tools' clock check) are matched by their words. `tests/dispatch/test_unplanned_reasons.py`
makes every reason of every producer and checks that each has its own Swedish text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from samfard.dispatch.leg_order import EARLIER_LEG_LATE
from samfard.dispatch.vehicle_names import VEHICLE_TYPES_SV
from samfard.planning.engine import NO_VEHICLE, NOT_INSERTED
from samfard.planning.fleet_bound import read_reason

# Reasons dispatch writes (problem_builder, day_from_now, live, live_goods, replan_save, store,
# moves).
NO_ROOM_IN_FLEET = "no vehicle in the fleet can carry load"
NO_ROOM_FOR_GOODS = "no vehicle in the fleet has room for"
NO_RUN_FOR_EVERY_LEG = "no run can take every leg in the rest of the day"
NO_RUN_FOR_GOODS = "no run can take the goods in the rest of the day"
NO_VEHICLE_REST_OF_DAY = "no vehicle can take the trip in the rest of the day"
NOT_IN_STORED_PLAN = "not in the stored plan"
PICKUP_WINDOW_PASSED = "pickup window closed before the day was planned"

# What the page says when a reason is none of those below (a refusal's own message).
UNKNOWN_SV = "Resan kunde inte planeras; flytta den till en körning eller planera om dagen."

_NO_TYPE = re.compile(r"^no vehicle of type (?P<kinds>\S+)$")

# (the planner's words, what the page says); the first whose words are in the reason wins.
REASONS_SV: tuple[tuple[str, str], ...] = (
    (NOT_INSERTED, "Planeraren hann inte placera resan; planera om dagen eller flytta den."),
    (NO_VEHICLE, "Inget fordon finns att planera med den dagen; lägg in fordon och planera om."),
    (
        "load larger than every vehicle of an allowed type",
        "Resan behöver fler platser (säten, rullstol eller bår) än något fordon av rätt typ har.",
    ),
    (
        "shorter than the direct trip",
        "Den längsta tillåtna restiden är kortare än den direkta resan; ändra resans villkor.",
    ),
    (
        "window unreachable from depot within shift",
        "Inget fordon hinner dit och tillbaka inom sitt arbetspass.",
    ),
    (
        "holds no time on OR-Tools' clock",
        "Resans tidsfönster ligger utanför fordonens arbetspass; ändra resans tid.",
    ),
    (NO_ROOM_IN_FLEET, "Inget fordon i flottan har platser för resan (säten, rullstol eller bår)."),
    (NO_ROOM_FOR_GOODS, "Inget fordon i flottan har plats för godset."),
    (
        "cannot be planned",
        "Resan ryms inte i någon körning utan att bryta tider eller löften.",
    ),
    (
        EARLIER_LEG_LATE,
        "Resenären hinner inte fram med sin förra resa innan den här ska hämtas; "
        "kom överens om en senare tid.",
    ),
    (
        NO_RUN_FOR_EVERY_LEG,
        "Ingen körning kan ta alla resans delar under resten av dagen; flytta resan till en "
        "körning eller boka ett fordon till.",
    ),
    (NO_RUN_FOR_GOODS, "Ingen körning kan ta godset under resten av dagen."),
    (
        NO_VEHICLE_REST_OF_DAY,
        "Inget fordon kan ta resan under resten av dagen; flytta den till en körning eller "
        "boka ett fordon till.",
    ),
    (NOT_IN_STORED_PLAN, "Resan finns inte i den sparade planen; planera om dagen."),
    (
        PICKUP_WINDOW_PASSED,
        "Resans hämttid hade redan passerat när dagen planerades; boka om resan till en "
        "senare tid.",
    ),
)


def reason_sv(reason: str, vehicle_names: Mapping[str, str] | None = None) -> str:
    """The planner's reason in Swedish; a proven shortfall names its vehicles
    (`vehicle_names`, by the planner's vehicle id) and says how many of the trips fit."""
    for read in _READERS:
        said = read(reason, vehicle_names or {})
        if said is not None:
            return said
    return next((sv for words, sv in REASONS_SV if words in reason), UNKNOWN_SV)


def _fleet_short(reason: str, names: Mapping[str, str]) -> str | None:
    short = read_reason(reason)
    if short is None:
        return None
    vehicles = ", ".join(names.get(v, v) for v in short.vehicle_ids)
    return (
        f"Fordonen som kan ta resan ({vehicles}) hinner högst {short.at_most} av dagens "
        f"{short.trips} sådana resor (bevisat); boka ett fordon till eller flytta en resa."
    )


def _no_type(reason: str, names: Mapping[str, str]) -> str | None:
    found = _NO_TYPE.match(reason)
    if found is None:
        return None
    kinds = [VEHICLE_TYPES_SV.get(kind, kind) for kind in found["kinds"].split("/")]
    return (
        f"Inget fordon av typen {' eller '.join(kinds)} finns den dagen; boka ett sådant "
        "fordon eller ändra resans fordonstyp."
    )


# Reasons that carry words of their own to say (vehicles, vehicle types).
_READERS: tuple[Callable[[str, Mapping[str, str]], str | None], ...] = (_fleet_short, _no_type)
