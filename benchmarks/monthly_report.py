"""How long settlement and the monthly report take for a month of both regions' traffic.

A synthetic month (seeded): `--trips-per-day` passenger trips a day grouped into runs of
1-4 trips (about 1.5 per run, as rules.md gives for coordinated traffic), 5 % wheelchair
and 2 % stretcher trips, direct distances with a long tail (mean about 25 km), principals
and services of both regions. The same month of the year before is generated with 4 %
fewer trips so the report has a year-over-year comparison. Stages timed:

1. settle: run cost, standalone cost of every trip, allocation (and a check that each
   run's shares add up to its cost to the öre);
2. aggregate trips into KPI rows; 3. build the monthly report for all principals;
4. render PDF, HTML and CSV; 5. the invoice basis of one carrier (CSV + XLSX).

    .venv/bin/python benchmarks/monthly_report.py --trips-per-day 3000 --days 30
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

import results_table
from samfard.costs.allocation import RunAllocation, settle_run
from samfard.costs.contracts import Contract, Need, PriceList, VehicleType
from samfard.costs.pricing import CostBasis, RunFacts, TripFacts, run_cost
from samfard.reports.exports import invoice_basis, report_csv
from samfard.reports.kpi import TripRecord, aggregate, run_records
from samfard.reports.monthly import build_monthly_report
from samfard.reports.render_html import render_html
from samfard.reports.render_pdf import render_pdf
from samfard.reports.sheet import to_csv, to_xlsx
from samfard.timeutil import STOCKHOLM

T = TypeVar("T")

# Illustrative tariff (not a real contract): öre and öre per km / minute.
CONTRACT = Contract(
    code="BENCH",
    carrier="Bench Taxi",
    valid_from=date(2000, 1, 1),
    valid_to=None,
    area=frozenset(),
    tariffs=(
        PriceList(
            VehicleType.TAXI,
            4500,
            Decimal(1400),
            Decimal(700),
            Decimal(500),
            Decimal(20),
            Decimal(10),
        ),
        PriceList(
            VehicleType.WHEELCHAIR,
            6000,
            Decimal(1800),
            Decimal(900),
            Decimal(600),
            Decimal(20),
            Decimal(10),
            wheelchair_supplement=10000,
        ),
        PriceList(
            VehicleType.STRETCHER,
            15000,
            Decimal(2500),
            Decimal(1500),
            Decimal(900),
            Decimal(20),
            Decimal(10),
            stretcher_supplement=30000,
        ),
    ),
)
PAYERS = (
    ("23", "sjukresa"),
    ("22", "sjukresa"),
    ("2380", "fardtjanst"),
    ("2281", "fardtjanst"),
    ("2284", "riksfardtjanst"),
    ("RKM-23", "nartrafik"),
)


def synthetic_month(year: int, month: int, per_day: int, days: int, seed: int) -> list[RunFacts]:
    """Runs of a month; same arguments, same runs."""
    rng = random.Random(seed)
    runs: list[RunFacts] = []
    for d in range(days):
        day = date(year, month, 1) + timedelta(days=d)
        left = per_day
        while left > 0:
            size = min(left, rng.choices((1, 2, 3, 4), weights=(60, 25, 10, 5))[0])
            left -= size
            need = rng.choices((None, Need.WHEELCHAIR, Need.STRETCHER), weights=(93, 5, 2))[0]
            size = 1 if need is Need.STRETCHER else size
            vehicle = {
                None: VehicleType.TAXI,
                Need.WHEELCHAIR: VehicleType.WHEELCHAIR,
                Need.STRETCHER: VehicleType.STRETCHER,
            }[need]
            start = datetime(
                year, month, day.day, rng.randrange(5, 23), rng.randrange(60), tzinfo=STOCKHOLM
            )
            trips = []
            for i in range(size):
                km = Decimal(min(400.0, 2 + rng.expovariate(1 / 23))).quantize(Decimal("0.1"))
                principal, service = rng.choice(PAYERS)
                trips.append(
                    TripFacts(
                        f"{day:%Y%m%d}-{len(runs)}-{i}",
                        principal,
                        service,
                        start + timedelta(minutes=5 * i),
                        km,
                        (km * Decimal("1.1") + 4).quantize(1),
                        passengers=rng.choices((1, 2), weights=(85, 15))[0],
                        needs=frozenset({need}) if need and i == 0 else frozenset(),
                    )
                )
            longest = max(t.direct_km for t in trips)
            others = sum(t.direct_km for t in trips) - longest
            km = longest + others * Decimal("0.3")  # shared legs: detours of 30 % of the rest
            minutes = (km * Decimal("1.1") + 4 * size).quantize(1)
            runs.append(
                RunFacts(
                    f"r{len(runs)}",
                    vehicle,
                    start,
                    start + timedelta(minutes=int(minutes) + 5),
                    km,
                    minutes,
                    Decimal(5 * (size - 1)),
                    tuple(trips),
                    CostBasis.ACTUAL,
                )
            )
    return runs


def records(runs: list[RunFacts], settled: list[RunAllocation], seed: int) -> list[TripRecord]:
    """Trip records with simulated fees, dialysis flags, pickup delays and deviations."""
    rng = random.Random(seed)
    out: list[TripRecord] = []
    for run, alloc in zip(runs, settled, strict=True):
        ids = [t.trip_id for t in run.trips]
        lates = rng.choices((0, 5, 12, 25), weights=(70, 20, 7, 3), k=len(ids))
        out += run_records(
            run,
            alloc,
            fees={t.trip_id: 20000 if t.service == "sjukresa" else 6000 for t in run.trips},
            dialysis=frozenset(i for i in ids if rng.random() < 0.12),
            pickups={
                t.trip_id: (t.pickup_at, t.pickup_at + timedelta(minutes=late))
                for t, late in zip(run.trips, lates, strict=True)
            },
            deviations={i: 1 for i in ids if rng.random() < 0.004},
        )
    return out


def timed(rows: list[list[str]], stage: str, items: int, work: Callable[[], T]) -> T:
    begin = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - begin
    rows.append([stage, str(items), f"{seconds:.3f}", f"{seconds / max(items, 1) * 1e6:.1f}"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trips-per-day", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--name", default="monthly_report")
    args = parser.parse_args()
    year, month = 2026, 11
    now_runs = synthetic_month(year, month, args.trips_per_day, args.days, args.seed)
    before_runs = synthetic_month(
        year - 1, month, int(args.trips_per_day * 0.96), args.days, args.seed + 1
    )
    trips = sum(len(r.trips) for r in now_runs)
    rows: list[list[str]] = []
    settled = timed(
        rows,
        "settle runs (cost, standalone, allocation)",
        len(now_runs),
        lambda: [settle_run(CONTRACT, r) for r in now_runs],
    )
    exact = sum(sum(t.allocated for t in a.trips) == a.cost.total for a in settled)
    before = [settle_run(CONTRACT, r) for r in before_runs]
    recs = records(now_runs, settled, args.seed) + records(before_runs, before, args.seed + 1)
    agg = timed(rows, "aggregate trips into KPI rows", len(recs), lambda: aggregate(recs))
    report = timed(
        rows,
        "build monthly report (all principals)",
        len(agg),
        lambda: build_monthly_report(agg, year=year, month=month, scope="Alla"),
    )
    pdf = timed(rows, "render PDF", 1, lambda: render_pdf(report))
    timed(rows, "render HTML", 1, lambda: render_html(report))
    timed(rows, "render report CSV", 1, lambda: report_csv(report))
    priced = [(r, a.cost) for r, a in zip(now_runs, settled, strict=True)]
    sheet = timed(
        rows,
        "invoice basis rows",
        len(priced),
        lambda: invoice_basis(CONTRACT.carrier, year, month, priced),
    )
    timed(rows, "invoice basis CSV", len(priced), lambda: to_csv(sheet))
    timed(rows, "invoice basis XLSX", len(priced), lambda: to_xlsx([sheet]))
    assert run_cost(CONTRACT, now_runs[0]).total == settled[0].cost.total
    saving = sum(a.saving for a in settled) / max(sum(a.standalone for a in settled), 1) * 100
    header = ["stage", "items", "seconds", "us_per_item"]
    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  {'items':>8}  {'seconds':>8}  {'us/item':>9}")
    for r in rows:
        print(f"{r[0]:<{width}}  {r[1]:>8}  {r[2]:>8}  {r[3]:>9}")
    print(
        f"runs {len(now_runs)}, trips {trips}, exact allocations {exact}/{len(settled)}, "
        f"saving {saving:.1f} %, PDF {len(pdf)} bytes"
    )
    results_table.save(
        args.name,
        "Settlement and monthly report on a synthetic month",
        [
            f"settings: {args.trips_per_day} trips/day x {args.days} days, seed {args.seed}, "
            f"last year 4 % fewer trips; contract {CONTRACT.code} (illustrative tariff)",
            f"result: {len(now_runs)} runs, {trips} trips; allocations exact to the öre "
            f"{exact}/{len(settled)}; coordination saving {saving:.1f} %; PDF {len(pdf)} bytes",
        ],
        header,
        rows,
    )


if __name__ == "__main__":
    main()
