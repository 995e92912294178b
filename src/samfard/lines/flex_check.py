"""A validator of GTFS-Flex feeds: required files and fields, the Flex conditions on stop
times and booking rules, and every reference between files.

Our own, written from the GTFS reference (no kept Python library validates Flex; the
MobilityData validator is Java). `samfard export flex` runs it before writing anything,
and the tests run it on every exported feed. `problems` returns every problem at once,
each naming the file, the row and the field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Mapping

TIME = re.compile(r"^\d{1,3}:[0-5]\d:[0-5]\d$")
DATE = re.compile(r"^\d{8}$")
REQUIRED_FILES = ("agency.txt", "routes.txt", "trips.txt", "stop_times.txt")
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "agency.txt": ("agency_name", "agency_url", "agency_timezone"),
    "routes.txt": ("route_id", "route_type"),
    "trips.txt": ("route_id", "service_id", "trip_id"),
    "stop_times.txt": ("trip_id", "stop_sequence"),
    "calendar.txt": (
        "service_id",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "start_date",
        "end_date",
    ),  # fmt: skip
    "stops.txt": ("stop_id",),
    "booking_rules.txt": ("booking_rule_id", "booking_type"),
    "location_groups.txt": ("location_group_id",),
    "location_group_stops.txt": ("location_group_id", "stop_id"),
}


def _rows(files: Mapping[str, str], name: str) -> list[dict[str, str]]:
    if name not in files:
        return []
    return list(csv.DictReader(io.StringIO(files[name])))


def _seconds(value: str) -> int:
    h, m, s = (int(x) for x in value.split(":"))
    return h * 3600 + m * 60 + s


def problems(files: Mapping[str, str]) -> list[str]:
    """Every problem of the feed, as "file: row N: field: what is wrong"."""
    out: list[str] = []
    for name in REQUIRED_FILES:
        if name not in files:
            out.append(f"{name}: required file is missing")
    if "calendar.txt" not in files and "calendar_dates.txt" not in files:
        out.append("calendar.txt: calendar.txt or calendar_dates.txt is required")
    if "stops.txt" not in files and "locations.geojson" not in files:
        out.append("stops.txt: required unless zones are given in locations.geojson")
    tables = {name: _rows(files, name) for name in REQUIRED_FIELDS}
    for name, fields in REQUIRED_FIELDS.items():
        for n, row in enumerate(tables[name], start=2):
            out.extend(f"{name}: row {n}: {f}: required" for f in fields if not row.get(f))
    locations = _locations(files, out)
    ids = _ids(tables, locations, out)
    _references(tables, ids, out)
    _stop_times(tables["stop_times.txt"], out)
    _booking_rules(tables["booking_rules.txt"], out)
    return out


def _locations(files: Mapping[str, str], out: list[str]) -> set[str]:
    if "locations.geojson" not in files:
        return set()
    where = "locations.geojson"
    try:
        data = json.loads(files[where])
    except json.JSONDecodeError as error:
        out.append(f"{where}: not valid JSON: {error}")
        return set()
    if data.get("type") != "FeatureCollection":
        out.append(f"{where}: type: must be FeatureCollection")
    ids: set[str] = set()
    for i, feature in enumerate(data.get("features", [])):
        at = f"{where}: features[{i}]"
        if feature.get("type") != "Feature":
            out.append(f"{at}: type: must be Feature")
        fid = feature.get("id")
        if not isinstance(fid, str) or not fid:
            out.append(f"{at}: id: required, a string")
        elif fid in ids:
            out.append(f"{at}: id: {fid!r} is used twice")
        else:
            ids.add(fid)
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        if kind not in ("Polygon", "MultiPolygon"):
            out.append(f"{at}: geometry.type: must be Polygon or MultiPolygon, got {kind!r}")
            continue
        polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                if len(ring) < 4 or ring[0] != ring[-1]:
                    out.append(f"{at}: geometry: a ring needs 4+ positions and must be closed")
                elif any(not (-180 <= p[0] <= 180 and -90 <= p[1] <= 90) for p in ring):
                    out.append(f"{at}: geometry: positions must be [lon, lat] in WGS84")
    return ids


def _ids(
    tables: dict[str, list[dict[str, str]]], locations: set[str], out: list[str]
) -> dict[str, set[str]]:
    """The ids each file defines; stop, location and location group ids share one space."""
    ids = {
        "agency": {r.get("agency_id", "") for r in tables["agency.txt"]},
        "route": {r["route_id"] for r in tables["routes.txt"] if r.get("route_id")},
        "trip": {r["trip_id"] for r in tables["trips.txt"] if r.get("trip_id")},
        "service": {r["service_id"] for r in tables["calendar.txt"] if r.get("service_id")},
        "stop": {r["stop_id"] for r in tables["stops.txt"] if r.get("stop_id")},
        "group": {
            r["location_group_id"]
            for r in tables["location_groups.txt"]
            if r.get("location_group_id")
        },
        "rule": {
            r["booking_rule_id"] for r in tables["booking_rules.txt"] if r.get("booking_rule_id")
        },
        "location": locations,
    }
    for a, b in (("stop", "location"), ("stop", "group"), ("location", "group")):
        for clash in sorted(ids[a] & ids[b]):
            out.append(f"{a} and {b} ids must be unique across files: {clash!r} is both")
    for n, row in enumerate(tables["stops.txt"], start=2):
        if row.get("location_type", "0") in ("", "0"):
            for f in ("stop_name", "stop_lat", "stop_lon"):
                if not row.get(f):
                    out.append(f"stops.txt: row {n}: {f}: required for a stop")
    for n, row in enumerate(tables["routes.txt"], start=2):
        if not row.get("route_short_name") and not row.get("route_long_name"):
            out.append(f"routes.txt: row {n}: route_short_name or route_long_name: required")
    for n, row in enumerate(tables["calendar.txt"], start=2):
        for f in ("start_date", "end_date"):
            if row.get(f) and not DATE.match(row[f]):
                out.append(f"calendar.txt: row {n}: {f}: must be YYYYMMDD, got {row[f]!r}")
    return ids


def _references(
    tables: dict[str, list[dict[str, str]]], ids: dict[str, set[str]], out: list[str]
) -> None:
    checks = (
        ("routes.txt", "agency_id", "agency"),
        ("trips.txt", "route_id", "route"),
        ("trips.txt", "service_id", "service"),
        ("stop_times.txt", "trip_id", "trip"),
        ("stop_times.txt", "stop_id", "stop"),
        ("stop_times.txt", "location_id", "location"),
        ("stop_times.txt", "location_group_id", "group"),
        ("stop_times.txt", "pickup_booking_rule_id", "rule"),
        ("stop_times.txt", "drop_off_booking_rule_id", "rule"),
        ("location_group_stops.txt", "location_group_id", "group"),
        ("location_group_stops.txt", "stop_id", "stop"),
    )
    for name, field, kind in checks:
        for n, row in enumerate(tables[name], start=2):
            value = row.get(field, "")
            if value and value not in ids[kind]:
                out.append(f"{name}: row {n}: {field}: {value!r} is not defined")
    if len(ids["agency"]) > 1:
        for n, row in enumerate(tables["routes.txt"], start=2):
            if not row.get("agency_id"):
                out.append(f"routes.txt: row {n}: agency_id: required with several agencies")


def _stop_times(rows: list[dict[str, str]], out: list[str]) -> None:
    by_trip: dict[str, list[tuple[int, int, dict[str, str]]]] = defaultdict(list)
    for n, row in enumerate(rows, start=2):
        at = f"stop_times.txt: row {n}"
        where = [f for f in ("stop_id", "location_group_id", "location_id") if row.get(f)]
        if len(where) != 1:
            out.append(f"{at}: exactly one of stop_id, location_group_id, location_id, got {where}")
        windows = [row.get(f, "") for f in ("start_pickup_drop_off_window",
                                             "end_pickup_drop_off_window")]  # fmt: skip
        times = [row.get(f, "") for f in ("arrival_time", "departure_time")]
        for value in (*windows, *times):
            if value and not TIME.match(value):
                out.append(f"{at}: {value!r} is not a time HH:MM:SS")
        if any(windows):
            if not all(windows):
                out.append(f"{at}: start and end_pickup_drop_off_window come together")
            elif _seconds(windows[0]) >= _seconds(windows[1]):
                out.append(f"{at}: end_pickup_drop_off_window must be after its start")
            if any(times):
                out.append(f"{at}: arrival_time/departure_time are forbidden with a window")
            if row.get("pickup_type", "0") in ("", "0", "3"):
                out.append(f"{at}: pickup_type: 0 or 3 is forbidden with a window")
            if row.get("drop_off_type", "0") in ("", "0"):
                out.append(f"{at}: drop_off_type: 0 is forbidden with a window")
        elif row.get("location_id") or row.get("location_group_id"):
            out.append(f"{at}: a zone or location group needs a pickup/drop-off window")
        try:
            seq = int(row.get("stop_sequence", ""))
        except ValueError:
            out.append(f"{at}: stop_sequence: must be a whole number")
            continue
        by_trip[row.get("trip_id", "")].append((seq, n, row))
    for trip, calls in by_trip.items():
        seqs = [seq for seq, _, _ in calls]
        if len(set(seqs)) != len(seqs):
            out.append(f"stop_times.txt: trip {trip!r}: stop_sequence repeats")
        calls.sort()
        for seq, n, row in (calls[0], calls[-1]):
            if row.get("stop_id") and not (row.get("arrival_time") and row.get("departure_time")):
                out.append(
                    f"stop_times.txt: row {n}: arrival_time and departure_time: required at "
                    f"the first and last stop of trip {trip!r} (stop_sequence {seq})"
                )
        timed = [_seconds(r["departure_time"]) for _, _, r in calls if r.get("departure_time")]
        if timed != sorted(timed):
            out.append(f"stop_times.txt: trip {trip!r}: times go backwards")


def _booking_rules(rows: list[dict[str, str]], out: list[str]) -> None:
    for n, row in enumerate(rows, start=2):
        at = f"booking_rules.txt: row {n}"
        kind = row.get("booking_type", "")
        if kind not in ("0", "1", "2"):
            out.append(f"{at}: booking_type: must be 0, 1 or 2, got {kind!r}")
            continue
        duration = row.get("prior_notice_duration_min", "")
        last_day = row.get("prior_notice_last_day", "")
        if kind == "1" and not duration.isdigit():
            out.append(f"{at}: prior_notice_duration_min: required (minutes) for booking_type 1")
        if kind != "1" and duration:
            out.append(f"{at}: prior_notice_duration_min: forbidden unless booking_type is 1")
        if kind == "2" and not last_day:
            out.append(f"{at}: prior_notice_last_day: required for booking_type 2")
        if kind != "2" and last_day:
            out.append(f"{at}: prior_notice_last_day: forbidden unless booking_type is 2")
        if last_day and not row.get("prior_notice_last_time"):
            out.append(f"{at}: prior_notice_last_time: required with prior_notice_last_day")
