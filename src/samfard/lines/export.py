"""The GTFS-Flex export of the demand-responsive services, read from the database and the
rulebooks: the booked lines, and each authority's närtrafik zone.

The närtrafik zone is the convex hull of the county's gazetteer places, pushed out a
little (about 5 km): the authorities' real zones are drawn by hand and replace it when
they are stored. Its windows and notice are the rulebook version in force on the first day
of the feed.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.errors import InputError
from samfard.geo.models import Place, PlaceKind
from samfard.lines import flex_check
from samfard.lines.flex import FeederZone, FlexAgency, convex_hull, flex_feed
from samfard.lines.packaged import packaged_data
from samfard.lines.service import timetables
from samfard.lines.timetable import TimetableLine, TimetableStop
from samfard.principals.models import Principal
from samfard.rules.facts import Service
from samfard.rules.loader import RulebookSet, shipped_rulebooks
from samfard.rules.schema import BookedLineVersion, NartrafikVersion

ZONE_MARGIN_DEG = 0.05
MAX_DAYS = 731


def _agencies(session: Session) -> list[FlexAgency]:
    contact = packaged_data().get("agencies", {})
    rows = session.scalars(
        select(Principal).where(Principal.kind == "transport_authority").order_by(Principal.code)
    )
    return [
        FlexAgency(
            code=p.code,
            name=p.name,
            url=contact.get(p.code, {}).get("url", ""),
            phone=contact.get(p.code, {}).get("phone", ""),
        )
        for p in rows
    ]


def _stop(place: Place) -> TimetableStop:
    return TimetableStop(place.key, place.name, place.lat, place.lon, 0)


def _zones(
    session: Session, agencies: list[FlexAgency], rulebooks: RulebookSet, day: date
) -> list[FeederZone]:
    places = list(session.scalars(select(Place).order_by(Place.key)))
    line_stops = {s.place_key for line in timetables(session=session) for s in line.stops}
    zones: list[FeederZone] = []
    for agency in agencies:
        book = rulebooks.find(agency.code, Service.NARTRAFIK)
        if book is None:
            continue
        _, version = book.version_on(day)
        if not isinstance(version, NartrafikVersion):  # pragma: no cover - loader checks
            continue
        county = agency.code.removeprefix("RKM-")
        own = [p for p in places if p.municipality_code.startswith(county)]
        points = tuple(
            _stop(p) for p in own if p.kind == PlaceKind.LOCALITY.value or p.key in line_stops
        )
        zones.append(
            FeederZone(
                principal=agency.code,
                name=f"Närtrafik, {agency.name}",
                polygon=convex_hull([(p.lon, p.lat) for p in own], ZONE_MARGIN_DEG),
                windows=tuple((w.start, w.end) for w in version.service.windows),
                notice_min=version.booking.min_hours_ahead * 60,
                service_points=points,
            )
        )
    return zones


def _with_rulebook_deadline(line: TimetableLine, books: RulebookSet, day: date) -> TimetableLine:
    """The line with the deadline that binds: its own, or the authority's when longer."""
    book = books.find(line.principal, Service.ANROPSSTYRD_LINJETRAFIK)
    if book is None:
        return line
    _, version = book.version_on(day)
    if not isinstance(version, BookedLineVersion):  # pragma: no cover - loader checks
        return line
    least = version.booking.min_minutes_before_departure
    return dataclasses.replace(line, deadline_min=max(line.deadline_min, least))


def export_flex(
    *, session: Session, start: date, days: int, rulebooks: RulebookSet | None = None
) -> dict[str, str]:
    """The feed's files for `days` days from `start`, checked by our validator: a feed
    with a problem is never handed out."""
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"days must be 1-{MAX_DAYS}, got {days}", field="days")
    books = rulebooks or shipped_rulebooks()
    agencies = _agencies(session)
    files = flex_feed(
        agencies=agencies,
        lines=[_with_rulebook_deadline(line, books, start) for line in timetables(session=session)],
        zones=_zones(session, agencies, books, start),
        start=start,
        end=start + timedelta(days=days - 1),
    )
    found = flex_check.problems(files)
    if found:
        raise InputError("the GTFS-Flex feed is not valid:\n" + "\n".join(found), field="feed")
    return files
