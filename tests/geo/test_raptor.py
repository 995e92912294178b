"""RAPTOR against a brute-force search on small random feeds.

The brute force enumerates every journey of up to k vehicles straight from the tables'
stop times (no patterns, no pruning), with the same walking and change-time rules, and
takes the best; a trip of frequencies.txt runs at every start it reads from the table
itself, not from the feed's expansion. RAPTOR must find the same earliest arrival and,
on the reversed day, the same latest departure, and the journey it reads back must be one
a traveller can make.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from samfard.geo.gtfs import timetable
from samfard.geo.gtfs.feed import Feed
from samfard.geo.gtfs.journey import CHANGE_S, arrive_by, depart_after
from samfard.geo.gtfs.raptor import earliest_arrival
from samfard.geo.gtfs.times import format_time, parse_time
from samfard.geo.gtfs.validate import problems
from samfard.geo.traveltime import Point

DAY = date(2026, 11, 23)  # a Monday
BASE_LAT, BASE_LON = 63.0, 14.0


AGENCY = [{"agency_name": "Test", "agency_url": "https://x", "agency_timezone": "Europe/Stockholm"}]
ROUTES = [{"route_id": f"r{i}", "route_short_name": str(i), "route_type": "3"} for i in range(3)]
WEEKDAYS = [
    {
        "service_id": "v",
        "monday": "1",
        "tuesday": "1",
        "wednesday": "1",
        "thursday": "1",
        "friday": "1",
        "saturday": "0",
        "sunday": "0",
        "start_date": "20260101",
        "end_date": "20261231",
    }
]
Tables = dict[str, list[dict[str, str]]]
Run = list[tuple[int, int, int]]  # (stop index, arrival, departure) in the order ridden


def _line_stops(draw: st.DrawFn) -> tuple[int, list[dict[str, str]]]:
    """3-6 stops along a line a few hundred metres apart (some within a walk of each
    other)."""
    n = draw(st.integers(3, 6))
    offsets = sorted(draw(st.lists(st.integers(0, 700), min_size=n, max_size=n, unique=True)))
    return n, [
        {
            "stop_id": f"s{i}",
            "stop_name": f"Hållplats {i}",
            "stop_lat": f"{BASE_LAT + off / 111_000:.6f}",
            "stop_lon": f"{BASE_LON:.6f}",
        }
        for i, off in enumerate(offsets)
    ]


def _trip(draw: st.DrawFn, trip_id: str, n: int, clock: int) -> list[dict[str, str]]:
    """The stop times of one trip over 2-4 of the n stops, leaving the first at `clock`."""
    seq = draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=4, unique=True))
    rows = []
    for k, stop in enumerate(seq):
        if k:
            clock += draw(st.integers(1, 12)) * 60
        dwell = draw(st.integers(0, 2)) * 60
        rows.append(
            {
                "trip_id": trip_id,
                "arrival_time": format_time(clock),
                "departure_time": format_time(clock + dwell),
                "stop_id": f"s{stop}",
                "stop_sequence": str(k + 1),
            }
        )
        clock += dwell
    return rows


def _tables(
    stops: list[dict[str, str]],
    trips: list[dict[str, str]],
    stop_times: list[dict[str, str]],
    frequencies: list[dict[str, str]] | None = None,
) -> Tables:
    tables = {
        "agency.txt": AGENCY,
        "stops.txt": stops,
        "routes.txt": ROUTES,
        "trips.txt": trips,
        "stop_times.txt": stop_times,
        "calendar.txt": WEEKDAYS,
    }
    if frequencies is not None:
        tables["frequencies.txt"] = frequencies
    assert problems(tables) == []
    return tables


@st.composite
def small_feeds(draw: st.DrawFn) -> Tables:
    """3-6 stops, 1-8 timetabled trips of 2-4 stops each."""
    n, stops = _line_stops(draw)
    trips, stop_times = [], []
    for t in range(draw(st.integers(1, 8))):
        trips.append({"route_id": f"r{t % 3}", "service_id": "v", "trip_id": f"t{t}"})
        stop_times += _trip(draw, f"t{t}", n, draw(st.integers(6 * 60, 7 * 60)) * 60)
    return _tables(stops, trips, stop_times)


@st.composite
def feeds_with_frequencies(draw: st.DrawFn) -> Tables:
    """3-6 stops, 1-2 template trips run every 10-30 minutes in one or two windows of 1-3
    runs (exact_times empty, 0 or 1; the template's own clock times are not when it runs), and
    0-3 timetabled trips among them."""
    n, stops = _line_stops(draw)
    trips, stop_times, frequencies = [], [], []
    for t in range(draw(st.integers(1, 2))):
        trips.append({"route_id": f"r{t}", "service_id": "v", "trip_id": f"f{t}"})
        stop_times += _trip(draw, f"f{t}", n, draw(st.integers(0, 23 * 60)) * 60)
        start = draw(st.integers(6 * 60, 7 * 60)) * 60
        for _ in range(draw(st.integers(1, 2))):
            headway = draw(st.integers(10, 30)) * 60
            # 1-3 runs, the window ending on a run's time (which does not run) or between
            end = start + draw(st.integers(1, 3)) * headway - draw(st.sampled_from([0, 0, 300]))
            exact = draw(st.sampled_from(["", "0", "1"]))
            frequencies.append(
                {
                    "trip_id": f"f{t}",
                    "start_time": format_time(start),
                    "end_time": format_time(end),
                    "headway_secs": str(headway),
                    **({"exact_times": exact} if exact else {}),
                }
            )
            start = end + draw(st.integers(0, 30)) * 60
    for t in range(draw(st.integers(0, 3))):
        trips.append({"route_id": "r2", "service_id": "v", "trip_id": f"t{t}"})
        stop_times += _trip(draw, f"t{t}", n, draw(st.integers(6 * 60, 7 * 60)) * 60)
    return _tables(stops, trips, stop_times, frequencies)


def _runs(tables: Tables, tt: timetable.Timetable) -> list[Run]:
    """Every vehicle run the tables describe, read straight from them: a trip of
    frequencies.txt runs from each start_time + n * headway_secs before end_time, its
    stop times shifted from the template's first departure; any other trip as written."""
    index = {s: i for i, s in enumerate(tt.stop_ids)}
    by_trip: dict[str, list[tuple[int, int, int, int]]] = {}
    for x in tables["stop_times.txt"]:
        by_trip.setdefault(x["trip_id"], []).append(
            (
                int(x["stop_sequence"]),
                index[x["stop_id"]],
                parse_time(x["arrival_time"]),
                parse_time(x["departure_time"]),
            )
        )
    windows: dict[str, list[tuple[int, int, int]]] = {}
    for f in tables.get("frequencies.txt", []):
        windows.setdefault(f["trip_id"], []).append(
            (parse_time(f["start_time"]), parse_time(f["end_time"]), int(f["headway_secs"]))
        )
    runs: list[Run] = []
    for trip_id, rows in by_trip.items():
        rows.sort()
        first = rows[0][3]
        if trip_id not in windows:
            runs.append([(stop, arr, dep) for _, stop, arr, dep in rows])
            continue
        for start, end, headway in windows[trip_id]:
            leave = start
            while leave < end:
                shift = leave - first
                runs.append([(stop, arr + shift, dep + shift) for _, stop, arr, dep in rows])
                leave += headway
    return runs


def _journeys(
    runs: list[Run], tt: timetable.Timetable, sources: dict[int, tuple[int, int]], max_rides: int
) -> list[tuple[int, int, int]]:
    """Every (first boarding time, stop reached, arrival) of up to max_rides vehicles."""
    found: list[tuple[int, int, int]] = []

    def go(ready: dict[int, int], rides: int, first: int | None) -> None:
        if rides == max_rides:
            return
        for run in runs:
            for b, (stop, _, dep) in enumerate(run):
                if stop not in ready or dep < ready[stop]:
                    continue
                start = dep if first is None else first
                for alight, arr, _ in run[b + 1 :]:
                    found.append((start, alight, arr))
                    following = {alight: arr + CHANGE_S}
                    for other, seconds, _ in tt.footpaths[alight]:
                        at = arr + seconds + CHANGE_S
                        following[other] = min(following.get(other, at), at)
                    go(following, rides + 1, start)

    go({s: t for s, (t, _) in sources.items()}, 0, None)
    return found


def _earliest_arrival_as_brute_force(
    tables: Tables, origin: int, target: int, start: int, max_rides: int
) -> None:
    tt = timetable.build(Feed.from_tables(tables), DAY)
    n = len(tt.stop_ids)
    origin, target = origin % n, target % n
    sources = {origin: (start * 60, 0)}
    targets = {target: (0, 0)}
    best = min(
        (
            a
            for _, stop, a in _journeys(_runs(tables, tt), tt, sources, max_rides)
            if stop == target
        ),
        default=None,
    )
    path = earliest_arrival(tt, sources, targets, max_rides=max_rides, change_s=CHANGE_S)
    if origin == target or best is None:
        # From the target itself RAPTOR still needs a ride; the brute force agrees or
        # found nothing.
        assert path is None or best is not None
        if path is None:
            return
    assert path is not None, f"brute force found arrival {best}, RAPTOR none"
    assert path.arrival == best
    assert len(path.rides) <= max_rides
    _assert_feasible(tt, path, origin, start * 60)


def _latest_departure_as_brute_force(
    tables: Tables, origin: int, target: int, deadline: int, max_rides: int
) -> None:
    """On the reversed day the same search gives the latest departure arriving in time."""
    feed = Feed.from_tables(tables)
    forward = timetable.build(feed, DAY)
    backward = timetable.build(feed, DAY, reverse=True)
    n = len(forward.stop_ids)
    origin, target = origin % n, target % n
    if origin == target:
        return
    journeys = _journeys(_runs(tables, forward), forward, {origin: (-(1 << 30), 0)}, max_rides)
    best = max(
        (dep for dep, stop, arr in journeys if stop == target and arr <= deadline * 60),
        default=None,
    )
    path = earliest_arrival(
        backward,
        {target: (-deadline * 60, 0)},
        {origin: (0, 0)},
        max_rides=max_rides,
        change_s=CHANGE_S,
    )
    if best is None:
        assert path is None
        return
    assert path is not None, f"brute force leaves at {best}, RAPTOR finds nothing"
    assert -path.arrival == best


@settings(max_examples=200, deadline=None)
@given(
    tables=small_feeds(),
    origin=st.integers(0, 5),
    target=st.integers(0, 5),
    start=st.integers(6 * 60, 7 * 60),
    max_rides=st.integers(1, 3),
)
def test_earliest_arrival_matches_brute_force(
    tables: Tables, origin: int, target: int, start: int, max_rides: int
) -> None:
    _earliest_arrival_as_brute_force(tables, origin, target, start, max_rides)


@settings(max_examples=200, deadline=None)
@given(
    tables=feeds_with_frequencies(),
    origin=st.integers(0, 5),
    target=st.integers(0, 5),
    start=st.integers(6 * 60, 7 * 60),
    max_rides=st.integers(1, 3),
)
def test_earliest_arrival_on_frequencies_matches_brute_force(
    tables: Tables, origin: int, target: int, start: int, max_rides: int
) -> None:
    _earliest_arrival_as_brute_force(tables, origin, target, start, max_rides)


def _assert_feasible(tt: timetable.Timetable, path: object, origin: int, ready: int) -> None:
    """Each ride boards where the traveller is, no earlier than they are ready."""
    from samfard.geo.gtfs.raptor import Path

    assert isinstance(path, Path)
    at, when = origin, ready
    for i, ride in enumerate(path.rides):
        pattern = tt.patterns[ride.pattern]
        board = pattern.stops[ride.board]
        if i:
            came_from, to, _ = path.transfers[i - 1]
            assert came_from == at and to == board
            walk = 0 if at == board else next(s for j, s, _ in tt.footpaths[at] if j == board)
            when += walk + CHANGE_S
        else:
            assert board == at
        assert pattern.dep[ride.board][ride.trip] >= when
        assert ride.alight > ride.board
        at, when = pattern.stops[ride.alight], pattern.arr[ride.alight][ride.trip]
    assert when == path.arrival


@settings(max_examples=200, deadline=None)
@given(
    tables=small_feeds(),
    origin=st.integers(0, 5),
    target=st.integers(0, 5),
    deadline=st.integers(6 * 60 + 20, 8 * 60),
    max_rides=st.integers(1, 3),
)
def test_latest_departure_matches_brute_force(
    tables: Tables, origin: int, target: int, deadline: int, max_rides: int
) -> None:
    _latest_departure_as_brute_force(tables, origin, target, deadline, max_rides)


@settings(max_examples=200, deadline=None)
@given(
    tables=feeds_with_frequencies(),
    origin=st.integers(0, 5),
    target=st.integers(0, 5),
    deadline=st.integers(6 * 60 + 20, 8 * 60),
    max_rides=st.integers(1, 3),
)
def test_latest_departure_on_frequencies_matches_brute_force(
    tables: Tables, origin: int, target: int, deadline: int, max_rides: int
) -> None:
    _latest_departure_as_brute_force(tables, origin, target, deadline, max_rides)


def test_journey_reads_the_right_way_round() -> None:
    """arrive_by and depart_after on the same two-stop line give journeys that leave,
    ride and arrive in order, with the walk at both ends."""
    tables_feed = _two_stop_feed()
    forward = timetable.build(tables_feed, DAY)
    backward = timetable.build(tables_feed, DAY, reverse=True)
    home, clinic = Point(BASE_LAT, BASE_LON), Point(BASE_LAT + 0.05, BASE_LON)
    there = arrive_by(backward, home, clinic, 10 * 3600, max_walk_m=800, max_transfers=0)
    assert there is not None
    assert there.rides[0].board_s == 9 * 3600 and there.rides[0].alight_s == 9 * 3600 + 1800
    assert there.leave_s < there.rides[0].board_s < there.arrive_s <= 10 * 3600
    assert there.summary() == "buss 9 09:00–09:30, direkt"
    back = depart_after(forward, clinic, home, 11 * 3600, max_walk_m=800, max_transfers=0)
    assert back is None  # the line runs one way only


def _two_stop_feed() -> Feed:
    tables = {
        "agency.txt": [
            {"agency_name": "T", "agency_url": "https://x", "agency_timezone": "Europe/Stockholm"}
        ],
        "stops.txt": [
            {
                "stop_id": "a",
                "stop_name": "A",
                "stop_lat": f"{BASE_LAT + 0.001}",
                "stop_lon": f"{BASE_LON}",
            },
            {
                "stop_id": "b",
                "stop_name": "B",
                "stop_lat": f"{BASE_LAT + 0.049}",
                "stop_lon": f"{BASE_LON}",
            },
        ],
        "routes.txt": [{"route_id": "r", "route_short_name": "9", "route_type": "3"}],
        "trips.txt": [{"route_id": "r", "service_id": "v", "trip_id": f"t{h}"} for h in (8, 9, 10)],
        "stop_times.txt": [
            row
            for h in (8, 9, 10)
            for row in (
                {
                    "trip_id": f"t{h}",
                    "arrival_time": f"{h:02d}:00:00",
                    "departure_time": f"{h:02d}:00:00",
                    "stop_id": "a",
                    "stop_sequence": "1",
                },
                {
                    "trip_id": f"t{h}",
                    "arrival_time": f"{h:02d}:30:00",
                    "departure_time": f"{h:02d}:30:00",
                    "stop_id": "b",
                    "stop_sequence": "2",
                },
            )
        ],
        "calendar_dates.txt": [{"service_id": "v", "date": "20261123", "exception_type": "1"}],
    }
    assert problems(tables) == []
    return Feed.from_tables(tables)
