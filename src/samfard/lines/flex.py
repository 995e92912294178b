"""GTFS-Flex: the demand-responsive services as a feed journey planners can show.

Pure: plain timetable data and terms in, file name -> text out. Two kinds of service:

- booked lines: ordinary GTFS trips whose stops are served only when booked
  (pickup_type and drop_off_type 2, "phone the agency"), each stop time with the booking
  rule that says how long before it the trip must be booked;
- närtrafik: one zone per transport authority (locations.geojson) and the service points
  närtrafik meets the lines at (location_groups.txt), joined by trips with pickup and
  drop-off windows, one trip per service window, booked ahead by the rulebook's notice.

Files and fields as the GTFS reference (with Flex, adopted 2024) names them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from samfard.lines.timetable import TimetableLine, TimetableStop

ROUTE_TYPE_BUS = 3
PHONE_AGENCY = 2
NO_SERVICE = 1
SAME_DAY_NOTICE = 1
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class FlexAgency:
    """A transport authority as a GTFS agency."""

    code: str
    name: str
    url: str
    phone: str = ""


@dataclass(frozen=True)
class FeederZone:
    """Närtrafik of one authority: its zone, windows, notice and the stops it serves."""

    principal: str
    name: str
    polygon: tuple[tuple[float, float], ...]  # (lon, lat), closed ring
    windows: tuple[tuple[time, time], ...]
    notice_min: int
    service_points: tuple[TimetableStop, ...]


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _hms(minutes: int) -> str:
    """GTFS time: hours may pass 24 for a trip running past midnight."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _of(at: time) -> int:
    return at.hour * 60 + at.minute


def stop_id(stop: TimetableStop) -> str:
    return f"place:{stop.place_key}"


def _service_id(weekdays: Sequence[int]) -> str:
    return "days-" + "".join(str(d) for d in sorted(set(weekdays)))


def flex_feed(
    *,
    agencies: Sequence[FlexAgency],
    lines: Sequence[TimetableLine],
    zones: Sequence[FeederZone],
    start: date,
    end: date,
    publisher: str = "Samfard",
) -> dict[str, str]:
    """The feed's files by name; valid from `start` to `end` inclusive."""
    stops: dict[str, TimetableStop] = {}
    calendars: dict[str, tuple[int, ...]] = {}
    routes: list[list[object]] = []
    trips: list[list[object]] = []
    stop_times: list[list[object]] = []
    rules: dict[str, tuple[str, int, str]] = {}  # id -> (agency, notice minutes, message)
    for line in lines:
        route_id = "line:" + line.code.replace(" ", "-")
        routes.append(
            [route_id, line.principal, line.code, line.name, ROUTE_TYPE_BUS, "anropsstyrd linje"]
        )
        for dep in line.departures:
            service = _service_id(dep.weekdays)
            calendars[service] = tuple(sorted(set(dep.weekdays)))
            trip_id = f"{route_id}:dep{dep.id}"
            trips.append([route_id, service, trip_id, dep.direction, line.name])
            for seq, (stop, offset) in enumerate(line.sequence(dep.direction)):
                stops[stop_id(stop)] = stop
                # Booked by the line's deadline before its first stop: that much plus the
                # time the trip takes to reach this stop.
                notice = line.deadline_min + offset
                rule_id = f"{line.principal}:notice-{notice}"
                rules[rule_id] = (
                    line.principal,
                    notice,
                    f"Boka senast {notice} minuter före avgång.",
                )
                at = _hms(_of(dep.departs) + offset)
                stop_times.append(
                    [trip_id, at, at, stop_id(stop), "", "", seq, "", "",
                     PHONE_AGENCY, PHONE_AGENCY, rule_id, rule_id]
                )  # fmt: skip
    features: list[dict[str, object]] = []
    groups: list[list[object]] = []
    group_stops: list[list[object]] = []
    for zone in zones:
        zone_id = f"zone:{zone.principal}"
        group_id = f"points:{zone.principal}"
        features.append(
            {
                "type": "Feature",
                "id": zone_id,
                "properties": {"stop_name": zone.name},
                "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in zone.polygon]]},
            }
        )
        groups.append([group_id, f"Anslutningspunkter, {zone.name}"])
        for point in zone.service_points:
            stops[stop_id(point)] = point
            group_stops.append([group_id, stop_id(point)])
        route_id = f"nartrafik:{zone.principal}"
        routes.append([route_id, zone.principal, "", zone.name, ROUTE_TYPE_BUS, "närtrafik"])
        calendars["days-0123456"] = tuple(range(7))
        rule_id = f"{zone.principal}:nartrafik"
        rules[rule_id] = (
            zone.principal,
            zone.notice_min,
            f"Närtrafik: boka senast {zone.notice_min} minuter före resan.",
        )
        for n, (open_, close) in enumerate(zone.windows):
            trip_id = f"{route_id}:w{n}"
            trips.append([route_id, "days-0123456", trip_id, "", zone.name])
            window = (_hms(_of(open_)), _hms(_of(close)))
            for seq, (location, group) in enumerate(((zone_id, ""), ("", group_id))):
                stop_times.append(
                    [trip_id, "", "", "", group, location, seq, *window,
                     PHONE_AGENCY, PHONE_AGENCY, rule_id, rule_id]
                )  # fmt: skip
    phones = {a.code: a.phone for a in agencies}
    files = {
        "agency.txt": _csv(
            [
                "agency_id",
                "agency_name",
                "agency_url",
                "agency_timezone",
                "agency_lang",
                "agency_phone",
            ],
            [[a.code, a.name, a.url, "Europe/Stockholm", "sv", a.phone] for a in agencies],
        ),  # fmt: skip
        "stops.txt": _csv(
            ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"],
            [[k, s.name, f"{s.lat:.5f}", f"{s.lon:.5f}", 0] for k, s in sorted(stops.items())],
        ),
        "routes.txt": _csv(
            [
                "route_id",
                "agency_id",
                "route_short_name",
                "route_long_name",
                "route_type",
                "route_desc",
            ],
            routes,
        ),  # fmt: skip
        "trips.txt": _csv(
            ["route_id", "service_id", "trip_id", "direction_id", "trip_headsign"], trips
        ),
        "calendar.txt": _csv(
            ["service_id", *WEEKDAYS, "start_date", "end_date"],
            [
                [sid, *(int(d in days) for d in range(7)), f"{start:%Y%m%d}", f"{end:%Y%m%d}"]
                for sid, days in sorted(calendars.items())
            ],
        ),
        "stop_times.txt": _csv(
            [
                "trip_id",
                "arrival_time",
                "departure_time",
                "stop_id",
                "location_group_id",
                "location_id",
                "stop_sequence",
                "start_pickup_drop_off_window",
                "end_pickup_drop_off_window",
                "pickup_type",
                "drop_off_type",
                "pickup_booking_rule_id",
                "drop_off_booking_rule_id",
            ],
            stop_times,
        ),  # fmt: skip
        "booking_rules.txt": _csv(
            [
                "booking_rule_id",
                "booking_type",
                "prior_notice_duration_min",
                "phone_number",
                "message",
            ],
            [
                [rid, SAME_DAY_NOTICE, notice, phones.get(owner, ""), message]
                for rid, (owner, notice, message) in sorted(rules.items())
            ],
        ),  # fmt: skip
        "feed_info.txt": _csv(
            [
                "feed_publisher_name",
                "feed_publisher_url",
                "feed_lang",
                "feed_start_date",
                "feed_end_date",
            ],
            [[publisher, "https://github.com/samfard", "sv", f"{start:%Y%m%d}", f"{end:%Y%m%d}"]],
        ),  # fmt: skip
    }
    if features:
        files["locations.geojson"] = json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1
        )
        files["location_groups.txt"] = _csv(["location_group_id", "location_group_name"], groups)
        files["location_group_stops.txt"] = _csv(["location_group_id", "stop_id"], group_stops)
    return files


def convex_hull(
    points: Sequence[tuple[float, float]], margin: float
) -> tuple[tuple[float, float], ...]:
    """The convex hull of (lon, lat) points pushed out by `margin` degrees from their
    centre, as a closed counter-clockwise ring (the zone a list of places spans)."""
    pts = sorted(set(points))
    if len(pts) < 3:
        raise ValueError(f"a zone needs at least three distinct points, got {len(pts)}")

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    cx = sum(p[0] for p in hull) / len(hull)
    cy = sum(p[1] for p in hull) / len(hull)
    ring = []
    for x, y in hull:
        dx, dy = x - cx, y - cy
        norm = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        ring.append((round(x + margin * dx / norm, 5), round(y + margin * dy / norm, 5)))
    return (*ring, ring[0])
