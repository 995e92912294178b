"""The demo GTFS feed, made from the gazetteer and the lines of `demo_lines`.

Deterministic: the same places and lines give the same feed, byte for byte, so it is made
when first needed instead of being stored (`samfard gtfs demo -o FILE` writes it out).
Running times come from straight-line distance times a road factor at a bus's speed,
with time at every stop; times are whole minutes, as
timetables print them. The calendar runs weekdays, Saturdays and Sundays from 2024 to
2031, so the demo works on whatever day it is started.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

from samfard.geo.distance import km_between
from samfard.geo.gtfs.demo_lines import AGENCIES, LINES, Line, Service
from samfard.geo.gtfs.feed import Tables
from samfard.geo.gtfs.times import format_time
from samfard.geo.places import packaged_rows

STOP_SPACING_M = 450.0
EDGE_STOP_M = 800.0  # a regional bus also stops where the road enters a larger village
EDGE_STOP_POPULATION = 1000
TOWN_KMH = 24.0
BUS_KMH = 72.0  # a country bus between villages, a little slower than a car
BUS_ROAD_FACTOR = 1.3
TRAIN_KMH = 100.0
DWELL_S = {"town": 20, "bus": 45, "train": 120}
SERVICE_IDS = ("vardag", "lordag", "sondag")
CALENDAR = ("20240101", "20311231")
STOP_WORDS = (
    "Storgatan", "Kyrkgatan", "Skolvägen", "Parkvägen", "Rådhusgatan", "Björkvägen",
    "Tallvägen", "Granvägen", "Hantverkargatan", "Ängsvägen", "Bäckvägen", "Sjövägen",
    "Bergsgatan", "Industrivägen", "Idrottsvägen", "Lärkvägen", "Norra vägen", "Södra vägen",
    "Kullen", "Torget", "Backen", "Gärdet", "Hagen", "Udden",
)  # fmt: skip


@dataclass(frozen=True)
class _Stop:
    stop_id: str
    name: str
    lat: float
    lon: float


def demo_tables() -> Tables:
    """Every table of the demo feed, as rows of strings."""
    places = {row["key"]: row for row in packaged_rows()}
    stops: dict[str, _Stop] = {}
    routes: list[dict[str, str]] = []
    trips: list[dict[str, str]] = []
    stop_times: list[dict[str, str]] = []
    words: dict[str, int] = {}
    for line in LINES:
        sequence = _stops_of(line, places, words)
        for stop in sequence:
            stops.setdefault(stop.stop_id, stop)
        route_id = f"{line.agency}-{line.short_name}"
        routes.append(
            {
                "route_id": route_id,
                "agency_id": line.agency,
                "route_short_name": line.short_name,
                "route_long_name": line.long_name,
                "route_type": str(line.route_type),
            }
        )
        for direction, ordered in ((0, sequence), (1, sequence[::-1])):
            offsets = _running_times(line, ordered)
            headsign = ordered[-1].name
            for service_id, service in zip(
                SERVICE_IDS, (line.weekday, line.saturday, line.sunday), strict=True
            ):
                for start in _departures(service):
                    trip_id = f"{route_id}-{direction}-{service_id}-{start // 60:04d}"
                    trips.append(
                        {
                            "route_id": route_id,
                            "service_id": service_id,
                            "trip_id": trip_id,
                            "trip_headsign": headsign,
                            "direction_id": str(direction),
                        }
                    )
                    for seq, (stop, (arrive, leave)) in enumerate(
                        zip(ordered, offsets, strict=True), start=1
                    ):
                        stop_times.append(
                            {
                                "trip_id": trip_id,
                                "arrival_time": format_time(start + arrive),
                                "departure_time": format_time(start + leave),
                                "stop_id": stop.stop_id,
                                "stop_sequence": str(seq),
                            }
                        )
    return {
        "agency.txt": [
            {
                "agency_id": key,
                "agency_name": name,
                "agency_url": "https://example.org/samfard-demo",
                "agency_timezone": "Europe/Stockholm",
                "agency_lang": "sv",
            }
            for key, name in AGENCIES.items()
        ],
        "stops.txt": [
            {
                "stop_id": s.stop_id,
                "stop_name": s.name,
                "stop_lat": f"{s.lat:.5f}",
                "stop_lon": f"{s.lon:.5f}",
            }
            for s in sorted(stops.values(), key=lambda s: s.stop_id)
        ],
        "routes.txt": routes,
        "trips.txt": trips,
        "stop_times.txt": stop_times,
        "calendar.txt": [
            {
                "service_id": service_id,
                **{day: "1" if flag else "0" for day, flag in zip(_WEEKDAYS, flags, strict=True)},
                "start_date": CALENDAR[0],
                "end_date": CALENDAR[1],
            }
            for service_id, flags in zip(SERVICE_IDS, _PATTERNS, strict=True)
        ],
        "feed_info.txt": [
            {
                "feed_publisher_name": "Samfard (syntetisk demodata)",
                "feed_publisher_url": "https://example.org/samfard-demo",
                "feed_lang": "sv",
                "feed_version": "demo-1",
            }
        ],
    }


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PATTERNS = (
    (True, True, True, True, True, False, False),
    (False, False, False, False, False, True, False),
    (False, False, False, False, False, False, True),
)


def _place_stop(key: str, place: dict[str, str], *, train: bool) -> _Stop:
    name = place["name"]
    if place["kind"] == "locality":
        big = int(place["population"] or 0) >= 8000
        name = f"{name} station" if train else f"{name} {'resecentrum' if big else 'centrum'}"
    suffix = "-station" if train else ""
    return _Stop(f"{key}{suffix}", name, float(place["lat"]), float(place["lon"]))


def _stops_of(line: Line, places: dict[str, dict[str, str]], words: dict[str, int]) -> list[_Stop]:
    """The stops a line calls at, in order, from its waypoints."""
    train = line.route_type == 2
    ends = line.long_name.split(" – ")
    points: list[_Stop] = []
    for i, waypoint in enumerate(line.waypoints):
        if isinstance(waypoint, str):
            points.append(_place_stop(waypoint, places[waypoint], train=train))
        else:
            name = ends[0] if i == 0 else ends[-1] if i == len(line.waypoints) - 1 else "Mitt"
            town = _town(line, places)
            stop_id = f"{town.lower()}-{name.lower().replace(' ', '-')}"
            points.append(_Stop(stop_id, f"{town} {name}", waypoint[0], waypoint[1]))
    if line.town:
        return _along(points, _town(line, places), words)
    if train:
        return points
    return _with_edge_stops(line, points, places)


def _town(line: Line, places: dict[str, dict[str, str]]) -> str:
    for waypoint in line.waypoints:
        if isinstance(waypoint, str) and places[waypoint]["kind"] == "locality":
            return places[waypoint]["municipality"]
    return "Linje"  # pragma: no cover - every town line names its centre


def _along(points: list[_Stop], town: str, words: dict[str, int]) -> list[_Stop]:
    """A town line: its waypoints and a stop about every STOP_SPACING_M between them."""
    result = [points[0]]
    for a, b in zip(points, points[1:], strict=False):
        metres = km_between(a.lat, a.lon, b.lat, b.lon) * 1000
        between = max(0, math.ceil(metres / STOP_SPACING_M) - 1)
        for k in range(1, between + 1):
            f = k / (between + 1)
            n = words.get(town, 0)
            words[town] = n + 1
            word = STOP_WORDS[n % len(STOP_WORDS)]
            round_no = n // len(STOP_WORDS)
            name = f"{town} {word}" + (f" {round_no + 1}" if round_no else "")
            result.append(
                _Stop(
                    f"{town.lower()}-{n:03d}",
                    name,
                    round(a.lat + (b.lat - a.lat) * f, 5),
                    round(a.lon + (b.lon - a.lon) * f, 5),
                )
            )
        result.append(b)
    return result


def _with_edge_stops(
    line: Line, points: list[_Stop], places: dict[str, dict[str, str]]
) -> list[_Stop]:
    """A regional bus: in a larger village it also stops where the road comes in and goes
    out, so more homes are within a walk of the line."""
    result: list[_Stop] = []
    keys = [w for w in line.waypoints if isinstance(w, str)]
    for i, (key, stop) in enumerate(zip(keys, points, strict=True)):
        place = places[key]
        big = place["kind"] == "locality" and int(place["population"] or 0) >= EDGE_STOP_POPULATION
        if big and i > 0:
            result.append(_edge(stop, points[i - 1], places[keys[i - 1]]))
        result.append(stop)
        if big and i < len(points) - 1:
            result.append(_edge(stop, points[i + 1], places[keys[i + 1]]))
    return result


def _edge(centre: _Stop, toward: _Stop, other: dict[str, str]) -> _Stop:
    metres = km_between(centre.lat, centre.lon, toward.lat, toward.lon) * 1000
    f = min(0.5, EDGE_STOP_M / max(metres, 1.0))
    place = centre.name.rsplit(" ", 1)[0]
    road = f"{other['name']}vägen" if other["kind"] == "locality" else f"mot {other['name']}"
    return _Stop(
        f"{centre.stop_id}-mot-{other['key']}",
        f"{place} {road}",
        round(centre.lat + (toward.lat - centre.lat) * f, 5),
        round(centre.lon + (toward.lon - centre.lon) * f, 5),
    )


def _running_times(line: Line, ordered: list[_Stop]) -> list[tuple[int, int]]:
    """(arrival, departure) offsets from the first departure, in whole minutes' seconds."""
    kind = "train" if line.route_type == 2 else "town" if line.town else "bus"
    clock = 0.0
    offsets = [(0, 0)]
    for a, b in zip(ordered, ordered[1:], strict=False):
        straight = km_between(a.lat, a.lon, b.lat, b.lon) * 1000
        if kind == "train":
            seconds = straight * 1.2 / (TRAIN_KMH / 3.6)
        elif kind == "town":
            seconds = straight * 1.3 / (TOWN_KMH / 3.6)
        else:  # a country bus: slow through the village, then at road speed
            road = straight * BUS_ROAD_FACTOR
            seconds = road / ((30.0 if road < 2000 else BUS_KMH) / 3.6)
        clock += max(60.0, seconds)
        arrive = round(clock / 60) * 60
        clock += DWELL_S[kind]
        leave = max(arrive, round(clock / 60) * 60) if b is not ordered[-1] else arrive
        offsets.append((arrive, leave))
    return offsets


def _departures(service: Service) -> list[int]:
    if service is None:
        return []
    first, last, every = service
    start, end = _seconds(first), _seconds(last)
    return list(range(start, end + 1, every * 60))


def _seconds(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


def write_feed(tables: Tables, path: Path) -> None:
    """Write tables as a GTFS zip (path ending .zip) or a folder of .txt files; the zip's
    entries carry a fixed date so the same tables give the same bytes."""
    files = {name: _csv(rows) for name, rows in tables.items()}
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in sorted(files.items()):
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                archive.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED)
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()
