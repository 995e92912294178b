"""A GTFS validator of our own: what the journey planner relies on, checked before use.

No kept Python library validates GTFS without a Java runtime (the canonical validator is
MobilityData's Java tool), so this covers the rules a broken feed would silently break:
required files and fields, unique ids, every reference resolving, coordinates and times
that parse, stop times in sequence with times that never go back, a calendar that says
when each service runs, and frequencies.txt windows that can be laid out as trips. Each
problem names the file, the row and what to fix.
"""

from __future__ import annotations

from collections import defaultdict

from samfard.geo.gtfs.feed import WEEKDAY_FIELDS, Tables
from samfard.geo.gtfs.times import parse_date, parse_time

REQUIRED: dict[str, tuple[str, ...]] = {
    "agency.txt": ("agency_name", "agency_url", "agency_timezone"),
    "stops.txt": ("stop_id",),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_id", "stop_sequence"),
}
CALENDAR_FIELDS = ("service_id", *WEEKDAY_FIELDS, "start_date", "end_date")
FREQUENCY_FIELDS = ("trip_id", "start_time", "end_time", "headway_secs")
MAX_PROBLEMS = 50


def problems(tables: Tables) -> list[str]:
    """Everything wrong with a feed's tables, at most MAX_PROBLEMS lines; empty when valid."""
    found: list[str] = []
    for name, fields in REQUIRED.items():
        if name not in tables:
            found.append(f"{name} is missing: a GTFS feed needs it")
            continue
        if tables[name]:
            missing = [f for f in fields if f not in tables[name][0]]
            if missing:
                found.append(f"{name} lacks the field(s) {', '.join(missing)}")
    if "calendar.txt" not in tables and "calendar_dates.txt" not in tables:
        found.append("neither calendar.txt nor calendar_dates.txt: nothing says when trips run")
    if found:
        return found
    stops = _unique(tables, "stops.txt", "stop_id", found)
    routes = _unique(tables, "routes.txt", "route_id", found)
    services = _calendar(tables, found)
    trips = _trips(tables, routes, services, found)
    _stops(tables, found)
    _routes(tables, found)
    _stop_times(tables, stops, trips, found)
    _frequencies(tables, trips, found)
    return found[:MAX_PROBLEMS]


def _unique(tables: Tables, name: str, key: str, found: list[str]) -> set[str]:
    seen: set[str] = set()
    for i, row in enumerate(tables[name], start=2):  # line 1 is the header
        value = row.get(key, "")
        if not value:
            found.append(f"{name} line {i}: {key} is empty")
        elif value in seen:
            found.append(f"{name} line {i}: {key} {value!r} is used twice")
        seen.add(value)
    return seen


def _stops(tables: Tables, found: list[str]) -> None:
    for i, row in enumerate(tables["stops.txt"], start=2):
        if row.get("location_type", "") not in ("", "0", "1"):
            continue  # entrances, nodes and boarding areas need no name or position
        if not row.get("stop_name"):
            found.append(f"stops.txt line {i}: stop_name is empty")
        try:
            lat, lon = float(row.get("stop_lat", "")), float(row.get("stop_lon", ""))
        except ValueError:
            found.append(f"stops.txt line {i}: stop_lat and stop_lon must be decimal degrees")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            found.append(f"stops.txt line {i}: position {lat},{lon} is not on the map")


def _routes(tables: Tables, found: list[str]) -> None:
    for i, row in enumerate(tables["routes.txt"], start=2):
        if not (row.get("route_short_name") or row.get("route_long_name")):
            found.append(f"routes.txt line {i}: give route_short_name or route_long_name")
        if not row.get("route_type", "").isdigit():
            found.append(f"routes.txt line {i}: route_type must be a whole number")


def _calendar(tables: Tables, found: list[str]) -> set[str]:
    services: set[str] = set()
    for i, row in enumerate(tables.get("calendar.txt", []), start=2):
        missing = [f for f in CALENDAR_FIELDS if f not in row]
        if missing:
            found.append(f"calendar.txt lacks the field(s) {', '.join(missing)}")
            return services
        if any(row[f] not in ("0", "1") for f in WEEKDAY_FIELDS):
            found.append(f"calendar.txt line {i}: weekday fields must be 0 or 1")
        try:
            if parse_date(row["end_date"]) < parse_date(row["start_date"]):
                found.append(f"calendar.txt line {i}: end_date is before start_date")
        except ValueError as error:
            found.append(f"calendar.txt line {i}: {error}")
        services.add(row["service_id"])
    for i, row in enumerate(tables.get("calendar_dates.txt", []), start=2):
        try:
            parse_date(row.get("date", ""))
        except ValueError as error:
            found.append(f"calendar_dates.txt line {i}: {error}")
        if row.get("exception_type") not in ("1", "2"):
            found.append(f"calendar_dates.txt line {i}: exception_type must be 1 or 2")
        services.add(row.get("service_id", ""))
    return services


def _trips(tables: Tables, routes: set[str], services: set[str], found: list[str]) -> set[str]:
    trips = _unique(tables, "trips.txt", "trip_id", found)
    for i, row in enumerate(tables["trips.txt"], start=2):
        if row["route_id"] not in routes:
            found.append(f"trips.txt line {i}: route_id {row['route_id']!r} is not in routes.txt")
        if row["service_id"] not in services:
            found.append(
                f"trips.txt line {i}: service_id {row['service_id']!r} is in neither "
                "calendar.txt nor calendar_dates.txt"
            )
    return trips


def _stop_times(tables: Tables, stops: set[str], trips: set[str], found: list[str]) -> None:
    by_trip: dict[str, list[tuple[int, int, int, int]]] = defaultdict(list)
    for i, row in enumerate(tables["stop_times.txt"], start=2):
        if row["trip_id"] not in trips:
            found.append(f"stop_times.txt line {i}: trip_id {row['trip_id']!r} is not in trips.txt")
        if row["stop_id"] not in stops:
            found.append(f"stop_times.txt line {i}: stop_id {row['stop_id']!r} is not in stops.txt")
        if not row["stop_sequence"].isdigit():
            found.append(f"stop_times.txt line {i}: stop_sequence must be a whole number")
            continue
        arrival = row.get("arrival_time", "") or row.get("departure_time", "")
        departure = row.get("departure_time", "") or arrival
        if not arrival:
            # GTFS lets intermediate stops go untimed; the planner needs every time.
            found.append(f"stop_times.txt line {i}: arrival_time and departure_time are empty")
            continue
        try:
            a, d = parse_time(arrival), parse_time(departure)
        except ValueError as error:
            found.append(f"stop_times.txt line {i}: {error}")
            continue
        by_trip[row["trip_id"]].append((int(row["stop_sequence"]), a, d, i))
    for trip_id in trips:
        times = sorted(by_trip.get(trip_id, []))
        if len(times) < 2:
            found.append(f"trip {trip_id!r} has {len(times)} stop time(s); a trip needs two")
            continue
        for (s1, _, d1, _), (s2, a2, d2, line) in zip(times, times[1:], strict=False):
            if s1 == s2:
                found.append(f"stop_times.txt line {line}: stop_sequence {s2} used twice")
            elif a2 < d1:
                found.append(
                    f"stop_times.txt line {line}: trip {trip_id!r} arrives before it left "
                    "the previous stop (times must not decrease)"
                )
            if d2 < a2:
                found.append(f"stop_times.txt line {line}: departure_time before arrival_time")


def _frequencies(tables: Tables, trips: set[str], found: list[str]) -> None:
    """frequencies.txt (GTFS reference): each row names a trip of trips.txt and a window
    start_time < end_time with headway_secs > 0; exact_times is empty, 0 or 1; the windows
    of one trip do not overlap (a run would be laid out twice)."""
    windows: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, row in enumerate(tables.get("frequencies.txt", []), start=2):
        missing = [f for f in FREQUENCY_FIELDS if f not in row]
        if missing:
            found.append(f"frequencies.txt lacks the field(s) {', '.join(missing)}")
            return
        if row["trip_id"] not in trips:
            found.append(
                f"frequencies.txt line {i}: trip_id {row['trip_id']!r} is not in trips.txt"
            )
        if not row["headway_secs"].isdigit() or int(row["headway_secs"]) == 0:
            found.append(
                f"frequencies.txt line {i}: headway_secs must be a whole number of seconds "
                f"above 0, got {row['headway_secs']!r}"
            )
        if row.get("exact_times", "") not in ("", "0", "1"):
            found.append(f"frequencies.txt line {i}: exact_times must be empty, 0 or 1")
        try:
            start, end = parse_time(row["start_time"]), parse_time(row["end_time"])
        except ValueError as error:
            found.append(f"frequencies.txt line {i}: {error}")
            continue
        if end <= start:
            found.append(
                f"frequencies.txt line {i}: end_time {row['end_time']} must be after "
                f"start_time {row['start_time']}"
            )
            continue
        windows[row["trip_id"]].append((start, end, i))
    for trip_id, spans in windows.items():
        spans.sort()
        for (_, end1, line1), (start2, _, line2) in zip(spans, spans[1:], strict=False):
            if start2 < end1:
                found.append(
                    f"frequencies.txt line {line2}: trip {trip_id!r} overlaps the window of "
                    f"line {line1}; a trip's windows must not overlap"
                )
