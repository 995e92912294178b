"""Table of the gazetteer: named places of the two counties and the referral hospitals."""

from __future__ import annotations

import enum

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samfard.db import Base


class PlaceKind(enum.StrEnum):
    LOCALITY = "locality"
    HOSPITAL = "hospital"
    HEALTH_CENTRE = "health_centre"  # vårdcentral
    DIALYSIS = "dialysis"
    TERTIARY = "tertiary"  # university hospitals beyond the counties
    AIRPORT = "airport"


class Place(Base):
    """Place: ort or vårdinrättning, with approximate WGS84 coordinates.

    `key` is the place's stable identity (places.csv): rulebooks and the assessment refer
    to a place by key, never by its display name, which may be corrected or translated.
    """

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    municipality_code: Mapped[str] = mapped_column(String(8), index=True)
    municipality: Mapped[str] = mapped_column(String(80))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    population: Mapped[int] = mapped_column(Integer, default=0)
    search_key: Mapped[str] = mapped_column(String(120), index=True)
