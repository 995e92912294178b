"""Which of the centre's municipalities an address lies in, by their boundaries.

An address typed at the desk (no gazetteer place, not the home) used to take the
municipality of the nearest place in the gazetteer, which knows only places in the two
regions and a few hospitals beyond: Drottninggatan in Stockholm became Sundsvall (2281),
so riksfärdtjänst there was refused as a trip within one municipality and färdtjänst
priced it as 497 km inside Sundsvall. The test of "within" is now the municipalities'
own boundaries:

- `data/municipalities.geojson` holds the boundaries of the 15 municipalities the centre
  serves (`served: true`) and of the 11 Swedish municipalities that border them, as
  published by SCB (simplified for thematic maps, WGS 84; the file names its source);
- an address inside a served municipality's boundary is in it; inside a neighbour's it
  is outside the two regions;
- an address inside none of them (the sea, a lake, Norway) is in the nearest served
  municipality when it lies within COAST_KM of its boundary, else outside. The
  simplified coast cuts off islands and lake shores: Ulvön, the farthest inhabited island
  of Höga kusten from its simplified coast, lies 6.2 km out; Meråker, the nearest
  Norwegian town, 17 km beyond Åre's boundary.

Within the regions the boundary is the last word only away from towns: near a gazetteer
place (assessment.facts.TOWN_KM) the place's municipality is taken, since the simplified
boundary can pass a kilometre or two from a town's centre. Every place of places.csv in
the regions lies inside its own municipality's boundary, and every demo home resolves to
its own municipality (tests/assessment/test_outside_the_regions.py).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

from samfard.rules.facts import OUTSIDE_REGIONS

COAST_KM = 7.0
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_AT_EQUATOR = 111.32

Ring = tuple[tuple[float, float], ...]  # (lon, lat), closed


@dataclass(frozen=True)
class Boundary:
    """One municipality's boundary (kommungräns): polygons of rings, the first of each
    the outer ring, the rest holes."""

    code: str
    name: str
    served: bool
    polygons: tuple[tuple[Ring, ...], ...]
    box: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    def contains(self, lat: float, lon: float) -> bool:
        west, south, east, north = self.box
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return any(_inside(rings, lat, lon) for rings in self.polygons)

    def distance_km(self, lat: float, lon: float) -> float:
        """Kilometres from the point to the nearest edge, in a plane true at its latitude
        (within a few per cent over the 2-7 km this is asked about)."""
        kx = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat))
        best = math.inf
        for rings in self.polygons:
            for ring in rings:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                    best = min(
                        best,
                        _segment_km(
                            (lon - x1) * kx,
                            (lat - y1) * KM_PER_DEGREE_LAT,
                            (x2 - x1) * kx,
                            (y2 - y1) * KM_PER_DEGREE_LAT,
                        ),
                    )
        return best


def _inside(rings: tuple[Ring, ...], lat: float, lon: float) -> bool:
    """Even-odd rule over the polygon's rings: inside the outer ring and no hole."""
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
    return inside


def _segment_km(px: float, py: float, dx: float, dy: float) -> float:
    """Distance from (px, py) to the segment from the origin to (dx, dy)."""
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, (px * dx + py * dy) / length))
    return math.hypot(px - t * dx, py - t * dy)


def _boundary(feature: dict[str, object]) -> Boundary:
    properties = feature["properties"]
    geometry = feature["geometry"]
    assert isinstance(properties, dict) and isinstance(geometry, dict)
    polygons = tuple(
        tuple(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
        for polygon in geometry["coordinates"]
    )
    lons = [x for polygon in polygons for ring in polygon for x, _ in ring]
    lats = [y for polygon in polygons for ring in polygon for _, y in ring]
    return Boundary(
        code=str(properties["code"]),
        name=str(properties["name"]),
        served=bool(properties["served"]),
        polygons=polygons,
        box=(min(lons), min(lats), max(lons), max(lats)),
    )


@cache
def boundaries() -> tuple[Boundary, ...]:
    """The packaged boundaries, the served municipalities first (read once)."""
    text = resources.files("samfard.data").joinpath("municipalities.geojson").read_text("utf-8")
    found = tuple(_boundary(f) for f in json.loads(text)["features"])
    return tuple(sorted(found, key=lambda b: not b.served))


@cache
def served_codes() -> frozenset[str]:
    """The codes of the municipalities the centre serves."""
    return frozenset(b.code for b in boundaries() if b.served)


def municipality_at(lat: float, lon: float) -> str:
    """The code of the served municipality the point lies in, or OUTSIDE_REGIONS."""
    for boundary in boundaries():
        if boundary.contains(lat, lon):
            return boundary.code if boundary.served else OUTSIDE_REGIONS
    served = [b for b in boundaries() if b.served]
    distance, code = min((b.distance_km(lat, lon), b.code) for b in served)
    return code if distance <= COAST_KM else OUTSIDE_REGIONS
