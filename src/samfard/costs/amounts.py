"""Numbers read from contract files, stored contract rows and run files, checked on entry.

Why: a value that is not what its field means (47.5 where whole öre belong, true, NaN,
Infinity, 1e400, "abc") used to be stored or priced as it came and fail later, far from
its cause: one contract stored with a start fee of 47.5 stopped the planning and the
settlement of every day. Each reader takes a value as JSON or TOML gives it (int, float,
numeric string, Decimal), returns the type the field holds, and refuses anything else
with an `InputError` that names where (the contract and tariff, the run and trip), the
field, and what to write instead.

The upper bounds are far above any real tariff; they catch typos (kronor written as
hundredths of öre) and keep every priced run inside what the settled tables store.
"""

from __future__ import annotations

import reprlib
from decimal import Decimal, InvalidOperation

from samfard.errors import InputError
from samfard.money import format_kr

# 100 000 kr: above any start fee, supplement, vehicle-day cost, hourly wage or penalty.
MAX_ORE = 10_000_000
# 1 000 kr per km or per minute.
MAX_RATE_ORE = Decimal(100_000)
# A surcharge or on-cost of ten times the price.
MAX_PCT = Decimal(1000)


def shown(value: object) -> str:
    """A value as a refusal quotes it, cut short (a file may hold anything)."""
    return reprlib.repr(value)


def number(where: str, name: str, raw: object, *, unit: str) -> Decimal:
    """A finite Decimal from an int, float, Decimal or numeric string; never a bool."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise InputError(f"{where}: {name} must be a number ({unit}), got {shown(raw)}", field=name)
    try:
        value = Decimal(raw.strip() if isinstance(raw, str) else str(raw))
    except (InvalidOperation, ValueError):
        raise InputError(
            f"{where}: {name} must be a number ({unit}), got {shown(raw)}", field=name
        ) from None
    if not value.is_finite():
        raise InputError(
            f"{where}: {name} must be a finite number ({unit}), got {shown(raw)}", field=name
        )
    return Decimal(0) if value == 0 else value  # -0 reads as 0


def bounded(where: str, name: str, raw: object, *, unit: str, most: Decimal) -> Decimal:
    """A number from zero to `most` (a negative price or distance is never meant)."""
    value = number(where, name, raw, unit=unit)
    if value < 0:
        raise InputError(f"{where}: {name} must be zero or more, got {shown(raw)}", field=name)
    if value > most:
        raise InputError(
            f"{where}: {name} must be at most {most} {unit}, got {shown(raw)}", field=name
        )
    return value


def whole_ore(where: str, name: str, raw: object) -> int:
    """Whole öre (an int), as the start fees, supplements and day costs are written."""
    value = bounded(where, name, raw, unit="öre", most=Decimal(MAX_ORE))
    if value != value.to_integral_value():
        raise InputError(
            f"{where}: {name} is whole öre (1 kr = 100 öre), got {shown(raw)}; {_ore_hint(value)}",
            field=name,
        )
    return int(value)


def _ore_hint(value: Decimal) -> str:
    """What to write instead of a fraction of öre: the kronor amount it likely meant."""
    hundredfold = value * 100
    if hundredfold == hundredfold.to_integral_value():
        ore = int(hundredfold)
        return f"write {ore} for {format_kr(ore).replace(chr(0xA0), ' ')}"
    return "write a whole number of öre"


def rate_ore(where: str, name: str, raw: object) -> Decimal:
    """Öre per km or per minute; fractions of öre are allowed (1452.5 öre/km)."""
    return bounded(where, name, raw, unit="öre", most=MAX_RATE_ORE)


def percent(where: str, name: str, raw: object) -> Decimal:
    """A percentage of a price (20 for +20 %)."""
    return bounded(where, name, raw, unit="%", most=MAX_PCT)
