"""Money as integer öre (1 kr = 100 öre); never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Ore = int


def kr(amount: int | str | Decimal) -> Ore:
    """Kronor to öre, exactly: kr("1.85") == 185. Rounds half up at the öre."""
    value = Decimal(str(amount)) * 100
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def times(ore_per_unit: Decimal | int, units: Decimal | int) -> Ore:
    """A rate times a quantity, rounded half up to whole öre (e.g. 185 öre/km * 12.4 km)."""
    value = Decimal(ore_per_unit) * Decimal(units)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_kr(ore: Ore) -> str:
    """Swedish display: 123456 -> '1 234,56 kr'."""
    sign = "-" if ore < 0 else ""
    whole, frac = divmod(abs(ore), 100)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return f"{sign}{grouped},{frac:02d} kr"
