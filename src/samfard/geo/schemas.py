"""API types of places."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PlacePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: str
    municipality_code: str
    municipality: str
    lat: float
    lon: float
