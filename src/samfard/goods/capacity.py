"""How much goods each type of vehicle carries beside its passengers, in goods units.

A goods unit (kolli) is one parcel of up to 20 kg and about 60 x 40 x 40 cm, the size a
regional bussgods price list charges as one; an aid such as a folded wheelchair or a
rollator takes 2 to 4 units. The space is what is left with every seat taken: a taxi's
boot holds two units, a wheelchair vehicle's floor behind the lift four, a minibus's rear
six; a stretcher vehicle has room for one unit beside the stretcher. Given by type, as the
vehicle table keeps seats per vehicle but the goods space follows the body.
"""

from __future__ import annotations

GOODS_UNITS: dict[str, int] = {"taxi": 2, "minibus": 6, "wheelchair": 4, "stretcher": 1}


def goods_units(vehicle_type: str) -> int:
    """The goods space of a vehicle type (none for a type not listed)."""
    return GOODS_UNITS.get(vehicle_type, 0)
