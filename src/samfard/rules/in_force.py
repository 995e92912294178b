"""Which version of each shipped rulebook is in force on a day, for the administrator, and
how a reader names a rulebook in Swedish."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from samfard.rules.loader import RulebookSet, shipped_rulebooks

SERVICES_SV = {
    "sjukresa": "sjukresa",
    "fardtjanst": "färdtjänst",
    "riksfardtjanst": "riksfärdtjänst",
    "nartrafik": "närtrafik",
    "anropsstyrd_linjetrafik": "anropsstyrd linjetrafik",
}
# A Swedish statute a version's source names ("Lag (1997:736) om färdtjänst", "Förordning
# (1993:1148)"): the one part of the files' English notes an administrator reads as it is.
_STATUTE = re.compile(r"\b(?:Lag|Förordning) \(\d{4}:\d+\)(?: om [^;,.\]]+)?")


@dataclass(frozen=True)
class RulebookInForce:
    file: str
    principal: str
    principal_name: str
    service: str
    valid_from: date | None  # None: no version is in force yet
    source: str | None  # the file's own note, in English: "[S] ... as tagged per section"
    versions: int
    next_from: date | None  # the next version's start, if one is decided
    statutes: tuple[str, ...] = ()  # the Swedish laws the version in force names


def statutes(source: str | None) -> tuple[str, ...]:
    """The Swedish laws and ordinances a source note names, in its order: what the page
    shows of the note, which is otherwise the file editor's English."""
    return tuple(found.group().strip() for found in _STATUTE.finditer(source or ""))


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
                statutes=statutes(current[-1].source if current else None),
            )
        )
    return sorted(rows, key=lambda r: (r.principal, r.service))


def rulebook_sv(file: str, valid_from: object, *, first: bool = False) -> str:
    """A rulebook as a reader names it: 'regler för färdtjänst, Sundsvalls kommun, från
    2024-01-01' (its file is for whoever edits it); `first` begins a sentence with it."""
    book = next((b for b in shipped_rulebooks().books if b.file == file), None)
    if book is None:
        named = f"{file}, från {valid_from}"
    else:
        service = SERVICES_SV.get(book.service.value, book.service.value)
        named = f"regler för {service}, {book.principal_name}, från {valid_from}"
    return named[:1].upper() + named[1:] if first else named
