"""Use cases of booked lines: load the packaged timetable, read it as plain data.

The timetable is public information (it is published to journey planners), so reading it
is not audited; it names no person.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samfard.errors import InputError, NotFound
from samfard.geo.models import Place
from samfard.lines.models import Line, LineDeparture, LineStop
from samfard.lines.packaged import packaged_lines
from samfard.lines.timetable import (
    Match,
    TimetableDeparture,
    TimetableLine,
    TimetableStop,
    departures_between,
)
from samfard.principals.models import Principal
from samfard.rules.facts import Service
from samfard.rules.loader import RulebookSet, shipped_rulebooks


def _clock(value: str, *, field: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{field}: must be a time like 07:15, got {value!r}", field=field
        ) from None


def load_lines(*, session: Session) -> int:
    """Insert the packaged lines whose code is not stored yet (the caller commits); a stop
    must be a gazetteer key and the principal a transport authority."""
    stored = set(session.scalars(select(Line.code)))
    places = {p.key: p for p in session.scalars(select(Place))}
    count = 0
    for i, raw in enumerate(packaged_lines()):
        if raw["code"] in stored:
            continue
        at = f"lines.toml: lines[{i}]"
        principal = session.scalar(select(Principal).where(Principal.code == raw["principal"]))
        if principal is None or principal.kind != "transport_authority":
            raise InputError(
                f"{at}.principal: {raw['principal']!r} is not a transport authority",
                field="principal",
            )
        unknown = [s["place"] for s in raw["stops"] if s["place"] not in places]
        if unknown:
            raise InputError(
                f"{at}.stops: no place with key {unknown} in the gazetteer", field="stops"
            )
        line = Line(
            code=raw["code"],
            name=raw["name"],
            principal_code=raw["principal"],
            deadline_min=int(raw["deadline_min"]),
            vehicle_mode=raw["vehicle_mode"],
            seats=int(raw["seats"]),
            wheelchair_places=int(raw.get("wheelchair_places", 0)),
        )
        line.stops = [
            LineStop(seq=seq, place_id=places[s["place"]].id, minutes=int(s["minutes"]))
            for seq, s in enumerate(raw["stops"])
        ]
        line.departures = [
            LineDeparture(
                direction=int(d["direction"]),
                departs=_clock(d["departs"], field=f"{at}.departures[{j}].departs"),
                weekdays=[int(w) for w in d["weekdays"]],
            )
            for j, d in enumerate(raw["departures"])
        ]
        timetable_of(line, places={p.id: p for p in places.values()})  # checks its shape
        session.add(line)
        count += 1
    session.flush()
    return count


def timetable_of(line: Line, *, places: dict[int, Place]) -> TimetableLine:
    return TimetableLine(
        code=line.code,
        name=line.name,
        principal=line.principal_code,
        deadline_min=line.deadline_min,
        vehicle_mode=line.vehicle_mode,
        seats=line.seats,
        wheelchair_places=line.wheelchair_places,
        stops=tuple(
            TimetableStop(
                place_key=places[s.place_id].key,
                name=places[s.place_id].name,
                lat=places[s.place_id].lat,
                lon=places[s.place_id].lon,
                minutes=s.minutes,
            )
            for s in line.stops
        ),
        departures=tuple(
            TimetableDeparture(
                id=d.id or 0, direction=d.direction, departs=d.departs, weekdays=tuple(d.weekdays)
            )
            for d in line.departures
        ),
    )


def timetables(*, session: Session, principal: str | None = None) -> tuple[TimetableLine, ...]:
    """Every stored line (of one principal, if given) as plain timetable data."""
    statement = select(Line).options(selectinload(Line.stops), selectinload(Line.departures))
    if principal is not None:
        statement = statement.where(Line.principal_code == principal)
    rows = list(session.scalars(statement.order_by(Line.code)))
    if not rows:
        return ()
    places = {p.id: p for p in session.scalars(select(Place))}
    return tuple(timetable_of(row, places=places) for row in rows)


def get_line(*, session: Session, code: str) -> TimetableLine:
    found = [t for t in timetables(session=session) if t.code == code]
    if not found:
        raise NotFound(f"no booked line with code {code!r}", field="code")
    return found[0]


def offer(
    *,
    session: Session,
    principal: str,
    origin: str,
    destination: str,
    day: date,
    rulebooks: RulebookSet | None = None,
) -> list[tuple[Match, datetime]]:
    """The departures a caller may book between two stops on a day, each with the moment
    booking closes (the line's deadline or the authority's, whichever is earlier)."""
    book = (rulebooks or shipped_rulebooks()).find(principal, Service.ANROPSSTYRD_LINJETRAFIK)
    if book is None:
        raise NotFound(f"{principal} runs no booked lines", field="principal")
    _, version = book.version_on(day)
    least = getattr(getattr(version, "booking", None), "min_minutes_before_departure", 0)
    lines = timetables(session=session, principal=principal)
    # A stop the lines do not call at answered "no departures" (the stop's name, "Hede",
    # for its key "hede"; walk-through of the seventh session of 2026-12-06).
    keys = sorted({stop.place_key for line in lines for stop in line.stops})
    for field, key in (("origin", origin), ("destination", destination)):
        if key not in keys:
            raise InputError(
                f"{field} {key[:80]!r} is no stop of {principal}'s booked lines; give a stop's "
                f"place_key from GET /api/v1/lines?principal={principal}: {', '.join(keys)}",
                field=field,
            )
    return [
        (m, m.first_stop_departs_at - timedelta(minutes=max(least, m.line.deadline_min)))
        for m in departures_between(lines, origin, destination, day)
    ]
