"""frequencies.txt: a template trip runs from start_time every headway_secs while it
leaves before end_time, with exact_times 0 or 1 (GTFS reference); the validator names a
window that cannot be laid out; the reader finds the file in a zip and a folder; the
journey planner rides the runs."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest

from samfard.geo.gtfs import timetable
from samfard.geo.gtfs.demo_feed import write_feed
from samfard.geo.gtfs.feed import Feed, read_tables
from samfard.geo.gtfs.journey import arrive_by, depart_after
from samfard.geo.gtfs.store import load_feed
from samfard.geo.gtfs.validate import problems
from samfard.geo.traveltime import Point

DAY = date(2026, 11, 23)  # a Monday
LAT, LON = 63.0, 14.0
Tables = dict[str, list[dict[str, str]]]


def _tables(frequencies: list[dict[str, str]]) -> Tables:
    """A two-stop line, 12 minutes from A to B; the template trip "t" is written at 05:00,
    which is not when it runs once frequencies.txt names it; trip "s" runs as written."""
    stop_times = [
        {"trip_id": trip, "arrival_time": at, "departure_time": at, "stop_id": stop,
         "stop_sequence": str(seq)}
        for trip, clock in (("t", "05"), ("s", "07"))
        for seq, (stop, at) in enumerate(
            (("a", f"{clock}:00:00"), ("b", f"{clock}:12:00")), start=1
        )
    ]  # fmt: skip
    return {
        "agency.txt": [
            {"agency_name": "T", "agency_url": "https://x", "agency_timezone": "Europe/Stockholm"}
        ],
        "stops.txt": [
            {"stop_id": "a", "stop_name": "A", "stop_lat": f"{LAT + 0.001}", "stop_lon": f"{LON}"},
            {"stop_id": "b", "stop_name": "B", "stop_lat": f"{LAT + 0.05}", "stop_lon": f"{LON}"},
        ],
        "routes.txt": [{"route_id": "r", "route_short_name": "7", "route_type": "3"}],
        "trips.txt": [
            {"route_id": "r", "service_id": "v", "trip_id": "t"},
            {"route_id": "r", "service_id": "v", "trip_id": "s"},
        ],
        "stop_times.txt": stop_times,
        "calendar_dates.txt": [{"service_id": "v", "date": "20261123", "exception_type": "1"}],
        "frequencies.txt": frequencies,
    }


def _window(start: str, end: str, headway: int, exact: str | None = None) -> dict[str, str]:
    row = {"trip_id": "t", "start_time": start, "end_time": end, "headway_secs": str(headway)}
    if exact is not None:
        row["exact_times"] = exact
    return row


def _departures(feed: Feed, stop: str) -> list[str]:
    """Each run's departure from `stop`, as HH:MM, in order."""
    return sorted(
        f"{st.departure // 3600:02d}:{st.departure % 3600 // 60:02d}"
        for st in feed.stop_times
        if st.stop_id == stop
    )


@pytest.mark.parametrize("exact", [None, "", "0", "1"])
def test_a_window_runs_from_start_every_headway_and_never_at_its_end(exact: str | None) -> None:
    """Every 30 minutes from 08:00 to 10:00 leaves last at 09:30 (the reference's example),
    whichever exact_times; the template's own 05:00 run is not a run."""
    tables = _tables([_window("08:00:00", "10:00:00", 1800, exact)])
    assert problems(tables) == []
    feed = Feed.from_tables(tables)
    assert _departures(feed, "a") == ["07:00", "08:00", "08:30", "09:00", "09:30"]
    assert {t.trip_id for t in feed.trips} == {
        "s", "t@08:00:00", "t@08:30:00", "t@09:00:00", "t@09:30:00"
    }  # fmt: skip
    arrivals = sorted(st.arrival for st in feed.stop_times if st.stop_id == "b")
    assert arrivals == [7 * 3600 + 720, 8 * 3600 + 720, 8 * 3600 + 2520, 9 * 3600 + 720,
                        9 * 3600 + 2520]  # fmt: skip


def test_several_windows_change_the_headway_and_run_past_midnight() -> None:
    """The reference's AWE1 pattern: one trip, headways changing through the day, the last
    window ending after 24:00."""
    tables = _tables(
        [
            _window("06:00:00", "06:20:00", 600),
            _window("06:20:00", "06:35:00", 300),
            _window("23:50:00", "24:30:00", 1200),
        ]
    )
    assert problems(tables) == []
    assert _departures(Feed.from_tables(tables), "a") == [
        "06:00", "06:10", "06:20", "06:25", "06:30", "07:00", "23:50", "24:10"
    ]  # fmt: skip


def test_the_validator_names_each_fault_of_a_window() -> None:
    def faults(row: dict[str, str]) -> str:
        return " | ".join(problems(_tables([row])))

    assert "trip_id 'nowhere' is not in trips.txt" in faults(
        {**_window("08:00:00", "09:00:00", 600), "trip_id": "nowhere"}
    )
    assert "headway_secs must be a whole number of seconds above 0" in faults(
        _window("08:00:00", "09:00:00", 0)
    )
    assert "headway_secs must be" in faults(
        {**_window("08:00:00", "09:00:00", 1), "headway_secs": "-60"}
    )
    assert "end_time 08:00:00 must be after start_time 09:00:00" in faults(
        _window("09:00:00", "08:00:00", 600)
    )
    assert "end_time 08:00:00 must be after" in faults(_window("08:00:00", "08:00:00", 600))
    assert "HH:MM:SS" in faults(_window("8:00", "09:00:00", 600))
    assert "exact_times must be empty, 0 or 1" in faults(_window("08:00:00", "09:00:00", 600, "2"))
    missing = {k: v for k, v in _window("08:00:00", "09:00:00", 600).items() if k != "end_time"}
    assert "frequencies.txt lacks the field(s) end_time" in faults(missing)
    overlapping = _tables(
        [_window("08:00:00", "09:00:00", 600), _window("08:30:00", "10:00:00", 900)]
    )
    assert any("overlaps the window of line 2" in p for p in problems(overlapping))
    touching = _tables([_window("08:00:00", "09:00:00", 600), _window("09:00:00", "10:00:00", 900)])
    assert problems(touching) == []


def test_a_feed_with_frequencies_reads_back_from_a_zip_and_a_folder(tmp_path: Path) -> None:
    tables = _tables([_window("08:00:00", "09:00:00", 1200, "1")])
    write_feed(tables, tmp_path / "feed.zip")
    write_feed(tables, tmp_path / "folder")
    assert read_tables(tmp_path / "feed.zip")["frequencies.txt"] == tables["frequencies.txt"]
    assert read_tables(tmp_path / "folder") == tables
    feed = load_feed(str(tmp_path / "feed.zip"))
    assert len(feed.trips) == 4  # s, and t at 08:00, 08:20, 08:40
    broken = copy.deepcopy(tables)
    broken["frequencies.txt"][0]["headway_secs"] = "0"
    write_feed(broken, tmp_path / "broken")
    with pytest.raises(Exception, match="headway_secs"):
        load_feed(str(tmp_path / "broken"))


def test_the_planner_rides_the_runs_of_a_window() -> None:
    """Every 20 minutes from 08:00 (exact_times=1): to be at B by 09:00 leave A at 08:40;
    ready at A at 08:41 the next run is 09:00, arriving 09:12."""
    feed = Feed.from_tables(_tables([_window("08:00:00", "10:00:00", 1200, "1")]))
    forward, backward = timetable.build(feed, DAY), timetable.build(feed, DAY, reverse=True)
    home, clinic = Point(LAT, LON), Point(LAT + 0.05, LON)
    there = arrive_by(
        backward, home, clinic, 9 * 3600, max_walk_m=800, max_transfers=0, forward=forward
    )
    assert there is not None and there.summary() == "buss 7 08:40–08:52, direkt"
    later = depart_after(forward, home, clinic, 8 * 3600 + 41 * 60, max_walk_m=800,
                         max_transfers=0)  # fmt: skip
    assert later is not None and later.summary() == "buss 7 09:00–09:12, direkt"
    last = depart_after(forward, home, clinic, 9 * 3600 + 41 * 60, max_walk_m=800,
                        max_transfers=0)  # fmt: skip
    assert last is None  # 10:00 is the window's end, not a run
