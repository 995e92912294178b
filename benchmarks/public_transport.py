"""The public-transport check per booking on the demo feed, and how many of the demo
day's taxi trips could have gone by bus or train.

A synthetic demo day (samfard.demo.generator, pure: no database) gives the bookings; each
booking asking for a taxi (no wheelchair, no stretcher) is checked leg by leg by the same
GtfsCheck the assessment uses, within the limits of its county's sjukresa rulebook. The
time per booking covers all its legs; the first call that lays out the day is timed apart.
Färdtjänst holders have a permit saying they cannot travel by public transport, so their
share says what the timetable would allow, not what the rules would.

    .venv/bin/python benchmarks/public_transport.py
    .venv/bin/python benchmarks/public_transport.py --trips 3000 --seed 2
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from datetime import date
from decimal import Decimal

import results_table
from samfard.demo.generator import DemoBooking, generate_day
from samfard.geo.gtfs.store import planner_for
from samfard.rules.facts import Leg, Service, Trip
from samfard.rules.loader import shipped_rulebooks
from samfard.rules.public_transport import GtfsCheck
from samfard.rules.schema import PublicTransport, SjukresaVersion

TIMING = ("part", "count", "p50_ms", "p95_ms", "max_ms", "mean_ms")
SHARE = ("service", "region", "taxi_bookings", "pt_possible", "share", "legs", "legs_possible")


def _limits(day: date) -> dict[str, PublicTransport]:
    books = shipped_rulebooks()
    found: dict[str, PublicTransport] = {}
    for county in ("22", "23"):
        _, version = books.get(county, Service.SJUKRESA).version_on(day)
        assert isinstance(version, SjukresaVersion) and version.public_transport is not None
        found[county] = version.public_transport
    return found


def _trip(booking: DemoBooking) -> Trip:
    legs = tuple(
        Leg(
            direction="outward" if leg.return_of is None else "return",
            depart_at=leg.pickup_at or leg.appointment_at,  # type: ignore[arg-type]
            distance_km=Decimal(0),
            origin_municipality=leg.origin.municipality_code,
            destination_municipality=leg.destination.municipality_code,
            origin_point=(leg.origin.lat, leg.origin.lon),
            destination_point=(leg.destination.lat, leg.destination.lon),
            arrive_by=leg.pickup_at is None,
        )
        for leg in booking.legs
    )
    return Trip(service=Service.SJUKRESA, principal=booking.principal_code[:2], legs=legs)


def _timing(part: str, values: list[float]) -> dict[str, str]:
    return {
        "part": part,
        "count": str(len(values)),
        "p50_ms": f"{statistics.median(values):.2f}",
        "p95_ms": f"{statistics.quantiles(values, n=20)[18]:.2f}" if len(values) > 1 else "-",
        "max_ms": f"{max(values):.2f}",
        "mean_ms": f"{statistics.fmean(values):.2f}",
    }


def measure(args: argparse.Namespace) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    t0 = time.perf_counter()
    planner = planner_for(None)
    feed_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    planner.day(args.day)
    day_ms = (time.perf_counter() - t0) * 1000
    check = GtfsCheck(planner)
    limits = _limits(args.day)
    demo = generate_day(args.day, seed=args.seed, trips=args.trips)
    per_booking: list[float] = []
    searched: list[float] = []  # bookings with a stop within a walk at both ends of a leg
    bookings: Counter[tuple[str, str]] = Counter()
    possible: Counter[tuple[str, str]] = Counter()
    legs: Counter[tuple[str, str]] = Counter()
    legs_ok: Counter[tuple[str, str]] = Counter()
    for booking in demo.bookings:
        if booking.needs:  # wheelchair or stretcher: a special vehicle, never the bus
            continue
        if booking.principal_code.startswith("RKM-"):  # a booked line: public transport already
            continue
        county = booking.principal_code[:2]
        key = (booking.service, county)
        t = time.perf_counter()
        answer = check.check(_trip(booking), limits[county])
        per_booking.append((time.perf_counter() - t) * 1000)
        assert answer is not None
        if not all(leg.text.startswith("ingen hållplats") for leg in answer):
            searched.append(per_booking[-1])
        bookings[key] += 1
        possible[key] += all(leg.possible for leg in answer)
        legs[key] += len(answer)
        legs_ok[key] += sum(leg.possible for leg in answer)
    timing = [
        _timing("load the feed (first use)", [feed_ms]),
        _timing("lay out the day (first check of a day)", [day_ms]),
        _timing("first check after that (cold code paths)", per_booking[:1]),
        _timing("check per booking (all legs), the rest", per_booking[1:]),
        _timing("  of which a journey search ran", searched[1:]),
    ]
    shares = []
    for key in sorted(bookings):
        shares.append(
            {
                "service": key[0],
                "region": key[1],
                "taxi_bookings": str(bookings[key]),
                "pt_possible": str(possible[key]),
                "share": f"{possible[key] / bookings[key]:.0%}",
                "legs": str(legs[key]),
                "legs_possible": str(legs_ok[key]),
            }
        )
    total = sum(bookings.values())
    shares.append(
        {
            "service": "all",
            "region": "22+23",
            "taxi_bookings": str(total),
            "pt_possible": str(sum(possible.values())),
            "share": f"{sum(possible.values()) / total:.0%}",
            "legs": str(sum(legs.values())),
            "legs_possible": str(sum(legs_ok.values())),
        }
    )
    return timing, shares


def save(
    timing: list[dict[str, str]], shares: list[dict[str, str]], args: argparse.Namespace
) -> None:
    results_table.write_csv("public_transport", SHARE, shares)
    notes = [
        "one process (the load average below says what else ran)",
        f"settings: demo feed, demo day {args.day} (seed {args.seed}, {args.trips} trips), "
        "taxi bookings = no wheelchair or stretcher; limits of each county's sjukresa "
        "rulebook (2 transfers, 800 m walk, 2.5 x car time over 40 min, 10 min before "
        "the appointment, 60 min wait)",
    ]
    text = results_table.write_markdown(
        "public_transport",
        [
            *results_table.header(
                "Public-transport check per booking, and taxi trips that could go by bus", notes
            ),
            *results_table.table(TIMING, timing),
            "",
            "Taxi bookings of the day for which every leg had a public-transport journey "
            "within the limits (färdtjänst: what the timetable allows; the permit still "
            "decides):",
            "",
            *results_table.table(SHARE, shares),
        ],
    )
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--trips", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    timing, shares = measure(args)
    save(timing, shares, args)


if __name__ == "__main__":
    main()
