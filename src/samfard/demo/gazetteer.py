"""The packaged places.csv as plain data, for pure code (demo generator, benchmarks)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class PlaceRow:
    key: str
    name: str
    kind: str
    municipality_code: str
    municipality: str
    lat: float
    lon: float
    population: int

    @property
    def county_code(self) -> str:
        return self.municipality_code[:2]


@lru_cache(maxsize=1)
def packaged_places() -> tuple[PlaceRow, ...]:
    text = resources.files("samfard.data").joinpath("places.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple(
        PlaceRow(
            key=row["key"],
            name=row["name"],
            kind=row["kind"],
            municipality_code=row["municipality_code"],
            municipality=row["municipality"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=int(row["population"] or 0),
        )
        for row in rows
    )
