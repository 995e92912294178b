"""Routes of the gazetteer under /api/v1/places."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import SessionDep
from samfard.geo import places
from samfard.geo.schemas import PlacePublic
from samfard.schemas_common import RecordId

router = APIRouter(tags=["places"])


@router.get("/places")
def search_places(
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLACES_READ)],
    q: Annotated[str | None, Query(description="name or prefix, accents optional")] = None,
    kind: str | None = None,
    municipality: Annotated[str | None, Query(description="municipality code")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[PlacePublic]:
    found = places.search_places(
        session=session, query=q, kind=kind, municipality_code=municipality, limit=limit
    )
    return [PlacePublic.model_validate(p) for p in found]


@router.get("/places/{place_id}")
def get_place(
    place_id: RecordId, session: SessionDep, actor: Annotated[Actor, require(P.PLACES_READ)]
) -> PlacePublic:
    return PlacePublic.model_validate(places.get_place(session=session, place_id=place_id))
