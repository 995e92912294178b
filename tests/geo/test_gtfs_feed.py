"""GTFS feeds: the demo feed is valid GTFS and the same on every run, a feed reads the same
from a zip and a folder, the validator names what is wrong, and the calendar decides
which trips run."""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from samfard.errors import InputError
from samfard.geo.gtfs import timetable
from samfard.geo.gtfs.check import LegQuery, Limits, Planner
from samfard.geo.gtfs.demo_feed import demo_tables, write_feed
from samfard.geo.gtfs.feed import Feed, read_tables
from samfard.geo.gtfs.store import load_feed
from samfard.geo.gtfs.validate import problems
from samfard.geo.places import packaged_rows
from samfard.geo.traveltime import Point

WEDNESDAY, SUNDAY = date(2026, 11, 25), date(2026, 11, 29)


@pytest.fixture(scope="module")
def tables() -> dict[str, list[dict[str, str]]]:
    return demo_tables()


def test_the_demo_feed_is_valid_and_deterministic(tables: dict[str, list[dict[str, str]]]) -> None:
    assert problems(tables) == []
    assert demo_tables() == tables


def test_the_demo_feed_serves_both_regions_and_both_town_networks(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    """Every hospital of the two counties has a stop; Östersund and Sundsvall have town
    lines; both agencies run trips."""
    stop_ids = {s["stop_id"] for s in tables["stops.txt"]}
    hospitals = [
        p["key"]
        for p in packaged_rows()
        if p["kind"] == "hospital" and p["municipality_code"][:2] in ("22", "23")
    ]
    assert hospitals and all(h in stop_ids for h in hospitals)
    names = {(r["agency_id"], r["route_short_name"]) for r in tables["routes.txt"]}
    assert {("lanstrafiken-z", "1"), ("dintur", "1"), ("norrtag", "Mittbanan")} <= names


def test_zip_and_folder_read_back_the_same_tables(
    tables: dict[str, list[dict[str, str]]], tmp_path: Path
) -> None:
    write_feed(tables, tmp_path / "feed.zip")
    write_feed(tables, tmp_path / "folder")
    assert read_tables(tmp_path / "feed.zip") == tables
    assert read_tables(tmp_path / "folder") == tables
    first = (tmp_path / "feed.zip").read_bytes()
    write_feed(tables, tmp_path / "again.zip")
    assert (tmp_path / "again.zip").read_bytes() == first
    assert len(load_feed(str(tmp_path / "feed.zip")).stops) == len(tables["stops.txt"])


def _broken(tables: dict[str, list[dict[str, str]]]) -> dict[str, list[dict[str, str]]]:
    return copy.deepcopy(tables)


def test_the_validator_names_each_kind_of_fault(tables: dict[str, list[dict[str, str]]]) -> None:
    missing = _broken(tables)
    del missing["stops.txt"]
    assert any("stops.txt is missing" in p for p in problems(missing))

    no_calendar = _broken(tables)
    del no_calendar["calendar.txt"]
    assert any("nothing says when trips run" in p for p in problems(no_calendar))

    dangling = _broken(tables)
    dangling["stop_times.txt"][0]["stop_id"] = "nowhere"
    assert any("'nowhere' is not in stops.txt" in p for p in problems(dangling))

    backwards = _broken(tables)
    backwards["stop_times.txt"][1]["arrival_time"] = "00:00:00"
    backwards["stop_times.txt"][1]["departure_time"] = "00:00:00"
    assert any("times must not decrease" in p for p in problems(backwards))

    bad_route = _broken(tables)
    bad_route["trips.txt"][0]["route_id"] = "no-such-route"
    assert any("not in routes.txt" in p for p in problems(bad_route))

    bad_time = _broken(tables)
    bad_time["stop_times.txt"][0]["departure_time"] = "8:5"
    assert any("HH:MM:SS" in p for p in problems(bad_time))


def test_an_invalid_feed_is_refused_with_its_problems(tmp_path: Path) -> None:
    (tmp_path / "stops.txt").write_text("stop_id,stop_name\n", encoding="utf-8")
    with pytest.raises(InputError, match="agency.txt is missing"):
        load_feed(str(tmp_path))
    with pytest.raises(InputError, match="neither a folder nor a zip"):
        load_feed(str(tmp_path / "stops.txt"))


def test_the_calendar_decides_which_trips_run(tables: dict[str, list[dict[str, str]]]) -> None:
    feed = Feed.from_tables(tables)
    assert feed.services_on(WEDNESDAY) == {"vardag"}
    assert feed.services_on(SUNDAY) == {"sondag"}
    removed = _broken(tables)
    removed["calendar_dates.txt"] = [
        {"service_id": "vardag", "date": "20261125", "exception_type": "2"},
        {"service_id": "sondag", "date": "20261125", "exception_type": "1"},
    ]
    holiday = Feed.from_tables(removed)
    assert holiday.services_on(WEDNESDAY) == {"sondag"}
    assert len(timetable.build(holiday, WEDNESDAY).patterns) < len(
        timetable.build(feed, WEDNESDAY).patterns
    )


def test_days_with_the_same_services_share_one_layout(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    """A year of bookings asks about hundreds of days; they are laid out once per set of
    running services, and a day with an exception gets its own layout."""
    removed = _broken(tables)
    removed["calendar_dates.txt"] = [
        {"service_id": "vardag", "date": "20261125", "exception_type": "2"},
        {"service_id": "sondag", "date": "20261125", "exception_type": "1"},
    ]
    planner = Planner(Feed.from_tables(removed), name="demo")
    thursday, next_week = WEDNESDAY + timedelta(days=1), WEDNESDAY + timedelta(days=7)
    assert planner.day(thursday) is planner.day(next_week)
    assert planner.day(WEDNESDAY) is planner.day(SUNDAY)  # the holiday runs Sunday's buses
    assert planner.day(WEDNESDAY) is not planner.day(thursday)
    forward, backward = planner.day(thursday)
    assert forward.services == backward.services == {"vardag"}
    assert not forward.reverse and backward.reverse


LIMITS = Limits(2, 800, Decimal("2.5"), 40, 10, 60)


def test_the_check_arrives_in_time_and_judges_wait_and_ratio(
    tables: dict[str, list[dict[str, str]]],
) -> None:
    """Östersund centre to the hospital by 10:00: on time, within the ratio; from the
    centre to Sveg the bus takes far longer than the car allows."""
    planner = Planner(Feed.from_tables(tables), name="demo")
    centre, hospital = Point(63.1767, 14.6361), Point(63.1710, 14.6590)
    answer = planner.answer(
        LegQuery("outward", centre, hospital, WEDNESDAY, 10 * 3600, True, 240), LIMITS
    )
    assert answer.journey is not None
    assert answer.journey.arrive_s <= 10 * 3600 - 600
    assert answer.journey.leave_s < answer.journey.arrive_s
    sveg = Point(62.0345, 14.3580)
    slow = planner.answer(LegQuery("outward", centre, sveg, WEDNESDAY, 14 * 3600, True, 60), LIMITS)
    assert slow.journey is None and "gånger bilens" in slow.text
    assert "dörr till dörr, mer än de" in slow.text and not re.search(r"\d\.\d", slow.text)
    far = planner.answer(
        LegQuery("return", Point(63.12, 14.74), centre, WEDNESDAY, 12 * 3600, False, 900), LIMITS
    )
    assert far.journey is None and "ingen hållplats" in far.text
