"""What assessment adds to booking: facts from the database, then the engine, per booking.

A synthetic demo day is loaded into a fresh SQLite database through the booking services
(so every booking was assessed at creation); then every stored booking is assessed again,
timing the two halves apart: reading the facts (register, gazetteer, fee ledger) and the
pure engine. The outcomes the bookings got at creation are counted by service and region.

    .venv/bin/python benchmarks/assessment_latency.py
    .venv/bin/python benchmarks/assessment_latency.py --trips 300 --seed 2
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

import results_table
from samfard.assessment.facts import build_request
from samfard.assessment.service import trip_of
from samfard.booking.models import Booking
from samfard.db import make_engine, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.errors import DomainError
from samfard.reference import load_reference_data
from samfard.rules.engine import assess
from samfard.rules.loader import shipped_rulebooks
from samfard.travellers.models import Traveller

FIELDS = ("part", "bookings", "p50_ms", "p95_ms", "max_ms", "mean_ms")


def _row(part: str, values: list[float]) -> dict[str, str]:
    return {
        "part": part,
        "bookings": str(len(values)),
        "p50_ms": f"{statistics.median(values):.2f}",
        "p95_ms": f"{statistics.quantiles(values, n=20)[18]:.2f}",
        "max_ms": f"{max(values):.2f}",
        "mean_ms": f"{statistics.fmean(values):.2f}",
    }


def measure(args: argparse.Namespace) -> tuple[list[dict[str, str]], Counter[str], float]:
    folder = Path(tempfile.mkdtemp(prefix="samfard-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    books = shipped_rulebooks()
    with Session(engine, expire_on_commit=False) as session:
        load_reference_data(session=session)
        started = time.perf_counter()
        load_day(session=session, demo=generate_day(args.day, seed=args.seed, trips=args.trips))
        load_s = time.perf_counter() - started
        facts_ms: list[float] = []
        engine_ms: list[float] = []
        outcomes: Counter[str] = Counter()
        for booking in session.scalars(select(Booking).order_by(Booking.id)):
            stored = booking.decision or {}
            region = booking.principal_code[:2]
            outcomes[f"{booking.service} {region}: {stored.get('outcome')}"] += 1
            traveller = session.get(Traveller, booking.traveller_id)
            assert traveller is not None
            t0 = time.perf_counter()
            request = build_request(session, trip_of(booking), traveller, books)
            t1 = time.perf_counter()
            # A missing fact (the booking then waits for a person) still costs its time.
            with contextlib.suppress(DomainError):
                assess(request, books)
            t2 = time.perf_counter()
            facts_ms.append((t1 - t0) * 1000)
            engine_ms.append((t2 - t1) * 1000)
    engine.dispose()
    totals = [f + e for f, e in zip(facts_ms, engine_ms, strict=True)]
    rows = [_row("facts", facts_ms), _row("engine", engine_ms), _row("total", totals)]
    return rows, outcomes, load_s


def save(
    rows: list[dict[str, str]], outcomes: Counter[str], load_s: float, args: argparse.Namespace
) -> None:
    text = results_table.save(
        "assessment_latency",
        "Assessment latency per booking",
        [
            "one process (the load average below says what else ran)",
            f"settings: demo day {args.day}, {args.trips} trips, seed {args.seed}, SQLite file "
            "database, shipped rulebooks, geodesic road distances",
            f"loading the day through the booking services (assessing each): {load_s:.1f} s",
        ],
        FIELDS,
        rows,
        after=[
            "",
            "Outcomes at creation:",
            "",
            *(f"- {key}: {count}" for key, count in sorted(outcomes.items())),
        ],
    )
    print(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", type=date.fromisoformat, default=date(2026, 11, 24))
    parser.add_argument("--trips", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows, outcomes, load_s = measure(args)
    save(rows, outcomes, load_s, args)


if __name__ == "__main__":
    main()
