"""The packaged timetable (data/lines.toml) as raw rows and as plain timetable data.

`lines.service.load_lines` stores the rows; pure code (the demo generator) reads the
timetable straight from the file, with departure ids counted per line in file order.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import time
from importlib import resources
from typing import Any

from samfard.lines.timetable import TimetableDeparture, TimetableLine, TimetableStop


def packaged_data() -> dict[str, Any]:
    text = resources.files("samfard.data").joinpath("lines.toml").read_text("utf-8")
    return tomllib.loads(text)


def packaged_lines() -> list[dict[str, Any]]:
    """The lines of the packaged lines.toml."""
    lines: list[dict[str, Any]] = packaged_data()["lines"]
    return lines


def packaged_timetables(
    places: Mapping[str, tuple[str, float, float]],
) -> tuple[TimetableLine, ...]:
    """The packaged lines; `places` gives each stop key's name, latitude and longitude."""
    return tuple(
        TimetableLine(
            code=raw["code"],
            name=raw["name"],
            principal=raw["principal"],
            deadline_min=int(raw["deadline_min"]),
            vehicle_mode=raw["vehicle_mode"],
            seats=int(raw["seats"]),
            wheelchair_places=int(raw.get("wheelchair_places", 0)),
            stops=tuple(
                TimetableStop(s["place"], *places[s["place"]], minutes=int(s["minutes"]))
                for s in raw["stops"]
            ),
            departures=tuple(
                TimetableDeparture(
                    id=n + 1,
                    direction=int(d["direction"]),
                    departs=time.fromisoformat(d["departs"]),
                    weekdays=tuple(int(w) for w in d["weekdays"]),
                )
                for n, d in enumerate(raw["departures"])
            ),
        )
        for raw in packaged_lines()
    )
