"""Codes of other parts as the dispatch pages say them in Swedish.

A manifest or a driver's stop lists the traveller's needs (booking.schemas.Need) and
mobility aids (travellers' register) by code; a page must not show "wheelchair" or
"front_seat" to a Swedish driver or controller.
"""

from __future__ import annotations

AIDS_SV = {
    "wheelchair": "rullstol",
    "stretcher": "bår (liggande)",
    "front_seat": "framsäte",
    "ride_alone": "ensamåkning",
    "rollator": "rollator",
    "guide_dog": "ledarhund",
    "oxygen": "syrgas",
}
