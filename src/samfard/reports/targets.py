"""The KPI targets (målvärden) the monthly report is judged against, from a data file.

Targets are a decision of each principal's board, so they live in a reviewed file
(`samfard/data/kpi_targets.toml`), not in code: [default] for everyone, and a table per
principal code whose targets replace the default ones of the same figure.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any

from samfard.errors import InputError
from samfard.reports.kpi import Kpi, KpiTarget


def parse_targets(data: dict[str, Any]) -> dict[str, tuple[KpiTarget, ...]]:
    """Targets by table name ("default" or a principal code); refused with the place of a
    bad entry."""
    tables: dict[str, tuple[KpiTarget, ...]] = {}
    for name, entries in data.items():
        targets = []
        for index, entry in enumerate(entries):
            where = f"kpi_targets.toml [{name}] entry {index + 1}"
            try:
                targets.append(
                    KpiTarget(
                        kpi=Kpi(entry["kpi"]),
                        value=Decimal(str(entry["value"])),
                        higher_is_better=bool(entry["higher_is_better"]),
                        comment=str(entry.get("comment", "")),
                        service=entry.get("service"),
                    )
                )
            except (KeyError, ValueError, InvalidOperation) as error:
                raise InputError(f"{where}: {error!r}", field="kpi_targets") from error
        tables[name] = tuple(targets)
    return tables


@cache
def _shipped() -> dict[str, tuple[KpiTarget, ...]]:
    text = resources.files("samfard.data").joinpath("kpi_targets.toml").read_text("utf-8")
    return parse_targets(tomllib.loads(text))


def targets_for(principal: str) -> tuple[KpiTarget, ...]:
    """The principal's targets: its own, and the default ones for the other figures."""
    tables = _shipped()
    own = tables.get(principal, ())
    mine = {(t.kpi, t.service) for t in own}
    return own + tuple(t for t in tables.get("default", ()) if (t.kpi, t.service) not in mine)
