"""Demo history: two years back, priced by the contracts, allocations add up, loaded once."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from datetime import date, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from samfard.costs.contracts import Contract, parse_contract
from samfard.costs.models import SettledRun, SettledTrip
from samfard.costs.service import DEMO_CONTRACTS, load_contract_files
from samfard.demo.history import HistorySettings, generate_history, history_start, load_history
from samfard.timeutil import local

END = date(2026, 11, 23)
NOW = local(date(2026, 11, 22), time(12, 0))
SMALL = HistorySettings(weekday_trips=6)


def _contracts() -> list[Contract]:
    out = []
    for path in sorted(DEMO_CONTRACTS.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        head = data["carrier"]
        for raw in data["contracts"]:
            out.append(
                parse_contract({**raw, "carrier": head["name"], "own_fleet": head["own_fleet"]})
            )
    return out


def test_history_starts_two_years_back_on_the_first_of_a_month() -> None:
    """25 months with the demo month: last year is whole from January for any demo day."""
    assert history_start(END) == date(2024, 11, 1)
    assert history_start(date(2026, 1, 5)) == date(2024, 1, 1)
    assert history_start(date(2026, 12, 31)) == date(2024, 12, 1)
    for month in range(1, 13):
        assert history_start(date(2027, month, 28)) <= date(2026, 1, 1)


def test_history_makes_last_year_whole_for_the_year_to_date_comparison() -> None:
    """The demo contracts start 2025-01-01, so history starts there (nothing to price
    before) and a report of any month of 2026 has a whole 2025 to compare with."""
    for end in (date(2026, 2, 10), END, date(2026, 12, 2)):
        runs, _ = generate_history(_contracts(), end_day=end, seed=4, now=NOW, settings=SMALL)
        assert min(r["day"] for r in runs) == date(2025, 1, 1)


def test_history_is_deterministic_and_each_run_is_split_to_the_ore() -> None:
    runs, trips = generate_history(_contracts(), end_day=END, seed=4, now=NOW, settings=SMALL)
    again = generate_history(_contracts(), end_day=END, seed=4, now=NOW, settings=SMALL)
    assert (runs, trips) == again
    days = {r["day"] for r in runs}
    assert min(days) == date(2025, 1, 1) and max(days) == date(2026, 11, 22)
    borne: dict[str, int] = defaultdict(int)
    for trip in trips:
        borne[trip["run_ref"]] += trip["allocated_ore"]
    assert all(borne[r["run_ref"]] == r["total_ore"] for r in runs)
    assert {t["service"] for t in trips} >= {"sjukresa", "fardtjanst"}
    assert any(t["stretcher"] for t in trips) and any(t["dialysis"] for t in trips)


def test_the_2026_taxi_contract_prices_a_taxi_km_higher_than_2025() -> None:
    runs, _ = generate_history(_contracts(), end_day=END, seed=4, now=NOW, settings=SMALL)
    per_km = {
        code: sum(r["distance_ore"] for r in runs if r["contract_code"] == code)
        / sum(r["driven_m"] for r in runs if r["contract_code"] == code)
        for code in ("JH-TAXI-2025", "JH-TAXI-2026")
    }
    assert per_km["JH-TAXI-2026"] > per_km["JH-TAXI-2025"]
    assert all(r["contract_code"] != "JH-TAXI-2025" or r["day"] < date(2026, 4, 1) for r in runs)


def test_loading_history_twice_stores_it_once(session: Session) -> None:
    load_contract_files(session)
    first = load_history(session, end_day=END, seed=4, now=NOW, settings=SMALL)
    assert first is not None and first.trips > 0
    assert load_history(session, end_day=END, seed=4, now=NOW, settings=SMALL) is None
    assert session.scalar(select(func.count(SettledTrip.id))) == first.trips
    assert session.scalar(select(func.count(SettledRun.id))) == first.runs


def test_history_runs_with_one_trip_save_exactly_nothing() -> None:
    runs, trips = generate_history(_contracts(), end_day=END, seed=4, now=NOW, settings=SMALL)
    on_run: dict[str, list[dict[str, object]]] = defaultdict(list)
    for trip in trips:
        on_run[str(trip["run_ref"])].append(trip)
    alone = [ts[0] for ts in on_run.values() if len(ts) == 1]
    assert len(alone) > 100
    assert all(t["standalone_ore"] == t["allocated_ore"] for t in alone)
    shared = [t for ts in on_run.values() if len(ts) > 1 for t in ts]
    assert sum(int(t["standalone_ore"]) - int(t["allocated_ore"]) for t in shared) > 0
