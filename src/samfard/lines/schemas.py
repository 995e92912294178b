"""API types of booked lines: the timetable and the departures a caller may book."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class StopPublic(BaseModel):
    place_key: str
    name: str
    minutes: int


class DeparturePublic(BaseModel):
    id: int
    direction: int
    # Swedish wall-clock time (a timetable time has no offset: it holds all year).
    departs: str = Field(
        pattern=r"^[0-2][0-9]:[0-5][0-9]$", description="local time at the first stop, HH:MM"
    )
    weekdays: list[int]


class LinePublic(BaseModel):
    """A booked line (anropsstyrd linje) as published."""

    code: str
    name: str
    principal: str
    deadline_min: int
    vehicle_mode: str
    seats: int
    wheelchair_places: int
    stops: list[StopPublic]
    departures: list[DeparturePublic]


class OfferPublic(BaseModel):
    """A departure to book: book it with POST /bookings, service anropsstyrd_linjetrafik,
    from the boarding stop to the alighting stop, pickup_at = boards_at."""

    line: str
    departure_id: int
    boards_at: datetime
    first_stop_departs_at: datetime
    book_by: datetime
