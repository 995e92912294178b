"""Reading a GTFS feed (a zip or a folder of .txt files) into typed, immutable rows.

GTFS is plain CSV, so the standard csv module reads it: no pandas stack for a few tables
(gtfs-kit and partridge both pull in pandas; see docs/public-transport.md). `read_tables`
gives the raw rows, which `validate.problems` checks; `Feed.from_tables` turns checked
rows into typed ones, with the trips of frequencies.txt laid out as the runs they stand
for (`frequencies.expand`). Only the files and fields the journey planner uses are typed;
the rest of a real feed (shapes, fares...) is kept out, not refused.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from samfard.errors import InputError
from samfard.geo.gtfs.frequencies import expand
from samfard.geo.gtfs.times import parse_date, parse_time

Tables = dict[str, list[dict[str, str]]]

FILES = (
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "trips.txt",
    "stop_times.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "transfers.txt",
    "frequencies.txt",
    "feed_info.txt",
)

# GTFS route_type: the basic codes, and the extended ones Swedish feeds (Samtrafiken) use.
ROUTE_TYPE_NAMES = {0: "spårvagn", 1: "tunnelbana", 2: "tåg", 3: "buss", 4: "båt"}


def route_type_name(route_type: int) -> str:
    """Swedish word for a route type, as the assessment cites it ("buss 45")."""
    if route_type in ROUTE_TYPE_NAMES:
        return ROUTE_TYPE_NAMES[route_type]
    if 100 <= route_type < 200:
        return "tåg"
    if 700 <= route_type < 800:
        return "buss"
    if 900 <= route_type < 1000:
        return "spårvagn"
    if 1000 <= route_type < 1300:
        return "båt"
    return "linje"


def read_tables(path: Path) -> Tables:
    """The rows of every known file in a GTFS zip or folder (missing files are absent)."""
    tables: Tables = {}
    if path.is_dir():
        for name in FILES:
            file = path / name
            if file.exists():
                tables[name] = _rows(file.read_bytes(), name)
        return tables
    if not path.exists():
        raise InputError(f"no GTFS feed at {path}: give a .zip or a folder", field="gtfs")
    try:
        with zipfile.ZipFile(path) as archive:
            # Some publishers zip the files inside a folder; the base name is what counts.
            members = {Path(n).name: n for n in archive.namelist() if not n.endswith("/")}
            for name in FILES:
                if name in members:
                    tables[name] = _rows(archive.read(members[name]), name)
    except zipfile.BadZipFile:
        raise InputError(f"{path} is neither a folder nor a zip file", field="gtfs") from None
    return tables


def _rows(data: bytes, name: str) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")  # GTFS allows a byte-order mark
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return []
    reader.fieldnames = [f.strip() for f in reader.fieldnames]
    return [{k: (v or "").strip() for k, v in row.items() if k is not None} for row in reader]


@dataclass(frozen=True)
class Stop:
    stop_id: str
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Route:
    route_id: str
    short_name: str
    long_name: str
    route_type: int

    @property
    def label(self) -> str:
        """How a person names the line: "buss 45", "tåg Mittbanan"."""
        return f"{route_type_name(self.route_type)} {self.short_name or self.long_name}"


@dataclass(frozen=True)
class TripRow:
    trip_id: str
    route_id: str
    service_id: str
    headsign: str


@dataclass(frozen=True)
class StopTime:
    trip_id: str
    sequence: int
    stop_id: str
    arrival: int  # seconds from the service day's start (see parse_time)
    departure: int


@dataclass(frozen=True)
class Calendar:
    service_id: str
    weekdays: tuple[bool, ...]  # Monday first
    start: date
    end: date


@dataclass(frozen=True)
class CalendarDate:
    service_id: str
    day: date
    added: bool  # exception_type 1 adds the service, 2 removes it


@dataclass(frozen=True)
class Transfer:
    from_stop: str
    to_stop: str
    min_seconds: int | None


WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Feed:
    """A checked GTFS feed: the tables the journey planner reads, typed."""

    stops: tuple[Stop, ...]
    routes: tuple[Route, ...]
    trips: tuple[TripRow, ...]
    stop_times: tuple[StopTime, ...]
    calendars: tuple[Calendar, ...]
    calendar_dates: tuple[CalendarDate, ...]
    transfers: tuple[Transfer, ...]

    @classmethod
    def from_tables(cls, tables: Tables) -> Feed:
        """Typed rows from tables `validate.problems` found nothing wrong with."""
        trips, stop_times = expand(
            tables["trips.txt"], tables["stop_times.txt"], tables.get("frequencies.txt", [])
        )
        return cls(
            stops=tuple(
                Stop(r["stop_id"], r["stop_name"], float(r["stop_lat"]), float(r["stop_lon"]))
                for r in tables["stops.txt"]
                # Stations and entrances (location_type 1-4) are not boarded.
                if r.get("location_type", "") in ("", "0")
            ),
            routes=tuple(
                Route(
                    r["route_id"],
                    r.get("route_short_name", ""),
                    r.get("route_long_name", ""),
                    int(r["route_type"]),
                )
                for r in tables["routes.txt"]
            ),
            trips=tuple(
                TripRow(r["trip_id"], r["route_id"], r["service_id"], r.get("trip_headsign", ""))
                for r in trips
            ),
            stop_times=tuple(
                StopTime(
                    r["trip_id"],
                    int(r["stop_sequence"]),
                    r["stop_id"],
                    parse_time(r["arrival_time"] or r["departure_time"]),
                    parse_time(r["departure_time"] or r["arrival_time"]),
                )
                for r in stop_times
            ),
            calendars=tuple(
                Calendar(
                    r["service_id"],
                    tuple(r[f] == "1" for f in WEEKDAY_FIELDS),
                    parse_date(r["start_date"]),
                    parse_date(r["end_date"]),
                )
                for r in tables.get("calendar.txt", [])
            ),
            calendar_dates=tuple(
                CalendarDate(r["service_id"], parse_date(r["date"]), r["exception_type"] == "1")
                for r in tables.get("calendar_dates.txt", [])
            ),
            transfers=tuple(
                Transfer(
                    r["from_stop_id"],
                    r["to_stop_id"],
                    int(r["min_transfer_time"]) if r.get("min_transfer_time") else None,
                )
                for r in tables.get("transfers.txt", [])
                if r.get("transfer_type", "0") in ("", "0", "1", "2")
            ),
        )

    def services_on(self, day: date) -> frozenset[str]:
        """The service_ids that run on `day`: calendar.txt, then calendar_dates.txt."""
        running = {
            c.service_id
            for c in self.calendars
            if c.start <= day <= c.end and c.weekdays[day.weekday()]
        }
        for exception in self.calendar_dates:
            if exception.day != day:
                continue
            if exception.added:
                running.add(exception.service_id)
            else:
                running.discard(exception.service_id)
        return frozenset(running)
