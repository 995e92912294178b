"""Which version of each shipped rulebook is in force on a day, for the administrator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from samfard.rules.loader import RulebookSet, shipped_rulebooks


@dataclass(frozen=True)
class RulebookInForce:
    file: str
    principal: str
    principal_name: str
    service: str
    valid_from: date | None  # None: no version is in force yet
    source: str | None
    versions: int
    next_from: date | None  # the next version's start, if one is decided


def rulebooks_in_force(day: date, rulebooks: RulebookSet | None = None) -> list[RulebookInForce]:
    """Every rulebook with the version in force on `day` and the next one to come."""
    rows = []
    for book in (rulebooks or shipped_rulebooks()).books:
        current = [v for v in book.versions if v.valid_from <= day]
        coming = [v.valid_from for v in book.versions if v.valid_from > day]
        rows.append(
            RulebookInForce(
                file=book.file,
                principal=book.principal,
                principal_name=book.principal_name,
                service=book.service.value,
                valid_from=current[-1].valid_from if current else None,
                source=current[-1].source if current else None,
                versions=len(book.versions),
                next_from=min(coming) if coming else None,
            )
        )
    return sorted(rows, key=lambda r: (r.principal, r.service))
