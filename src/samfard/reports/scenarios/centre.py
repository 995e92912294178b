"""The booking centre's own cost per booking against its volume (price per order).

One centre for two regions should cost less per booking than two: the fixed part
(management, systems, premises) and the minimum staffing (someone on the phone and in
the control room every open hour) are paid once and spread over more bookings, while
the staff that follow the volume grow with it. A centre cost file (TOML, e.g.
`scenarios/centre/centre_costs.toml`) states staff roles (monthly wage, on-cost, bookings one
full-time equivalent handles, minimum staffing), fixed costs a year, the volumes to
compare and where its figures come from; `centre_lines` prices each volume. Pure: plain
data in, plain data out; money in öre as Decimal.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from samfard.errors import InputError


@dataclass(frozen=True)
class StaffRole:
    role: str
    per_fte_year: Decimal  # öre: monthly wage × months × (1 + on-cost)
    bookings_per_fte: Decimal
    min_fte: Decimal


@dataclass(frozen=True)
class CentreCosts:
    source: str
    booking_days_per_year: int
    staff: tuple[StaffRole, ...]
    fixed: tuple[tuple[str, Decimal], ...]  # item, öre a year
    volumes: tuple[tuple[str, int], ...]  # name, bookings a year


@dataclass(frozen=True)
class CentreLine:
    """The centre priced at one volume."""

    name: str
    bookings_per_year: int
    fte: Decimal
    cost_per_year: Decimal  # öre
    per_booking: Decimal  # öre


def _number(where: str, raw: Mapping[str, Any], key: str, positive: bool = False) -> Decimal:
    value = raw.get(key)
    if value is None or isinstance(value, bool):
        raise InputError(f"{where}: missing {key} (a number)", field=key)
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise InputError(f"{where}: {key} must be a number, got {value!r}", field=key) from error
    if not number.is_finite() or number < 0 or (positive and number == 0):
        low = "more than zero" if positive else "zero or more"
        raise InputError(f"{where}: {key} must be {low}, got {value!r}", field=key)
    return number


def _tables(raw: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = raw.get(key, [])
    if not isinstance(items, list) or not all(isinstance(i, Mapping) for i in items):
        raise InputError(f"centre costs: {key} must be [[{key}]] tables", field=key)
    return items


def parse_centre(raw: Mapping[str, Any]) -> CentreCosts:
    """Centre costs from a parsed TOML mapping; each refusal names the table and key."""
    source = str(raw.get("source", "")).strip()
    if not source:
        raise InputError(
            "centre costs: missing source (say where the figures come from)", field="source"
        )
    days = raw.get("booking_days_per_year", 365)
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 366:
        raise InputError(
            f"centre costs: booking_days_per_year must be 1 to 366, got {days!r}",
            field="booking_days_per_year",
        )
    staff = []
    for k, item in enumerate(_tables(raw, "staff")):
        where = f"staff[{k}]"
        on_cost = _number(where, item, "on_cost_pct")
        per_year = (
            _number(where, item, "kr_per_month")
            * _number(where, item, "months", positive=True)
            * (1 + on_cost / 100)
            * 100
        )
        staff.append(
            StaffRole(
                role=str(item.get("role", where)),
                per_fte_year=per_year,
                bookings_per_fte=_number(where, item, "bookings_per_fte", positive=True),
                min_fte=_number(where, item, "min_fte"),
            )
        )
    fixed = tuple(
        (str(item.get("item", f"fixed[{k}]")), _number(f"fixed[{k}]", item, "kr_per_year") * 100)
        for k, item in enumerate(_tables(raw, "fixed"))
    )
    volumes = []
    for k, item in enumerate(_tables(raw, "volumes")):
        count = _number(f"volumes[{k}]", item, "bookings_per_year", positive=True)
        volumes.append((str(item.get("name", f"volym {k + 1}")), int(count)))
    return CentreCosts(source, days, tuple(staff), fixed, tuple(volumes))


def load_centre(path: Path) -> CentreCosts:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(
            f"cannot read centre costs {path}: {error.strerror}", field="centre_costs"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{path.name} is not valid TOML: {error}", field="centre_costs") from error
    try:
        return parse_centre(raw)
    except InputError as error:
        raise InputError(f"{path.name}: {error.message}", field=error.field) from error


def price(centre: CentreCosts, name: str, bookings: int) -> CentreLine:
    """What the centre costs a year at `bookings` a year, and per booking."""
    fte = sum(
        (max(r.min_fte, Decimal(bookings) / r.bookings_per_fte) for r in centre.staff), Decimal(0)
    )
    staff = sum(
        (
            max(r.min_fte, Decimal(bookings) / r.bookings_per_fte) * r.per_fte_year
            for r in centre.staff
        ),
        Decimal(0),
    )
    cost = staff + sum((amount for _, amount in centre.fixed), Decimal(0))
    return CentreLine(name, bookings, fte, cost, cost / bookings)


def centre_lines(centre: CentreCosts, trips_per_day: int | None = None) -> list[CentreLine]:
    """The file's volumes, and the SPEC's demand as a year when given, by volume."""
    volumes = list(centre.volumes)
    if trips_per_day:
        volumes.append(("Scenariots efterfrågan", trips_per_day * centre.booking_days_per_year))
    return sorted((price(centre, n, v) for n, v in volumes), key=lambda x: x.bookings_per_year)
