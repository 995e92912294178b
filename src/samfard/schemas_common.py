"""API types shared by several features: pages of results, coordinates."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Path, Query
from pydantic import BaseModel, Field

T = TypeVar("T")

# Bounds that keep every id and offset inside the databases' integer range (PostgreSQL
# refuses a bigint overflow with an error, not an empty result).
MAX_ID = 2**31 - 1
MAX_OFFSET = 1_000_000
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
BodyId = Annotated[int, Field(ge=1, le=MAX_ID)]

# Samfard serves Sweden and the Norwegian hospitals across the border; a point outside this
# box is almost always latitude and longitude swapped.
LAT = Field(ge=54.0, le=72.0, description="WGS84 latitude, Nordic range")
LON = Field(ge=4.0, le=32.0, description="WGS84 longitude, Nordic range")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
