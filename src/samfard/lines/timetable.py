"""The timetable of booked lines as plain data: stop times of a departure on a day, and
which departure a requested ride matches.

Pure: no database, no clock. `lines.service` reads the tables into these types; booking
asks `match` which departure a leg rides, the GTFS-Flex export writes them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from samfard.errors import InputError
from samfard.timeutil import STOCKHOLM, local

DIRECTIONS = (0, 1)


@dataclass(frozen=True)
class TimetableStop:
    """A stop of a line: a gazetteer place and its minutes after the first stop."""

    place_key: str
    name: str
    lat: float
    lon: float
    minutes: int


@dataclass(frozen=True)
class TimetableDeparture:
    """A departure from the line's first stop (in its direction) on given weekdays."""

    id: int
    direction: int
    departs: time
    weekdays: tuple[int, ...]

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise InputError(
                f"departure direction must be 0 or 1, got {self.direction}", field="direction"
            )
        if not self.weekdays or not set(self.weekdays) <= set(range(7)):
            raise InputError(
                f"departure weekdays must be 0 (Monday) to 6, got {list(self.weekdays)}",
                field="weekdays",
            )

    def runs_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays


@dataclass(frozen=True)
class TimetableLine:
    """A booked line with its stops in order and its departures."""

    code: str
    name: str
    principal: str
    deadline_min: int
    vehicle_mode: str
    seats: int
    wheelchair_places: int
    stops: tuple[TimetableStop, ...]
    departures: tuple[TimetableDeparture, ...]

    def __post_init__(self) -> None:
        if len(self.stops) < 2:
            raise InputError(f"line {self.code} needs at least two stops", field="stops")
        minutes = [s.minutes for s in self.stops]
        if minutes[0] != 0 or any(b <= a for a, b in zip(minutes, minutes[1:], strict=False)):
            raise InputError(
                f"line {self.code}: stop minutes must start at 0 and rise, got {minutes}",
                field="stops",
            )

    @property
    def running_min(self) -> int:
        return self.stops[-1].minutes

    def sequence(self, direction: int) -> tuple[tuple[TimetableStop, int], ...]:
        """The stops in the order a departure of `direction` calls, with minutes from its
        start."""
        if direction == 0:
            return tuple((s, s.minutes) for s in self.stops)
        return tuple((s, self.running_min - s.minutes) for s in reversed(self.stops))

    def calls(
        self, departure: TimetableDeparture, day: date
    ) -> tuple[tuple[TimetableStop, datetime], ...]:
        """Each stop of `departure` on `day` with its aware timetabled time."""
        start = local(day, departure.departs)
        return tuple(
            (stop, start + timedelta(minutes=offset))
            for stop, offset in self.sequence(departure.direction)
        )


@dataclass(frozen=True)
class Match:
    """The departure a ride matches: when it leaves its first stop and the boarding stop."""

    line: TimetableLine
    departure: TimetableDeparture
    first_stop_departs_at: datetime
    boards_at: datetime


def match(
    lines: tuple[TimetableLine, ...], origin: str, destination: str, at: datetime
) -> Match | None:
    """The departure that calls at `origin` at `at` (to the minute) and later at
    `destination`; None when no line does."""
    day = at.astimezone(STOCKHOLM).date()
    wanted = at.replace(second=0, microsecond=0)
    for line in lines:
        for departure in line.departures:
            if not departure.runs_on(day):
                continue
            calls = line.calls(departure, day)
            keys = [stop.place_key for stop, _ in calls]
            if origin not in keys or destination not in keys:
                continue
            board, alight = keys.index(origin), keys.index(destination)
            if board < alight and calls[board][1] == wanted:
                return Match(line, departure, calls[0][1], calls[board][1])
    return None


def departures_between(
    lines: tuple[TimetableLine, ...], origin: str, destination: str, day: date
) -> tuple[Match, ...]:
    """Every departure on `day` from `origin` to `destination`, earliest first (what the
    desk offers a caller)."""
    found: list[Match] = []
    for line in lines:
        for departure in line.departures:
            if not departure.runs_on(day):
                continue
            calls = line.calls(departure, day)
            keys = [stop.place_key for stop, _ in calls]
            if (
                origin in keys
                and destination in keys
                and keys.index(origin) < keys.index(destination)
            ):
                found.append(Match(line, departure, calls[0][1], calls[keys.index(origin)][1]))
    return tuple(sorted(found, key=lambda m: (m.boards_at, m.line.code)))
