"""The GTFS-Flex export: the feed of the stored lines and the närtrafik terms passes our
validator on SQLite and PostgreSQL, carries what journey planners need (booking rules with
the right notice, windows from the rulebook, zones), and the validator fails feeds that
break the spec's required fields, conditions and references."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from samfard.cli import main
from samfard.config import get_settings
from samfard.errors import InputError
from samfard.lines import flex_check
from samfard.lines.export import export_flex
from samfard.lines.flex import convex_hull

MONDAY = date(2026, 11, 23)


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


@pytest.fixture
def feed(session: Session) -> dict[str, str]:
    return export_flex(session=session, start=MONDAY, days=30)


def test_the_exported_feed_is_valid(feed: dict[str, str]) -> None:
    assert flex_check.problems(feed) == []
    for name in ("agency.txt", "routes.txt", "trips.txt", "stop_times.txt", "calendar.txt",
                 "stops.txt", "booking_rules.txt", "locations.geojson"):  # fmt: skip
        assert name in feed


def test_a_booked_line_is_served_only_when_booked_with_the_notice_of_its_stop(
    feed: dict[str, str],
) -> None:
    times = [r for r in rows(feed, "stop_times.txt") if r["trip_id"].startswith("line:AL-164")]
    assert times and all(r["pickup_type"] == "2" and r["drop_off_type"] == "2" for r in times)
    rules = {r["booking_rule_id"]: r for r in rows(feed, "booking_rules.txt")}
    hede = next(
        r for r in times if r["stop_id"] == "place:hede" and r["departure_time"] == "07:30:00"
    )
    # Two hours before Funäsdalen 06:40, and Hede is 50 minutes down the line.
    assert rules[hede["pickup_booking_rule_id"]]["prior_notice_duration_min"] == "170"


def test_nartrafik_is_a_zone_with_the_rulebook_windows(feed: dict[str, str]) -> None:
    zones = json.loads(feed["locations.geojson"])["features"]
    assert {z["id"] for z in zones} == {"zone:RKM-22", "zone:RKM-23"}
    windows = {
        (r["start_pickup_drop_off_window"], r["end_pickup_drop_off_window"])
        for r in rows(feed, "stop_times.txt")
        if r["location_id"] == "zone:RKM-23"
    }
    assert windows == {("09:00:00", "13:00:00"), ("17:00:00", "22:00:00")}
    points = {r["stop_id"] for r in rows(feed, "location_group_stops.txt")
              if r["location_group_id"] == "points:RKM-23"}  # fmt: skip
    assert "place:follinge" in points and "place:sundsvall" not in points


def test_the_zone_contains_the_places_it_spans() -> None:
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.5, 0.5)]
    ring = convex_hull(square, margin=0.1)
    assert ring[0] == ring[-1] and len(ring) == 5
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert min(xs) < 0 and max(xs) > 1 and min(ys) < 0 and max(ys) > 1


def _edit(feed: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    assert old in feed[name], old
    return {**feed, name: feed[name].replace(old, new, 1)}


def test_the_validator_fails_broken_feeds(feed: dict[str, str]) -> None:
    missing = {k: v for k, v in feed.items() if k != "agency.txt"}
    assert "agency.txt: required file is missing" in flex_check.problems(missing)
    dangling = _edit(feed, "trips.txt", "days-", "nodays-")
    assert any("service_id" in p and "is not defined" in p for p in flex_check.problems(dangling))
    unknown_rule = _edit(feed, "booking_rules.txt", "RKM-23:nartrafik", "RKM-23:other")
    assert any("pickup_booking_rule_id" in p for p in flex_check.problems(unknown_rule))
    regular_pickup = _edit(feed, "stop_times.txt", "22:00:00,2,2", "22:00:00,0,2")
    assert any("pickup_type: 0 or 3" in p for p in flex_check.problems(regular_pickup))
    notice = _edit(feed, "booking_rules.txt", ",1,120,", ",1,,")
    assert any("prior_notice_duration_min" in p for p in flex_check.problems(notice))
    open_ring = json.loads(feed["locations.geojson"])
    open_ring["features"][0]["geometry"]["coordinates"][0].pop()
    broken = {**feed, "locations.geojson": json.dumps(open_ring)}
    assert any("must be closed" in p for p in flex_check.problems(broken))


def test_export_days_are_bounded(session: Session) -> None:
    with pytest.raises(InputError, match="days must be"):
        export_flex(session=session, start=MONDAY, days=0)


def test_the_command_writes_the_feed(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SAMFARD_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert main(["export", "flex", "-o", str(tmp_path), "--from", "2026-11-23"]) == 0
    finally:
        get_settings.cache_clear()
    written = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    assert flex_check.problems(written) == []
    assert "20261123" in written["calendar.txt"]
