"""How the monthly report writes its figures and services in Swedish: service names,
months, percentages and signed amounts. Apart from `monthly` so that the summary's
sentences (`summary`) and the renderers use the same words without importing the report."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from samfard.money import Ore, format_kr
from samfard.reports.kpi import CostAggregate

SERVICE_LABELS = {
    "sjukresa": "Sjukresor",
    "fardtjanst": "Färdtjänst",
    "riksfardtjanst": "Riksfärdtjänst",
    "anropsstyrd_linjetrafik": "Anropsstyrd linjetrafik",
    "nartrafik": "Närtrafik",
}
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def service_label(service: str) -> str:
    return SERVICE_LABELS.get(service, service)


def percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole in percent, one decimal, half up; None when whole is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def signed_pct(value: Decimal | None) -> str:
    if value is None:
        return "–"
    return f"{value:+}".replace(".", ",") + " %"


def plain_pct(value: Decimal | None) -> str:
    return "–" if value is None else f"{value}".replace(".", ",") + " %"


def signed_kr(ore: Ore) -> str:
    return ("+" if ore > 0 else "") + format_kr(ore)


def cost_of(service: str, rows: Iterable[CostAggregate]) -> Ore:
    """The cost of one service's rows."""
    return sum(r.cost for r in rows if r.service == service)


def round_ore(value: Decimal) -> Ore:
    """A computed amount to whole öre, half up, as every amount is."""
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))
