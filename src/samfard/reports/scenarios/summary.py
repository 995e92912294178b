"""Figures of a scenario run: per principal, the difference from the baseline and its spread.

Everything is computed from the settled days (runner.ScenarioDay) in Decimal öre, so the
CSV and the HTML print the same numbers. The spread of a difference over the sample days
is its minimum, mean and maximum and a 95 % confidence interval of the mean (Student's t
over the days: the days are treated as independent draws, which a handful of demo days
only roughly are).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import mean, stdev

from samfard.reports.scenarios.runner import PrincipalDay, ScenarioDay, ScenarioRun

ALL = "alla"
# Two-sided 95 % Student t quantiles by degrees of freedom (1-30); 1.96 beyond.
T95 = (
    Decimal("12.706"), Decimal("4.303"), Decimal("3.182"), Decimal("2.776"), Decimal("2.571"),
    Decimal("2.447"), Decimal("2.365"), Decimal("2.306"), Decimal("2.262"), Decimal("2.228"),
    Decimal("2.201"), Decimal("2.179"), Decimal("2.160"), Decimal("2.145"), Decimal("2.131"),
    Decimal("2.120"), Decimal("2.110"), Decimal("2.101"), Decimal("2.093"), Decimal("2.086"),
    Decimal("2.080"), Decimal("2.074"), Decimal("2.069"), Decimal("2.064"), Decimal("2.060"),
    Decimal("2.056"), Decimal("2.052"), Decimal("2.048"), Decimal("2.045"), Decimal("2.042"),
)  # fmt: skip


@dataclass(frozen=True)
class Spread:
    """A per-day quantity over the sample: min, mean, max and a 95 % CI of the mean."""

    low: Decimal
    mean: Decimal
    high: Decimal
    ci_low: Decimal | None  # None with one day: no spread to measure
    ci_high: Decimal | None


def spread(values: Sequence[Decimal]) -> Spread:
    centre = mean(values)
    if len(values) < 2:
        return Spread(min(values), centre, max(values), None, None)
    t = T95[len(values) - 2] if len(values) - 1 <= len(T95) else Decimal("1.96")
    half = t * stdev(values) / Decimal(len(values)).sqrt()
    return Spread(min(values), centre, max(values), centre - half, centre + half)


@dataclass(frozen=True)
class PrincipalLine:
    """One principal's figures under one scenario over the whole sample."""

    scenario: str
    principal: str
    trips: int
    total: int  # öre over the sample
    per_trip: Decimal | None  # öre
    per_km: Decimal | None  # öre per direct km of the principal's trips
    passengers_per_vehicle_trip: Decimal | None
    stretcher_share: Decimal | None  # per cent of trips
    per_stretcher_trip: Decimal | None  # öre: what a stretcher trip cost the principal
    unserved: int
    extra_ride_min: Decimal | None  # mean minutes a trip rode beyond the direct drive
    ride_ratio: Decimal | None  # planned ride time / direct drive time, over all trips
    difference: Spread | None  # öre per day against the baseline; None for the baseline


def _merge(days: Sequence[PrincipalDay]) -> PrincipalDay:
    out = PrincipalDay()
    for d in days:
        out.trips += d.trips
        out.cost += d.cost
        out.unused_own += d.unused_own
        out.direct_m += d.direct_m
        out.stretcher_trips += d.stretcher_trips
        out.stretcher_cost += d.stretcher_cost
        out.stretches |= {f"{id(d)}:{s}" for s in d.stretches}
        out.unserved += d.unserved
        out.rides += d.rides
        out.ride_s += d.ride_s
        out.direct_s += d.direct_s
    return out


def _day_of(day: ScenarioDay, principal: str) -> PrincipalDay:
    if principal == ALL:
        return _merge(list(day.principals.values()))
    return day.principals.get(principal, PrincipalDay())


def principals_of(run: ScenarioRun) -> list[str]:
    codes = {p for days in run.results.values() for d in days for p in d.principals}
    return [*sorted(codes), ALL]


def _ratio(a: int | Decimal, b: int | Decimal, scale: int = 1) -> Decimal | None:
    return Decimal(a) * scale / Decimal(b) if b else None


def principal_lines(run: ScenarioRun) -> list[PrincipalLine]:
    baseline = run.spec.scenarios[0].name
    lines = []
    for scenario in run.spec.scenarios:
        days = run.results[scenario.name]
        for code in principals_of(run):
            per_day = [_day_of(d, code) for d in days]
            whole = _merge(per_day)
            difference = None
            if scenario.name != baseline:
                base = [_day_of(d, code) for d in run.results[baseline]]
                difference = spread(
                    [Decimal(s.total - b.total) for s, b in zip(per_day, base, strict=True)]
                )
            lines.append(
                PrincipalLine(
                    scenario=scenario.name,
                    principal=code,
                    trips=whole.trips,
                    total=whole.total,
                    per_trip=_ratio(whole.total, whole.trips),
                    per_km=_ratio(whole.total, whole.direct_m, 1000),
                    passengers_per_vehicle_trip=_ratio(whole.trips, len(whole.stretches)),
                    stretcher_share=_ratio(whole.stretcher_trips, whole.trips, 100),
                    per_stretcher_trip=_ratio(whole.stretcher_cost, whole.stretcher_trips),
                    unserved=whole.unserved,
                    extra_ride_min=_ratio(whole.ride_s - whole.direct_s, whole.rides * 60),
                    ride_ratio=_ratio(whole.ride_s, whole.direct_s),
                    difference=difference,
                )
            )
    return lines


@dataclass(frozen=True)
class FleetLine:
    """A scenario's fleet over the sample: own-vehicle utilisation and sharing."""

    scenario: str
    vehicles_used_per_day: Decimal
    own_utilisation_pct: Decimal | None  # minutes with passengers / paid shift minutes
    passengers_per_vehicle_trip: Decimal | None
    total_per_day: Spread


def fleet_lines(run: ScenarioRun) -> list[FleetLine]:
    lines = []
    for scenario in run.spec.scenarios:
        days = run.results[scenario.name]
        paid = sum((d.own_paid_minutes for d in days), Decimal(0))
        busy = sum((d.own_busy_minutes for d in days), Decimal(0))
        lines.append(
            FleetLine(
                scenario=scenario.name,
                vehicles_used_per_day=Decimal(sum(d.vehicles_used for d in days)) / len(days),
                own_utilisation_pct=_ratio(busy, paid, 100),
                passengers_per_vehicle_trip=_ratio(
                    sum(d.trips for d in days), sum(d.vehicle_trips for d in days)
                ),
                total_per_day=spread([Decimal(d.total) for d in days]),
            )
        )
    return lines


@dataclass(frozen=True)
class SensitivityLine:
    """How the difference from the baseline (öre per day, mean) moves when fuel, wages or
    own vehicles' utilisation change by `pct` per cent, the plans held as they are.

    Fuel and wages scale the own fleet's fuel and driver cost. Utilisation is first
    order: the same own-fleet work at a utilisation `pct` per cent higher needs
    1 / (1 + pct/100) of the rostered vehicle-days and shifts (their cost scales so),
    the km stay; it holds while the own vehicles are far from full.
    """

    scenario: str
    factor: str  # "bränsle", "lön" or "beläggning"
    pct: int
    difference: Decimal


def sensitivity_lines(run: ScenarioRun) -> list[SensitivityLine]:
    baseline = run.results[run.spec.scenarios[0].name]
    base_diff = {
        s.name: mean(
            [Decimal(a.total - b.total) for a, b in zip(run.results[s.name], baseline, strict=True)]
        )
        for s in run.spec.scenarios[1:]
    }
    lines = []
    for scenario in run.spec.scenarios[1:]:
        days = run.results[scenario.name]
        for factor, part in (("bränsle", "own_fuel"), ("lön", "own_driver")):
            delta = mean(
                [
                    Decimal(getattr(a, part) - getattr(b, part))
                    for a, b in zip(days, baseline, strict=True)
                ]
            )
            for pct in run.spec.sensitivity_pct:
                lines.append(
                    SensitivityLine(
                        scenario.name, factor, pct, base_diff[scenario.name] + delta * pct / 100
                    )
                )
        rostered = mean(
            [
                Decimal(a.own_fixed + a.own_driver - b.own_fixed - b.own_driver)
                for a, b in zip(days, baseline, strict=True)
            ]
        )
        for pct in run.spec.sensitivity_pct:
            scale = 1 / (1 + Decimal(pct) / 100) - 1
            lines.append(
                SensitivityLine(
                    scenario.name, "beläggning", pct, base_diff[scenario.name] + rostered * scale
                )
            )
    return lines


@dataclass(frozen=True)
class BreakEven:
    """First-order break-even own fleet size of a scenario with own vehicles.

    An own vehicle-day costs `vehicle_day` (fixed + the whole shift's wage); when own
    vehicles are underused, one fewer saves about that much while the rest carry its
    trips. `fleet` is the scenario's own vehicles added, `size` the size at which the
    mean daily difference from the baseline would be zero: fleet − difference /
    vehicle_day, never below zero. Valid only while utilisation stays well below 100 %.
    """

    scenario: str
    fleet: int
    vehicle_day: Decimal
    size: Decimal


def break_even(run: ScenarioRun) -> list[BreakEven]:
    lines = []
    baseline = run.results[run.spec.scenarios[0].name]
    for scenario in run.spec.scenarios[1:]:
        if not scenario.own:
            continue
        fleet = sum(o.count for o in scenario.own)
        cost = Decimal(0)
        for own in scenario.own:
            model = own.cost.fleet_cost_model(own.vehicle_type)
            start, end = own.shift
            hours = Decimal((end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)) / 60
            cost += own.count * (model.fixed_per_vehicle_day + model.driver_cost_per_hour * hours)
        vehicle_day = cost / fleet
        diff = mean(
            [
                Decimal(a.total - b.total)
                for a, b in zip(run.results[scenario.name], baseline, strict=True)
            ]
        )
        lines.append(
            BreakEven(
                scenario.name, fleet, vehicle_day, max(Decimal(0), fleet - diff / vehicle_day)
            )
        )
    return lines
