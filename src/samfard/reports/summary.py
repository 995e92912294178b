"""The monthly report's comments (the summary sentences): the total and its change, the
services that moved most, each change split into a volume effect (change in trips at last
year's cost per trip) and a price effect (the rest: cost per trip and mix), the two
reasons a board asks about first, then the month's coordination saving."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from samfard.money import format_kr
from samfard.reports.kpi import CostAggregate
from samfard.reports.kpi import total as sum_rows
from samfard.reports.wording import (
    cost_of,
    percent,
    plain_pct,
    round_ore,
    service_label,
    signed_kr,
    signed_pct,
)

MOVERS = 3


def incomplete_note(period: str, data_from: date) -> str:
    """The sentence the report prints instead of a change against a partial base."""
    return (
        f"Ingen förändring mot {period} redovisas: underlaget börjar {data_from.isoformat()}, "
        "så jämförelseperioden är ofullständig."
    )


def _mover_sentence(
    service: str, now: Sequence[CostAggregate], before: Sequence[CostAggregate], against: str
) -> str:
    a = sum_rows(r for r in now if r.service == service)
    b = sum_rows(r for r in before if r.service == service)
    change = a.cost - b.cost
    head = f"{service_label(service)}: {signed_kr(change)} ({signed_pct(percent(change, b.cost))})"
    if b.trips == 0:
        return f"{head}; inga resor {against}, så hela beloppet är ny volym."
    if a.trips == 0:
        return f"{head}; inga resor denna månad."
    per_trip_before = Decimal(b.cost) / b.trips
    volume = round_ore(Decimal(a.trips - b.trips) * per_trip_before)
    return (
        f"{head}. Antal resor {a.trips} mot {b.trips} ({a.trips - b.trips:+d}) förklarar "
        f"{signed_kr(volume)}; kostnad per resa {format_kr(round_ore(Decimal(a.cost) / a.trips))} "
        f"mot {format_kr(round_ore(per_trip_before))} förklarar {signed_kr(change - volume)}."
    )


def summary(
    scope: str,
    period: str,
    now: Sequence[CostAggregate],
    before: Sequence[CostAggregate],
    data_from: date | None = None,
    against: str = "samma månad i fjol",
) -> tuple[str, ...]:
    """The comments on the month of `scope`, compared with `against` (last year's same
    month or days); with `data_from`, the base is incomplete and no change is given."""
    a, b = sum_rows(now), sum_rows(before)
    if a.trips == 0:
        first = f"Inga resor registrerade för {scope} i {period}; alla belopp är noll."
        if b.trips:
            first += f" {against[0].upper()}{against[1:]}: {b.trips} resor för {format_kr(b.cost)}."
        return (first,)
    if data_from is not None:
        lines = [
            f"Total kostnad {period}: {format_kr(a.cost)}. " + incomplete_note(against, data_from)
        ]
    else:
        change = a.cost - b.cost
        lines = [
            f"Total kostnad {period}: {format_kr(a.cost)}, {signed_kr(change)} "
            f"({signed_pct(percent(change, b.cost))}) mot {against}."
        ]
        services = {r.service for r in (*now, *before)}
        changes = {s: cost_of(s, now) - cost_of(s, before) for s in services}
        movers = sorted((s for s in services if changes[s]), key=lambda s: (-abs(changes[s]), s))
        lines += [_mover_sentence(s, now, before, against) for s in movers[:MOVERS]]
    saving = a.standalone - a.cost
    lines.append(
        f"Samordningen sparade {format_kr(saving)} ({plain_pct(percent(saving, a.standalone))}"
        " av kostnaden om varje resa körts ensam)."
    )
    return tuple(lines)
