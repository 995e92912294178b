"""run_records carries a settled run into the reports without losing an öre."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from samfard.costs.allocation import settle_run
from samfard.costs.contracts import Contract, Need, PriceList, VehicleType
from samfard.costs.pricing import RunFacts, TripFacts
from samfard.reports.kpi import Kpi, aggregate, kpi_lines, run_records

TAXI = Contract(
    code="TX",
    carrier="Taxi",
    valid_from=date(2026, 1, 1),
    valid_to=None,
    area=frozenset(),
    tariffs=(PriceList(VehicleType.WHEELCHAIR, 9000, Decimal(1500), Decimal(400), Decimal(600)),),
)


def test_records_of_a_run_keep_its_cost_and_local_day() -> None:
    """Pickup 23:30 UTC on 30 Nov is 00:30 on 1 Dec in Stockholm: a December trip."""
    start = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    run = RunFacts(
        "r1",
        VehicleType.WHEELCHAIR,
        start,
        start + timedelta(minutes=40),
        Decimal(25),
        Decimal(35),
        Decimal(5),
        (
            TripFacts(
                "a",
                "23",
                "sjukresa",
                start,
                Decimal(20),
                Decimal(25),
                passengers=2,
                needs=frozenset({Need.WHEELCHAIR}),
            ),
            TripFacts("b", "2380", "fardtjanst", start, Decimal(10), Decimal(15)),
        ),
    )
    settled = settle_run(TAXI, run)
    promised = start
    records = run_records(
        run,
        settled,
        fees={"a": 20000},
        dialysis=frozenset({"a"}),
        pickups={"a": (promised, promised + timedelta(minutes=4))},
    )
    assert [r.day for r in records] == [date(2026, 12, 1)] * 2
    assert sum(r.allocated for r in records) == settled.cost.total
    assert [r.run_passengers for r in records] == [3, 3]
    lines = {line.kpi: line for line in kpi_lines(aggregate(records))}
    assert lines[Kpi.COORDINATION_RATE].outcome == 3  # 3 passengers in 1 vehicle trip
    assert lines[Kpi.DIALYSIS_TRIPS].outcome == 1
    assert lines[Kpi.FEES].outcome == 20000
    assert lines[Kpi.PUNCTUALITY].outcome == 100
