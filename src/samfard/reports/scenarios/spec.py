"""A scenario SPEC: fleet mixes and a demand, read from TOML with errors that say what to fix.

A SPEC names a demand (a sample of the demo generator's days for a seed, and a growth in
per cent) and two or more scenarios. The first scenario is the baseline the others are
compared with. A scenario is the demo fleet (procured carriers plus the existing own
fleet), minus the procured vehicle types it names per county, plus own vehicles (egen
regi) at depots, each priced by an own-vehicle cost sheet: purchase or lease,
depreciation, insurance, fuel, maintenance, a driver paid for the whole shift with
on-costs, overhead and depot. `fleet_cost_model` turns a sheet into the cost model
settlement already uses (costs.contracts.FleetCostModel), so an own vehicle is planned and
settled by the same code as the region's existing own fleet.

Money in a SPEC is in kronor (numbers or strings such as "1452.5"), read as Decimal and
held in öre; no float ever carries money.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from samfard.costs.contracts import FleetCostModel, VehicleType
from samfard.errors import InputError
from samfard.planning.solve import ENGINES
from samfard.reports.scenarios.centre import CentreCosts, load_centre

COUNTIES = {"22": "Region Västernorrland", "23": "Region Jämtland Härjedalen"}
MAX_DAYS = 60
MAX_TRIPS = 5000
MAX_SEED = 2**31 - 1  # the largest 32-bit signed integer, as every id here


@dataclass(frozen=True)
class OwnCostSheet:
    """What an own vehicle of one type costs, in öre, and the parts it is made of.

    A vehicle is either bought (`purchase`, written off straight-line over
    `depreciation_years` down to `residual_pct`) or leased (`lease_per_month`). The
    vehicle-day carries capital, insurance, overhead and depot over `days_per_year`
    operating days; km carry fuel and maintenance; the driver hour carries wage and on-cost.
    """

    name: str
    purchase: Decimal
    depreciation_years: Decimal
    residual_pct: Decimal
    lease_per_month: Decimal
    insurance_per_year: Decimal
    overhead_per_year: Decimal
    depot_per_year: Decimal
    days_per_year: Decimal
    fuel_litres_per_km: Decimal
    fuel_price_per_litre: Decimal
    maintenance_per_km: Decimal
    wage_per_hour: Decimal
    on_cost_pct: Decimal

    @property
    def capital_per_year(self) -> Decimal:
        if self.lease_per_month:
            return self.lease_per_month * 12
        return self.purchase * (1 - self.residual_pct / 100) / self.depreciation_years

    @property
    def fixed_per_day(self) -> Decimal:
        """Capital, insurance, overhead and depot per operating day (öre)."""
        year = (
            self.capital_per_year
            + self.insurance_per_year
            + self.overhead_per_year
            + self.depot_per_year
        )
        return year / self.days_per_year

    @property
    def fuel_per_km(self) -> Decimal:
        return self.fuel_litres_per_km * self.fuel_price_per_litre

    def fleet_cost_model(
        self,
        vehicle_type: VehicleType,
        *,
        fuel_factor: Decimal = Decimal(1),
        wage_factor: Decimal = Decimal(1),
    ) -> FleetCostModel:
        """The settlement cost model of this sheet, optionally with fuel or wage scaled."""
        return FleetCostModel(
            vehicle_type=vehicle_type,
            fixed_per_vehicle_day=int(self.fixed_per_day.to_integral_value()),
            driver_per_hour=int((self.wage_per_hour * wage_factor).to_integral_value()),
            per_km=self.fuel_per_km * fuel_factor + self.maintenance_per_km,
            driver_on_cost_pct=self.on_cost_pct,
        )


@dataclass(frozen=True)
class OwnVehicles:
    """`count` own vehicles of a type stationed at a depot town, on a daily shift."""

    depot: str
    county: str
    vehicle_type: VehicleType
    count: int
    shift: tuple[time, time]
    cost: OwnCostSheet


@dataclass(frozen=True)
class Scenario:
    name: str
    remove_procured: tuple[tuple[str, VehicleType], ...]  # (county, vehicle type)
    own: tuple[OwnVehicles, ...]


@dataclass(frozen=True)
class Demand:
    first_day: date
    days: int
    seed: int
    trips: int
    growth_pct: Decimal
    fleet_scale: float

    @property
    def trips_per_day(self) -> int:
        """Trips per sample day after growth, rounded half up."""
        grown = Decimal(self.trips) * (1 + self.growth_pct / 100)
        return int(grown.to_integral_value())


@dataclass(frozen=True)
class Spec:
    title: str
    demand: Demand
    scenarios: tuple[Scenario, ...]
    engine: str
    sensitivity_pct: tuple[int, ...]
    centre: CentreCosts | None = None  # the centre's own cost per booking, when named


def _fail(where: str, message: str, field: str) -> InputError:
    return InputError(f"{where}: {message}", field=field)


def _decimal(where: str, raw: Mapping[str, Any], name: str, default: str | None = None) -> Decimal:
    value = raw.get(name, default)
    if value is None:
        raise _fail(where, f"missing {name}", name)
    if isinstance(value, bool):
        raise _fail(where, f"{name} must be a number, got {value!r}", name)
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise _fail(where, f"{name} must be a number, got {value!r}", name) from error
    if not number.is_finite() or number < 0:
        raise _fail(where, f"{name} must be zero or more, got {value!r}", name)
    return number


def _int(where: str, raw: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = raw.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _fail(
            where, f"{name} must be a whole number from {low} to {high}, got {value!r}", name
        )
    return value


def _unknown(where: str, raw: Mapping[str, Any], known: set[str]) -> None:
    extra = sorted(set(raw) - known)
    if extra:
        raise _fail(
            where,
            f"unknown key {', '.join(extra)} (known: {', '.join(sorted(known))})",
            extra[0],
        )


_SHEET_KEYS = {
    "purchase_kr", "depreciation_years", "residual_pct", "lease_kr_per_month",
    "insurance_kr_per_year", "overhead_kr_per_year", "depot_kr_per_year", "days_per_year",
    "fuel_litres_per_10km", "fuel_kr_per_litre", "maintenance_kr_per_km",
    "wage_kr_per_hour", "on_cost_pct",
}  # fmt: skip


def _sheet(name: str, raw: Mapping[str, Any]) -> OwnCostSheet:
    where = f"own_costs.{name}"
    if not isinstance(raw, Mapping):
        raise _fail(where, "must be a table", name)
    _unknown(where, raw, _SHEET_KEYS)
    bought, leased = "purchase_kr" in raw, "lease_kr_per_month" in raw
    if bought == leased:
        raise _fail(
            where,
            "give either purchase_kr (with depreciation_years) or "
            "lease_kr_per_month, not both or neither",
            "purchase_kr",
        )
    years = _decimal(where, raw, "depreciation_years", "0" if leased else None)
    if bought and years == 0:
        raise _fail(where, "depreciation_years must be more than zero", "depreciation_years")
    residual = _decimal(where, raw, "residual_pct", "0")
    if residual > 100:
        raise _fail(where, f"residual_pct must be at most 100, got {residual}", "residual_pct")
    days = _decimal(where, raw, "days_per_year", "365")
    if not 0 < days <= 366:
        raise _fail(where, f"days_per_year must be 1 to 366, got {days}", "days_per_year")
    ore = Decimal(100)
    return OwnCostSheet(
        name=name,
        purchase=_decimal(where, raw, "purchase_kr", "0") * ore,
        depreciation_years=years,
        residual_pct=residual,
        lease_per_month=_decimal(where, raw, "lease_kr_per_month", "0") * ore,
        insurance_per_year=_decimal(where, raw, "insurance_kr_per_year") * ore,
        overhead_per_year=_decimal(where, raw, "overhead_kr_per_year", "0") * ore,
        depot_per_year=_decimal(where, raw, "depot_kr_per_year", "0") * ore,
        days_per_year=days,
        fuel_litres_per_km=_decimal(where, raw, "fuel_litres_per_10km") / 10,
        fuel_price_per_litre=_decimal(where, raw, "fuel_kr_per_litre") * ore,
        maintenance_per_km=_decimal(where, raw, "maintenance_kr_per_km", "0") * ore,
        wage_per_hour=_decimal(where, raw, "wage_kr_per_hour") * ore,
        on_cost_pct=_decimal(where, raw, "on_cost_pct"),
    )


def _vehicle_type(where: str, value: Any) -> VehicleType:
    try:
        return VehicleType(value)
    except ValueError as error:
        kinds = ", ".join(v.value for v in VehicleType)
        raise _fail(
            where, f"vehicle_type must be one of {kinds}, got {value!r}", "vehicle_type"
        ) from error


def _county(where: str, value: Any) -> str:
    if value not in COUNTIES:
        raise _fail(
            where,
            f'county must be "22" (Västernorrland) or "23" (Jämtland Härjedalen), got {value!r}',
            "county",
        )
    return str(value)


def _clock(where: str, value: Any) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value))
    except ValueError as error:
        raise _fail(where, f'shift times must be like "07:00", got {value!r}', "shift") from error


def _own(where: str, raw: Mapping[str, Any], sheets: Mapping[str, OwnCostSheet]) -> OwnVehicles:
    _unknown(where, raw, {"depot", "county", "vehicle_type", "count", "shift", "cost"})
    for name in ("depot", "county", "vehicle_type", "cost"):
        if name not in raw:
            raise _fail(where, f"missing {name}", name)
    shift = raw.get("shift", ["07:00", "16:00"])
    if not isinstance(shift, list) or len(shift) != 2:
        raise _fail(
            where, f'shift must be [start, end] like ["07:00", "16:00"], got {shift!r}', "shift"
        )
    start, end = _clock(where, shift[0]), _clock(where, shift[1])
    if end <= start:
        raise _fail(where, f"shift must end after it starts, got {shift!r}", "shift")
    cost = str(raw["cost"])
    if cost not in sheets:
        known = ", ".join(sorted(sheets)) or "none"
        raise _fail(where, f"cost {cost!r} is not an [own_costs.*] table (known: {known})", "cost")
    kind = _vehicle_type(where, raw["vehicle_type"])
    return OwnVehicles(
        depot=str(raw["depot"]),
        county=_county(where, raw["county"]),
        vehicle_type=kind,
        count=_int(where, raw, "count", 1, 1, 50),
        shift=(start, end),
        cost=sheets[cost],
    )


def _scenario(index: int, raw: Any, sheets: Mapping[str, OwnCostSheet]) -> Scenario:
    where = f"scenarios[{index}]"
    if not isinstance(raw, Mapping):
        raise _fail(where, "must be a table", "scenarios")
    _unknown(where, raw, {"name", "remove_procured", "own"})
    name = str(raw.get("name", "")).strip()
    if not name:
        raise _fail(where, "missing name", "name")
    where = f"scenario {name!r}"
    removed = []
    for item in raw.get("remove_procured", ()):
        if not isinstance(item, Mapping):
            raise _fail(
                where, "remove_procured holds tables {county, vehicle_type}", "remove_procured"
            )
        _unknown(f"{where}, remove_procured", item, {"county", "vehicle_type"})
        removed.append(
            (_county(where, item.get("county")), _vehicle_type(where, item.get("vehicle_type")))
        )
    own = tuple(
        _own(f"{where}, own[{k}]", item, sheets) for k, item in enumerate(raw.get("own", ()))
    )
    return Scenario(name, tuple(removed), own)


def parse_spec(raw: Mapping[str, Any], base: Path | None = None) -> Spec:
    """A SPEC from a parsed TOML mapping; every refusal names the table and the key. A
    `centre_costs` file is read relative to `base` (the SPEC's folder)."""
    _unknown(
        "spec",
        raw,
        {"title", "demand", "scenarios", "own_costs", "engine", "sensitivity_pct", "centre_costs"},
    )
    demand_raw = raw.get("demand", {})
    if not isinstance(demand_raw, Mapping):
        raise _fail("spec", "demand must be a table", "demand")
    where = "demand"
    _unknown(where, demand_raw, {"first_day", "days", "seed", "trips", "growth_pct", "fleet_scale"})
    first = demand_raw.get("first_day", date(2026, 3, 2))
    if not isinstance(first, date):
        try:
            first = date.fromisoformat(str(first))
        except ValueError as error:
            raise _fail(
                where, f"first_day must be a date like 2026-03-02, got {first!r}", "first_day"
            ) from error
    scale = demand_raw.get("fleet_scale", 1.0)
    if not isinstance(scale, int | float) or isinstance(scale, bool) or not 0 < scale <= 10:
        raise _fail(where, f"fleet_scale must be a number in (0, 10], got {scale!r}", "fleet_scale")
    demand = Demand(
        first_day=first,
        days=_int(where, demand_raw, "days", 3, 1, MAX_DAYS),
        seed=_int(where, demand_raw, "seed", 1, 0, MAX_SEED),
        trips=_int(where, demand_raw, "trips", 600, 1, MAX_TRIPS),
        growth_pct=_decimal(where, demand_raw, "growth_pct", "0"),
        fleet_scale=float(scale),
    )
    sheets_raw = raw.get("own_costs", {})
    if not isinstance(sheets_raw, Mapping):
        raise _fail("spec", "own_costs must be a table of named cost sheets", "own_costs")
    sheets = {name: _sheet(name, body) for name, body in sheets_raw.items()}
    scenarios_raw = raw.get("scenarios", ())
    if not isinstance(scenarios_raw, list) or len(scenarios_raw) < 2:
        raise _fail(
            "spec",
            "give at least two [[scenarios]]: the first is the baseline the "
            "others are compared with",
            "scenarios",
        )
    scenarios = tuple(_scenario(k, s, sheets) for k, s in enumerate(scenarios_raw))
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise _fail("spec", f"scenario names must differ, got {names}", "scenarios")
    engine = str(raw.get("engine", "insertion"))
    if engine not in ENGINES:
        raise _fail("spec", f"engine must be one of {', '.join(ENGINES)}, got {engine!r}", "engine")
    steps = raw.get("sensitivity_pct", [-20, -10, 10, 20])
    if not isinstance(steps, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and -90 <= s <= 200 for s in steps
    ):
        raise _fail(
            "spec",
            f"sensitivity_pct must be whole per cents from -90 to 200, got {steps!r}",
            "sensitivity_pct",
        )
    centre = None
    if "centre_costs" in raw:
        centre = load_centre((base or Path()) / str(raw["centre_costs"]))
    return Spec(str(raw.get("title", "Scenario")), demand, scenarios, engine, tuple(steps), centre)


def with_overrides(
    spec: Spec, *, days: int | None = None, seed: int | None = None, trips: int | None = None
) -> Spec:
    """The SPEC with its sample's days, seed or trips a day replaced (the command's --days
    and --seed, the page's fields); a value out of range is refused naming its field."""
    demand = spec.demand
    if days is not None:
        if not 1 <= days <= MAX_DAYS:
            raise InputError(f"--days must be 1 to {MAX_DAYS}, got {days}", field="--days")
        demand = replace(demand, days=days)
    if seed is not None:
        if not 0 <= seed <= MAX_SEED:
            raise InputError(f"--seed must be 0 to {MAX_SEED}, got {seed}", field="--seed")
        demand = replace(demand, seed=seed)
    if trips is not None:
        if not 1 <= trips <= MAX_TRIPS:
            raise InputError(f"--trips must be 1 to {MAX_TRIPS}, got {trips}", field="--trips")
        demand = replace(demand, trips=trips)
    return replace(spec, demand=demand)


def load_spec(path: Path) -> Spec:
    """Read and parse a SPEC file; an unreadable or invalid file is an InputError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read SPEC {path}: {error.strerror}", field="spec") from error
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path.name} is not valid TOML: {error}", field="spec") from error
    try:
        return parse_spec(raw, path.parent)
    except InputError as error:
        raise InputError(f"{path.name}: {error.message}", field=error.field) from error
