"""`samfard costs check|settle` read JSON files and report with the contract and field."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samfard.cli import costs, main
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


def run_main(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Exit code and stderr of the real `samfard` entry point (a traceback fails the test)."""
    code = main(argv)
    return code, capsys.readouterr().err


def with_tariff(name: str, value: object) -> dict[str, Any]:
    """The taxi contract with one field of its tariff changed."""
    tariffs: list[dict[str, Any]] = TAXI["tariffs"]  # type: ignore[assignment]
    return {**TAXI, "tariffs": [{**tariffs[0], name: value}]}


def with_trip(**fields: Any) -> dict[str, Any]:
    return {**RUN, "trips": [{**RUN["trips"][0], **fields}]}  # type: ignore[index]


@pytest.mark.parametrize(
    "run, says",
    [
        ({**RUN, "driven_km": "Infinity"}, "run r1: driven_km must be a finite number (km)"),
        ({**RUN, "driven_km": "NaN"}, "run r1: driven_km must be a finite number (km)"),
        ({**RUN, "driven_km": "abc"}, "run r1: driven_km must be a number (km), got 'abc'"),
        ({**RUN, "driving_minutes": True}, "run r1: driving_minutes must be a number (min)"),
        ({**RUN, "waiting_minutes": -1}, "run r1: waiting_minutes must be zero or more"),
        ({**RUN, "trips": "abc"}, "run r1: trips must be a list of objects"),
        ({**RUN, "trips": [1]}, "run r1: trips must be a list of objects"),
        ({**RUN, "start": "2026-11-23T10:00:00"}, "run r1: start must be a time with offset"),
        ({**RUN, "end": 5}, "run r1: end must be a time with offset"),
        ({**RUN, "basis": "guess"}, "run r1: basis must be one of planned, actual"),
        ({**RUN, "vehicle_day_share": "2"}, "run r1: vehicle_day_share must be at most 1"),
        ({**RUN, "run_id": None}, "run file: run_id must be a text"),
        (with_trip(direct_minutes="1e400"), "run r1, trip a: direct_minutes must be at most"),
        (with_trip(direct_km=[1]), "run r1, trip a: direct_km must be a number (km)"),
        (with_trip(passengers="x"), "run r1, trip a: passengers must be a whole number"),
        (with_trip(passengers=1.5), "run r1, trip a: passengers must be a whole number"),
        (with_trip(needs="wheelchair"), "run r1, trip a: needs must be a list"),
        (with_trip(needs=["wings"]), "run r1, trip a: needs must be one of wheelchair"),
        (with_trip(pickup_at=None), "run r1, trip a: pickup_at must be a time with offset"),
    ],
)
def test_a_bad_run_file_gets_one_line_naming_the_run_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], run: dict[str, Any], says: str
) -> None:
    contracts = write(tmp_path, "c.json", [TAXI])
    code, err = run_main(["costs", "settle", contracts, write(tmp_path, "r.json", run)], capsys)
    assert code == 2
    assert err.startswith(f"samfard: {says}") and err.count("\n") == 1, err


@pytest.mark.parametrize(
    "contracts, says",
    [
        ([1], "contract 1 must be a JSON object"),
        ([TAXI, "TX"], "contract 2 must be a JSON object"),
        ({"code": "TX"}, "must hold a JSON list of contracts"),
        (
            [with_tariff("start_fee", 45.5)],
            "contract TX-2026, tariff taxi: start_fee is whole öre (1 kr = 100 öre), got 45.5; "
            "write 4550 for 45,50 kr",
        ),
        (
            [with_tariff("start_fee", True)],
            "contract TX-2026, tariff taxi: start_fee must be a number (öre), got True",
        ),
        (
            [with_tariff("per_km", "Infinity")],
            "contract TX-2026, tariff taxi: per_km must be a finite number (öre)",
        ),
    ],
)
def test_a_bad_contracts_file_is_refused_by_check_and_settle_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], contracts: Any, says: str
) -> None:
    path = write(tmp_path, "c.json", contracts)
    for argv in (["costs", "check", path], ["costs", "settle", path, write(tmp_path, "r", RUN)]):
        code, err = run_main(argv, capsys)
        assert code == 2 and says in err and err.count("\n") == 1, err


def test_a_whole_start_fee_written_with_a_point_settles_as_whole_ore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contracts = write(tmp_path, "c.json", [with_tariff("start_fee", 4500.0)])
    assert main(["costs", "settle", contracts, write(tmp_path, "r.json", RUN)]) == 0
    assert "550,00 kr" in capsys.readouterr().out.replace("\xa0", " ")


RUN_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.sampled_from(["Infinity", "NaN", "1e400", "abc", "2026-11-23T10:00:00+01:00"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


RUN_FIELDS = {*RUN, *RUN["trips"][0], "passengers", "needs", "basis"}  # type: ignore[index]


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from([k for k in RUN if k != "trips"] + ["trips", "basis"]),
    trip_field=st.sampled_from([*RUN["trips"][0], "passengers", "needs"]),  # type: ignore[index]
    value=RUN_VALUES,
    in_trip=st.booleans(),
)
def test_any_value_in_a_run_file_is_read_or_refused_as_input(
    field: str, trip_field: str, value: object, in_trip: bool
) -> None:
    """Whatever a run file holds, it is a run or an InputError naming a field: never the
    TypeError or InvalidOperation that the command printed as a traceback."""
    run = with_trip(**{trip_field: value}) if in_trip else {**RUN, field: value}
    try:
        costs._parse_run(run)
    except InputError as error:
        assert error.field in RUN_FIELDS
