"""The demo fleet: vehicles of both regions stationed in the larger towns.

Sized for a demo day of about 600 trips (samfard.demo.generator): a taxi does some ten
passenger trips in a shift with sharing, so about 60 taxis, a third as many wheelchair
vehicles and a stretcher vehicle near each hospital. A vehicle's shift is its operating
day (two drivers): early enough for dialysis patients from the mountains, late enough
for evening färdtjänst. These belong to the procured carriers. Region Jämtland
Härjedalen also runs its own wheelchair and stretcher vehicles in Östersund (egen regi,
one driver on a 07-16 shift), so the plan and the reports weigh own vehicles against
procured ones. Depots are looked up by name in the gazetteer so their coordinates have
one source (places.csv). The planner prices every vehicle by its carrier's contract
(dispatch.tariffs); the per-vehicle costs stored here apply only without a contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.costs.carriers import ensure_carrier
from samfard.costs.models import Carrier
from samfard.dispatch.models import Vehicle
from samfard.dispatch.vehicle_names import OWN_MARK
from samfard.errors import InputError
from samfard.geo.models import Place, PlaceKind


@dataclass(frozen=True, slots=True)
class VehicleKind:
    """A vehicle type's places and costs (öre), the same for every carrier in the demo."""

    type: str
    seats: int
    wheelchair: int
    stretcher: int
    per_km_ore: int
    per_hour_ore: int
    fixed_ore: int
    shift: tuple[time, time]


KINDS = {
    "taxi": VehicleKind("taxi", 4, 0, 0, 1_200, 42_000, 15_000, (time(5), time(23, 30))),
    "wheelchair": VehicleKind("wheelchair", 4, 2, 0, 1_600, 52_000, 25_000, (time(5), time(23))),
    "stretcher": VehicleKind("stretcher", 1, 0, 1, 2_200, 65_000, 40_000, (time(6), time(22))),
}

# (depot town, county, taxis, wheelchair vehicles, stretcher vehicles)
DEPOTS: tuple[tuple[str, str, int, int, int], ...] = (
    ("Östersund", "23", 12, 4, 1),
    ("Strömsund", "23", 3, 1, 0),
    ("Krokom", "23", 2, 1, 0),
    ("Järpen", "23", 2, 1, 0),
    ("Sveg", "23", 2, 1, 1),
    ("Bräcke", "23", 1, 1, 0),
    ("Hammarstrand", "23", 1, 1, 0),
    ("Svenstavik", "23", 1, 0, 0),
    ("Funäsdalen", "23", 1, 0, 0),
    ("Sundsvall", "22", 12, 4, 1),
    ("Örnsköldsvik", "22", 6, 2, 1),
    ("Härnösand", "22", 4, 1, 0),
    ("Sollefteå", "22", 3, 1, 1),
    ("Kramfors", "22", 3, 1, 0),
    ("Timrå", "22", 2, 1, 0),
    ("Ånge", "22", 2, 1, 0),
)


@dataclass(frozen=True, slots=True)
class DemoCarrier:
    """A carrier as the demo's contract files (samfard/data/contracts) name it."""

    name: str
    org_number: str
    own_fleet: bool = False


CARRIERS = {
    "23": DemoCarrier("Demo Taxi Jämtland Härjedalen", "556900-0231"),
    "22": DemoCarrier("Demo Taxi Västernorrland", "556900-0422"),
}
# Region Jämtland Härjedalen's own fleet (egen regi): one driver a vehicle on a day shift,
# paid for the whole shift, so the reports can weigh own vehicles against procured ones.
OWN_FLEET = DemoCarrier("Region Jämtland Härjedalen egen regi", "232100-0214", own_fleet=True)
OWN_SHIFT = (time(7), time(16))
# (depot town, county, wheelchair vehicles, stretcher vehicles) of the own fleet
OWN_DEPOTS: tuple[tuple[str, str, int, int], ...] = (("Östersund", "23", 2, 1),)


def demo_code(town: str, kind: str, n: int, *, own_fleet: bool = False) -> str:
    """A demo vehicle's code: `Krokom-wheelchair-1`, `Östersund-egen-stretcher-1`. The
    code is the vehicle's identity in the API and the stored plans; the pages name it in
    Swedish from these parts (dispatch/vehicle_names.py reads them back)."""
    return f"{town}-{OWN_MARK}-{kind}-{n}" if own_fleet else f"{town}-{kind}-{n}"


def load_demo_fleet(session: Session, *, scale: float = 1.0) -> int:
    """Add the demo fleet unless vehicles exist; `scale` shrinks it for small demo days.

    Each depot keeps round(count * scale) vehicles of each type, and at least one taxi, so
    every part of both regions stays reachable. Returns the number of vehicles added.
    """
    if not 0 < scale <= 10:
        raise InputError(f"fleet scale must be in (0, 10], got {scale}", field="scale")
    if session.scalar(select(func.count(Vehicle.id))):
        return 0
    towns = {town for town, *_ in DEPOTS} | {town for town, *_ in OWN_DEPOTS}
    places = {town: _depot(session, town) for town in sorted(towns)}
    # Vehicles carry the id of the carrier's row in the register, which the contracts
    # share, so a carrier's accounts see its runs and its deviations under one number.
    carriers = {
        c: ensure_carrier(session, name=c.name, org_number=c.org_number, own_fleet=c.own_fleet)
        for c in (*CARRIERS.values(), OWN_FLEET)
    }
    added = 0
    for town, county, *counts in DEPOTS:
        for kind_name, count in zip(KINDS, counts, strict=True):
            wanted = round(count * scale)
            if kind_name == "taxi":
                wanted = max(1, wanted)
            for n in range(1, wanted + 1):
                session.add(
                    _vehicle(
                        demo_code(town, kind_name, n),
                        carriers[CARRIERS[county]],
                        county,
                        KINDS[kind_name],
                        places[town],
                        KINDS[kind_name].shift,
                    )
                )
                added += 1
    for town, county, *counts in OWN_DEPOTS:
        for kind_name, count in zip(("wheelchair", "stretcher"), counts, strict=True):
            # The own fleet is rostered whatever the day's volume: never scaled away.
            for n in range(1, max(1, round(count * scale)) + 1):
                session.add(
                    _vehicle(
                        demo_code(town, kind_name, n, own_fleet=True),
                        carriers[OWN_FLEET],
                        county,
                        KINDS[kind_name],
                        places[town],
                        OWN_SHIFT,
                    )
                )
                added += 1
    session.flush()
    return added


def _depot(session: Session, town: str) -> Place:
    place = session.scalar(
        select(Place).where(Place.name == town, Place.kind == PlaceKind.LOCALITY.value)
    )
    if place is None:
        raise InputError(
            f"depot town {town} is not in the gazetteer: load places first "
            "(`samfard db upgrade` then `samfard demo-data`)",
            field="places",
        )
    return place


def _vehicle(
    code: str,
    carrier: Carrier,
    county: str,
    kind: VehicleKind,
    place: Place,
    shift: tuple[time, time],
) -> Vehicle:
    return Vehicle(
        code=code,
        carrier_name=carrier.name,
        carrier_id=carrier.id,
        county_code=county,
        vehicle_type=kind.type,
        seats=kind.seats,
        wheelchair_places=kind.wheelchair,
        stretcher_places=kind.stretcher,
        depot_name=place.name,
        depot_lat=place.lat,
        depot_lon=place.lon,
        shift_start=shift[0],
        shift_end=shift[1],
        cost_per_km_ore=kind.per_km_ore,
        cost_per_hour_ore=kind.per_hour_ore,
        fixed_cost_ore=kind.fixed_ore,
        active=True,
    )
