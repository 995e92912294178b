"""The invoice basis lists a carrier's runs of one month and totals them exactly."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from openpyxl import load_workbook

from samfard.costs.contracts import Contract, PriceList, VehicleType
from samfard.costs.pricing import CostBasis, RunFacts, TripFacts, run_cost
from samfard.reports.exports import invoice_basis
from samfard.reports.sheet import to_csv, to_xlsx
from samfard.timeutil import STOCKHOLM

TAXI = Contract(
    code="TX-2026",
    carrier="Taxi Jämt",
    valid_from=datetime(2026, 1, 1).date(),
    valid_to=None,
    area=frozenset({"2380"}),
    tariffs=(
        PriceList(
            VehicleType.TAXI,
            start_fee=4500,
            per_km=Decimal("1250.5"),
            per_driving_minute=Decimal(300),
            per_waiting_minute=Decimal(500),
        ),
    ),
)


def run(run_id: str, start: datetime, km: str) -> RunFacts:
    trip = TripFacts(run_id + "-t", "23", "sjukresa", start, Decimal(km), Decimal(20))
    return RunFacts(
        run_id,
        VehicleType.TAXI,
        start,
        start + timedelta(minutes=20),
        Decimal(km),
        Decimal(20),
        Decimal(0),
        (trip,),
        basis=CostBasis.ACTUAL,
    )


def test_invoice_basis_keeps_the_month_by_local_date_and_totals_exactly() -> None:
    """A run at 00:30 on 1 December (23:30 UTC on 30 November) belongs to December."""
    runs = [
        run("r2", datetime(2026, 11, 20, 9, 0, tzinfo=STOCKHOLM), "12.3"),
        run("r1", datetime(2026, 11, 3, 9, 0, tzinfo=STOCKHOLM), "7"),
        run("r3", datetime(2026, 12, 1, 0, 30, tzinfo=STOCKHOLM), "5"),
    ]
    priced = [(facts, run_cost(TAXI, facts)) for facts in runs]
    sheet = invoice_basis("Taxi Jämt", 2026, 11, priced)
    rows = list(csv.DictReader(StringIO(to_csv(sheet))))
    assert [r["run_id"] for r in rows] == ["r1", "r2", "TOTAL"]
    # r1: 45 + 7 * 12.505 = 87.535 -> 87.54 kr distance + 60 kr time = 192.54 kr
    assert rows[0]["distance_kr"] == "87.54" and rows[0]["total_kr"] == "192.54"
    # r2: 45 + 12.3 * 12.505 = 153.8115 -> 153.81 + 60 = 258.81 kr
    assert rows[1]["total_kr"] == "258.81"
    assert rows[2]["total_kr"] == "451.35"
    assert rows[0]["basis"] == "actual"
    book = load_workbook(BytesIO(to_xlsx([sheet])))
    last = list(book.active.iter_rows(values_only=True))[-1]
    assert last[0] == "TOTAL" and last[-1] == pytest.approx(451.35)  # Excel stores floats
