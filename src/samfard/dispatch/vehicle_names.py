"""Vehicles as a Swedish traffic controller names them on the pages.

The demo fleet codes its vehicles from their depot, type and number
(`fleet.demo_code`: `Krokom-wheelchair-1`, `Östersund-egen-stretcher-1`). The code stays
the vehicle's identity wherever a program reads it (the API's `vehicle_code`, stored plans,
the carriers' files), but English type words in a Swedish page read as a fault, so the
pages say "Krokom rullstolsfordon 1" and "Östersund bårbil 1 (egen regi)". A code of any
other shape (a carrier's own numbering, "Taxi 17") is the carrier's name for the vehicle
and is shown as it is.
"""

from __future__ import annotations

import re

OWN_MARK = "egen"  # in an own-fleet vehicle's code: Östersund-egen-wheelchair-1
# The vehicle types (planning.model.VehicleType) as the pages' type columns say them.
VEHICLE_TYPES_SV = {
    "taxi": "taxi",
    "minibus": "minibuss",
    "wheelchair": "rullstolsfordon",
    "stretcher": "liggande transport",
}
# A vehicle of each type as one names it ("rullstolsfordon 1", "bårbil 1").
KIND_NAMES_SV = {
    "taxi": "taxi",
    "minibus": "minibuss",
    "wheelchair": "rullstolsfordon",
    "stretcher": "bårbil",
}

_DEMO_CODE = re.compile(
    rf"^(?P<depot>.+?)-(?:(?P<own>{OWN_MARK})-)?(?P<kind>{'|'.join(KIND_NAMES_SV)})-(?P<n>\d+)$"
)


def vehicle_name_sv(code: str) -> str:
    """The vehicle's name on a page: a demo code in Swedish words, any other code as it is."""
    found = _DEMO_CODE.match(code)
    if found is None:
        return code
    name = f"{found['depot']} {KIND_NAMES_SV[found['kind']]} {int(found['n'])}"
    return f"{name} (egen regi)" if found["own"] else name
