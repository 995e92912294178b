"""Codes of other parts as the dispatch pages say them in Swedish.

A manifest or a driver's stop lists the traveller's needs (booking.schemas.Need) and
mobility aids (travellers' register) by code; a page must not show "wheelchair" or
"front_seat" to a Swedish driver or controller. Nor may an alert carry the verifier's
English findings: the controller reads what kind of fault it found, the log the details.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from samfard.planning.verifier import Violation, ViolationKind

AIDS_SV = {
    "wheelchair": "rullstol",
    "stretcher": "bår (liggande)",
    "front_seat": "framsäte",
    "ride_alone": "ensamåkning",
    "rollator": "rollator",
    "guide_dog": "ledarhund",
    "oxygen": "syrgas",
}

# What last changed a plan version in place (dispatch.models.PlanChange), as /trafik says it.
PLAN_CHANGES_SV = {
    "move": "en resa flyttad för hand",
    "booking": "en ny resa inlagd",
    "goods": "gods inlagt",
    "rest_of_day": "resten av dagen omplanerad",
}

VIOLATIONS_SV = {
    ViolationKind.UNKNOWN_VEHICLE: "okänt fordon",
    ViolationKind.VEHICLE_REUSED: "fordon med två körningar",
    ViolationKind.UNKNOWN_REQUEST: "okänd resa",
    ViolationKind.NOT_ACCOUNTED: "resa som saknas i planen",
    ViolationKind.NO_REASON: "oplanerad resa utan skäl",
    ViolationKind.SERVED_TWICE: "resa planerad två gånger",
    ViolationKind.ROUTE_SHAPE: "körning i fel form",
    ViolationKind.WRONG_LOCATION: "stopp på fel plats",
    ViolationKind.PAIRING: "hämtning och lämning som inte hör ihop",
    ViolationKind.TIME_WINDOW: "tidsfönster som missas",
    ViolationKind.PROMISE: "utlovad tid som bryts",
    ViolationKind.TRAVEL_TIME: "för kort körtid mellan stopp",
    ViolationKind.CAPACITY: "fler resenärer än platser",
    ViolationKind.MAX_RIDE: "för lång restid",
    ViolationKind.SHIFT: "körning utanför passet",
    ViolationKind.ROUTE_DURATION: "för lång körning",
    ViolationKind.COMPATIBILITY: "fel fordonstyp för resan",
    ViolationKind.RIDE_ALONE: "ensamåkning som bryts",
    ViolationKind.FRONT_SEAT: "framsäte som saknas",
    ViolationKind.VEHICLE_COUNT: "för många fordon",
    ViolationKind.COST: "kostnad som inte stämmer",
}


def findings_sv(violations: Iterable[Violation]) -> str:
    """The verifier's findings counted by kind, in Swedish ("2 utlovad tid som bryts,
    1 fler resenärer än platser"), most first."""
    counted = Counter(v.kind for v in violations)
    return ", ".join(f"{n} {VIOLATIONS_SV.get(k, k)}" for k, n in counted.most_common())
