"""`samfard costs check|settle` read JSON files and report with the contract and field."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest

from samfard.cli import costs
from samfard.errors import Conflict, InputError, NotFound

TAXI = {
    "code": "TX-2026",
    "carrier": "Taxi Jämt",
    "valid_from": "2026-01-01",
    "valid_to": "2026-12-31",
    "area": ["2380"],
    "tariffs": [
        {
            "vehicle_type": "taxi",
            "start_fee": 4500,
            "per_km": "1200",
            "per_driving_minute": 300,
            "per_waiting_minute": 500,
        }
    ],
}
RUN = {
    "run_id": "r1",
    "carrier": "Taxi Jämt",
    "vehicle_type": "taxi",
    "start": "2026-11-23T10:00:00+01:00",
    "end": "2026-11-23T10:45:00+01:00",
    "driven_km": "30",
    "driving_minutes": 40,
    "waiting_minutes": 5,
    "trips": [
        {
            "trip_id": "a",
            "principal": "23",
            "service": "sjukresa",
            "pickup_at": "2026-11-23T10:00:00+01:00",
            "direct_km": 20,
            "direct_minutes": 25,
        },
        {
            "trip_id": "b",
            "principal": "2380",
            "service": "fardtjanst",
            "pickup_at": "2026-11-23T10:05:00+01:00",
            "direct_km": 15,
            "direct_minutes": 20,
        },
    ],
}


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    costs.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


def write(tmp_path: Path, name: str, data: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_settle_prints_the_hand_computed_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contracts = write(tmp_path, "c.json", [TAXI])
    assert run_cli(["costs", "settle", contracts, write(tmp_path, "r.json", RUN)]) == 0
    out = capsys.readouterr().out.replace("\xa0", " ")
    assert "total" in out and "550,00 kr" in out
    assert "306,98 kr" in out and "243,02 kr" in out  # see test_allocation
    assert "coordination saving 95,00 kr" in out


def test_check_refuses_overlap_naming_both(tmp_path: Path) -> None:
    second = {**TAXI, "code": "TX-2027", "valid_from": "2026-12-31", "valid_to": None}
    with pytest.raises(Conflict, match="TX-2027.*TX-2026"):
        run_cli(["costs", "check", write(tmp_path, "c.json", [TAXI, second])])


def test_settle_refuses_run_without_priced_vehicle_type(tmp_path: Path) -> None:
    contracts = write(tmp_path, "c.json", [TAXI])
    run = write(tmp_path, "r.json", {**RUN, "vehicle_type": "stretcher", "trips": RUN["trips"]})
    with pytest.raises(NotFound, match="Taxi Jämt prices vehicle type .stretcher."):
        run_cli(["costs", "settle", contracts, run])


def test_missing_run_field_is_named(tmp_path: Path) -> None:
    contracts = write(tmp_path, "c.json", [TAXI])
    broken = {k: v for k, v in RUN.items() if k != "driven_km"}
    with pytest.raises(InputError, match="missing field 'driven_km'"):
        run_cli(["costs", "settle", contracts, write(tmp_path, "r.json", broken)])
