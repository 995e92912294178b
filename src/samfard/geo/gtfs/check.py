"""The public-transport check: can this traveller make this leg by bus or train, within
the limits the rulebook sets, and if not, why not.

Plain data in (the leg's ends and times, the car's time, the limits), plain data out
(the journey found, or the reason in Swedish words, shown to the operator as is), so the
rules engine can cite it. The `Planner` keeps one feed and the layouts of the days it
was asked about, one per set of running services: a year of bookings asks for a few
dozen layouts (weekdays, weekends, holidays, timetable periods), not one per day.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from samfard.geo.gtfs import timetable
from samfard.geo.gtfs.feed import Feed
from samfard.geo.gtfs.journey import Journey, arrive_by, clock, depart_after
from samfard.geo.traveltime import Point

LAYOUTS_KEPT = 16
# Answers kept per planner: the same leg is asked about again and again (the desk's
# preview as a time is typed, a booking assessed again after a change, a series' weeks),
# and an answer changes only with the feed, which lives as long as the planner.
ANSWERS_KEPT = 4096


@dataclass(frozen=True)
class Limits:
    """What the rulebook accepts as a reasonable public-transport journey."""

    max_transfers: int
    max_walk_m: int  # to the first stop and from the last; changes walk within 400 m
    max_time_ratio: Decimal  # journey minutes over the car's, door to door
    ratio_floor_min: int  # journeys this short pass whatever the ratio
    arrive_before_min: int  # be there this long before the appointment
    max_wait_min: int  # waiting at the clinic before it, or before the first ride home


@dataclass(frozen=True)
class LegQuery:
    """One leg: arrive by an appointment (arrive_by=True) or leave once ready."""

    direction: str
    origin: Point
    destination: Point
    day: date
    at_s: int  # seconds of the service day: the appointment, or the time ready to leave
    arrive_by: bool
    car_s: int


@dataclass(frozen=True)
class LegAnswer:
    """The check of one leg: the journey (None when none will do) and what a person reads."""

    direction: str
    journey: Journey | None
    text: str

    @property
    def possible(self) -> bool:
        return self.journey is not None


class Planner:
    """Answers LegQueries on one feed; keeps the layouts and the answers last asked for
    (thread-safe)."""

    def __init__(self, feed: Feed, *, name: str) -> None:
        self.feed = feed
        self.name = name
        self._layouts: OrderedDict[
            frozenset[str], tuple[timetable.Timetable, timetable.Timetable]
        ] = OrderedDict()
        self._answers: OrderedDict[tuple[LegQuery, Limits], LegAnswer] = OrderedDict()
        self._lock = threading.Lock()

    def day(self, day: date) -> tuple[timetable.Timetable, timetable.Timetable]:
        """The forward and the reversed timetable of a day."""
        running = self.feed.services_on(day)
        with self._lock:
            if running in self._layouts:
                self._layouts.move_to_end(running)
                return self._layouts[running]
        built = (
            timetable.build_services(self.feed, running),
            timetable.build_services(self.feed, running, reverse=True),
        )
        with self._lock:
            self._layouts[running] = built
            while len(self._layouts) > LAYOUTS_KEPT:
                self._layouts.popitem(last=False)
        return built

    def answer(self, query: LegQuery, limits: Limits) -> LegAnswer:
        """The check of one leg, from the answers kept when it was asked before."""
        key = (query, limits)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        found = self._search(query, limits)
        with self._lock:
            self._answers[key] = found
            while len(self._answers) > ANSWERS_KEPT:
                self._answers.popitem(last=False)
        return found

    def _search(self, query: LegQuery, limits: Limits) -> LegAnswer:
        forward, backward = self.day(query.day)
        if not forward.stops_near(query.origin.lat, query.origin.lon, limits.max_walk_m):
            return _no(query, f"ingen hållplats inom {limits.max_walk_m} m gång från start")
        if not forward.stops_near(query.destination.lat, query.destination.lon, limits.max_walk_m):
            return _no(query, f"ingen hållplats inom {limits.max_walk_m} m gång från målet")
        if query.arrive_by:
            deadline = query.at_s - 60 * limits.arrive_before_min
            journey = arrive_by(
                backward,
                query.origin,
                query.destination,
                deadline,
                max_walk_m=limits.max_walk_m,
                max_transfers=limits.max_transfers,
                forward=forward,
            )
            if journey is None:
                return _no(
                    query,
                    f"ingen resa framme senast {clock(deadline)} med högst "
                    f"{limits.max_transfers} byten",
                )
            wait = (query.at_s - journey.arrive_s) // 60
        else:
            journey = depart_after(
                forward,
                query.origin,
                query.destination,
                query.at_s,
                max_walk_m=limits.max_walk_m,
                max_transfers=limits.max_transfers,
            )
            if journey is None:
                return _no(
                    query,
                    f"ingen resa efter {clock(query.at_s)} samma dag med högst "
                    f"{limits.max_transfers} byten",
                )
            wait = (journey.leave_s - query.at_s) // 60
        return _judge(query, journey, wait, limits)


def _no(query: LegQuery, text: str) -> LegAnswer:
    return LegAnswer(query.direction, None, text)


def _judge(query: LegQuery, journey: Journey, wait: int, limits: Limits) -> LegAnswer:
    car_min = max(1, round(query.car_s / 60))
    allowed = max(limits.ratio_floor_min, int(limits.max_time_ratio * car_min))
    said = journey.summary()
    if journey.minutes > allowed:
        return _no(
            query,
            f"{said} tar {journey.minutes} min dörr till dörr, mer än de {allowed} min "
            f"reglerna medger ({str(limits.max_time_ratio).replace('.', ',')} gånger bilens "
            f"{car_min} min, minst {limits.ratio_floor_min} min)",
        )
    if wait > limits.max_wait_min:
        where = "före besöket" if query.arrive_by else "före hemresan"
        return _no(query, f"{said} ger {wait} min väntan {where}, mer än {limits.max_wait_min}")
    return LegAnswer(
        query.direction,
        journey,
        f"{said} (dörr till dörr {clock(journey.leave_s)}–{clock(journey.arrive_s)}, "
        f"{journey.minutes} min mot bilens {car_min} min, {journey.walk_m} m gång)",
    )
