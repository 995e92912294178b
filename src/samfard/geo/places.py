"""The gazetteer: loading places.csv and accent-insensitive search ("ostersund" finds
Östersund, "roros" finds Røros)."""

from __future__ import annotations

import csv
import unicodedata
from importlib import resources

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from samfard.errors import InputError, NotFound
from samfard.geo.models import Place, PlaceKind

# Letters that Unicode does not decompose into base letter + accent.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "ß": "ss", "đ": "d", "ł": "l"})


def search_key(text: str) -> str:
    """Lower case, accents and Nordic letters folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def packaged_rows() -> list[dict[str, str]]:
    """The rows of the packaged places.csv, comments left out."""
    text = resources.files("samfard.data").joinpath("places.csv").read_text("utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))


def load_places(*, session: Session) -> int:
    """Insert the places of the packaged places.csv whose key is not stored yet, so a
    place added to the file reaches an existing database on the next upgrade."""
    stored = set(session.scalars(select(Place.key)))
    count = 0
    for row in packaged_rows():
        if row["key"] in stored:
            continue
        session.add(
            Place(
                key=row["key"],
                name=row["name"],
                kind=row["kind"],
                municipality_code=row["municipality_code"],
                municipality=row["municipality"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                population=int(row["population"] or 0),
                search_key=search_key(row["name"]),
            )
        )
        count += 1
    return count


LONGEST_QUERY = 200  # characters: longer than any place's name with its municipality


def search_places(
    *,
    session: Session,
    query: str | None,
    kind: str | None = None,
    municipality_code: str | None = None,
    limit: int = 20,
) -> list[Place]:
    """Prefix matches first, then matches anywhere in the name, each by population."""
    statement = select(Place)
    if kind is not None:
        if kind not in {k.value for k in PlaceKind}:
            raise InputError(
                f"unknown place kind {kind!r}; expected one of "
                f"{', '.join(k.value for k in PlaceKind)}",
                field="kind",
            )
        statement = statement.where(Place.kind == kind)
    if municipality_code is not None:
        statement = statement.where(Place.municipality_code == municipality_code)
    order = [Place.population.desc(), Place.name]
    if query and len(query) > LONGEST_QUERY:
        return []  # no place is named so; SQLite refuses a LIKE pattern of 50 000 characters
    if query:
        key = search_key(query)
        statement = statement.where(Place.search_key.like(f"%{key}%"))
        order.insert(0, case((Place.search_key.like(f"{key}%"), 0), else_=1))
    return list(session.scalars(statement.order_by(*order).limit(limit)))


def get_place(*, session: Session, place_id: int, field: str = "place_id") -> Place:
    place = session.get(Place, place_id)
    if place is None:
        raise NotFound(f"unknown place {place_id}: search /api/v1/places?q=...", field=field)
    return place
