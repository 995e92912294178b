"""`samfard gtfs`: check a GTFS feed before pointing SAMFARD_GTFS at it, write the demo
feed out, and ask the journey planner one question from the command line."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    gtfs = subparsers.add_parser("gtfs", help="public-transport feeds (GTFS)")
    commands = gtfs.add_subparsers(dest="gtfs_command", required=True, metavar="ACTION")
    check = commands.add_parser("check", help="validate a feed and count what it holds")
    check.add_argument("path", nargs="?", default=None, help="a GTFS zip or folder (default: demo)")
    check.add_argument("--on", type=date.fromisoformat, default=None, help="count trips that day")
    check.set_defaults(handler=_check)
    demo = commands.add_parser("demo", help="write the demo feed as a zip or a folder")
    demo.add_argument("-o", "--output", type=Path, required=True, help="FILE.zip or a folder")
    demo.set_defaults(handler=_demo)
    plan = commands.add_parser("plan", help="a door-to-door journey between two points")
    plan.add_argument("origin", help="lat,lon")
    plan.add_argument("destination", help="lat,lon")
    plan.add_argument("--arrive-by", type=datetime.fromisoformat, default=None)
    plan.add_argument("--depart-after", type=datetime.fromisoformat, default=None)
    plan.add_argument("--max-walk", type=int, default=800, help="metres (default 800)")
    plan.add_argument("--max-transfers", type=int, default=2)
    plan.add_argument("--feed", default=None, help="a GTFS zip or folder (default: configured)")
    plan.set_defaults(handler=_plan)


def _check(args: argparse.Namespace) -> int:
    from samfard.geo.gtfs.store import load_feed

    feed = load_feed(args.path)
    print(
        f"{args.path or 'demo feed'}: valid; {len(feed.stops)} stops, {len(feed.routes)} "
        f"routes, {len(feed.trips)} trips, {len(feed.stop_times)} stop times"
    )
    if args.on is not None:
        running = feed.services_on(args.on)
        count = sum(1 for t in feed.trips if t.service_id in running)
        print(f"{count} trips run on {args.on}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from samfard.geo.gtfs.demo_feed import demo_tables, write_feed

    write_feed(demo_tables(), args.output)
    print(f"wrote the demo feed to {args.output}")
    return 0


def _point(text: str, field: str) -> tuple[float, float]:
    from samfard.errors import InputError

    try:
        lat, lon = (float(x) for x in text.split(","))
    except ValueError:
        raise InputError(f"{field} must be lat,lon such as 63.18,14.64, got {text!r}") from None
    return lat, lon


def _plan(args: argparse.Namespace) -> int:
    from samfard.errors import InputError
    from samfard.geo.gtfs.journey import arrive_by, clock, depart_after
    from samfard.geo.gtfs.store import configured_planner, planner_for
    from samfard.geo.traveltime import Point
    from samfard.timeutil import STOCKHOLM

    when = args.arrive_by or args.depart_after
    if when is None or (args.arrive_by and args.depart_after):
        raise InputError("give one of --arrive-by and --depart-after", field="arrive_by")
    planner = planner_for(args.feed) if args.feed else configured_planner()
    if planner is None:
        raise InputError("SAMFARD_GTFS is off: give --feed", field="feed")
    local = when.astimezone(STOCKHOLM) if when.tzinfo else when.replace(tzinfo=STOCKHOLM)
    forward, backward = planner.day(local.date())
    at = local.hour * 3600 + local.minute * 60
    a, b = Point(*_point(args.origin, "origin")), Point(*_point(args.destination, "destination"))
    limits = {"max_walk_m": args.max_walk, "max_transfers": args.max_transfers}
    journey = (
        arrive_by(backward, a, b, at, forward=forward, **limits)
        if args.arrive_by
        else depart_after(forward, a, b, at, **limits)
    )
    if journey is None:
        print("no journey within the limits")
        return 1
    print(f"{journey.summary()}: leave {clock(journey.leave_s)}, arrive {clock(journey.arrive_s)}")
    for ride in journey.rides:
        print(
            f"  {ride.line} mot {ride.headsign}: {ride.board_stop} {clock(ride.board_s)} → "
            f"{ride.alight_stop} {clock(ride.alight_s)}"
        )
    return 0
