"""Routes of booked lines under /api/v1/lines: the timetable and what may be booked."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import SessionDep
from samfard.lines import service
from samfard.lines.schemas import DeparturePublic, LinePublic, OfferPublic, StopPublic

router = APIRouter(tags=["lines"])


@router.get("/lines")
def list_lines(
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLACES_READ)],
    principal: Annotated[str | None, Query(description="transport authority, e.g. RKM-23")] = None,
) -> list[LinePublic]:
    return [
        LinePublic(
            code=line.code,
            name=line.name,
            principal=line.principal,
            deadline_min=line.deadline_min,
            vehicle_mode=line.vehicle_mode,
            seats=line.seats,
            wheelchair_places=line.wheelchair_places,
            stops=[
                StopPublic(place_key=s.place_key, name=s.name, minutes=s.minutes)
                for s in line.stops
            ],
            departures=[
                DeparturePublic(
                    id=d.id,
                    direction=d.direction,
                    departs=f"{d.departs:%H:%M}",
                    weekdays=list(d.weekdays),
                )
                for d in line.departures
            ],
        )
        for line in service.timetables(session=session, principal=principal)
    ]


@router.get("/lines/departures")
def departures(
    session: SessionDep,
    actor: Annotated[Actor, require(P.PLACES_READ)],
    principal: Annotated[str, Query(description="transport authority, e.g. RKM-23")],
    origin: Annotated[str, Query(description="gazetteer key of the boarding stop")],
    destination: Annotated[str, Query(description="gazetteer key of the alighting stop")],
    day: Annotated[date, Query(alias="date", description="the travel day, YYYY-MM-DD")],
) -> list[OfferPublic]:
    """The departures between two stops on a day, with the moment booking closes."""
    return [
        OfferPublic(
            line=offer.line.code,
            departure_id=offer.departure.id,
            boards_at=offer.boards_at,
            first_stop_departs_at=offer.first_stop_departs_at,
            book_by=book_by,
        )
        for offer, book_by in service.offer(
            session=session, principal=principal, origin=origin, destination=destination, day=day
        )
    ]
