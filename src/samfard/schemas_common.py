"""API types shared by several features: pages of results, coordinates."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")

# Samfard serves Sweden and the Norwegian hospitals across the border; a point outside this
# box is almost always latitude and longitude swapped.
LAT = Field(ge=54.0, le=72.0, description="WGS84 latitude, Nordic range")
LON = Field(ge=4.0, le=32.0, description="WGS84 longitude, Nordic range")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
