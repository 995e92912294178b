"""Generate a synthetic service day for both regions (pure: seed in, plain data out).

The mix follows the shape of real demand (docs/demo.md): dialysis patients three
times a week to the dialysis units, sjukresor to health centres and hospitals (mostly the
nearest), färdtjänst inside the home municipality, a few stretcher transports, a few
referrals from Funäsdalen to Røros or Tynset, and a little riksfärdtjänst. Homes are spread
by the population weights of places.csv. Every person is synthetic and marked so.

Every booking is checked with the booking service's own leg check (`check_leg`: the
same-spot distance, times, return order, nothing in the past) as of `booked_at(day)`,
when the loader books it, and drawn again if refused; personal numbers are unique within
a day and differ between days less than 100 days apart. So a generated day loads on every
date and seed, also beside other demo days: the demo never meets a refusal.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from samfard.booking import legs as booking_legs
from samfard.demo import transit_demand
from samfard.demo.gazetteer import PlaceRow, packaged_places
from samfard.demo.model import (
    AT_THE_DOOR_KM,
    DemoBooking,
    DemoDay,
    DemoLeg,
    DemoTraveller,
    Spot,
    booked_at,
)
from samfard.demo.names import FIRST_NAMES, LAST_NAMES, STREETS
from samfard.errors import InputError
from samfard.geo.distance import km_between
from samfard.timeutil import local
from samfard.travellers.personnummer import luhn_check_digit

__all__ = [
    "AT_THE_DOOR_KM",
    "DemoBooking",
    "DemoDay",
    "DemoLeg",
    "DemoTraveller",
    "Spot",
    "booked_at",
    "generate_day",
    "refusal",
]

# Share of single trips (legs) per kind of demand on an ordinary weekday.
MIX = {
    "dialysis": 0.14,
    "health_centre": 0.24,
    "hospital": 0.22,
    "fardtjanst": 0.34,
    "stretcher": 0.02,
    "norway": 0.01,
    "riksfardtjanst": 0.03,
}
DIALYSIS_DAYS = (("mon", "wed", "fri"), ("tue", "thu", "sat"))  # no dialysis on Sundays
# Draws in a row the generator may discard before it gives up and says why.
MAX_REDRAWS = 100


def refusal(booking: DemoBooking, *, now: datetime) -> str | None:
    """Why booking validation would refuse the booking's legs at `now`, or None.

    It runs the booking service's own `check_leg` on the legs as the service resolves
    them (a home is the traveller's stored coordinates, a place the gazetteer's), so a
    rule added there is obeyed here without a copy of it.
    """
    checked: list[booking_legs.PlannedLeg] = []
    try:
        for index, leg in enumerate(booking.legs):
            candidate = booking_legs.PlannedLeg(
                _leg_spot(leg.origin),
                _leg_spot(leg.destination),
                leg.pickup_at,
                leg.appointment_at,
                leg.return_of,
            )
            # Every check, as for an ordinary home: a demo protected identity's booking that
            # passes them passes the service's fewer checks too.
            checked.append(
                booking_legs.check_leg(
                    candidate, index=index, now=now, earlier=checked, protected_home=False
                )
            )
    except InputError as error:
        return error.message
    return None


def _leg_spot(spot: Spot) -> booking_legs.Spot:
    return booking_legs.Spot(None, spot.name, spot.lat, spot.lon, spot.kind)


@dataclass
class _Generator:
    day: date
    rng: random.Random
    places: tuple[PlaceRow, ...]
    travellers: list[DemoTraveller] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)

    def discard_travellers_from(self, count: int) -> None:
        """Forget the travellers drawn for a booking that was refused."""
        for traveller in self.travellers[count:]:
            self.numbers.discard(traveller.personal_number)
        del self.travellers[count:]

    def of_kind(self, kind: str, county: str | None = None) -> list[PlaceRow]:
        return [
            p for p in self.places if p.kind == kind and (county is None or p.county_code == county)
        ]

    def nearest(self, kind: str, lat: float, lon: float) -> list[PlaceRow]:
        """Places of a kind by distance, leaving out any at the door (under 200 m): a
        booking refuses a trip that ends where it starts, so a home next to the health
        centre travels to the next one."""
        far = [
            p for p in self.of_kind(kind) if km_between(lat, lon, p.lat, p.lon) >= AT_THE_DOOR_KM
        ]
        return sorted(far, key=lambda p: km_between(lat, lon, p.lat, p.lon))

    def spot(self, place: PlaceRow) -> Spot:
        return Spot(place.name, place.kind, place.municipality_code, place.lat, place.lon)

    def traveller(
        self,
        *,
        home: PlaceRow | None = None,
        aids: tuple[str, ...] = (),
        permit: bool = False,
        min_age: int = 5,
        at: tuple[float, float] | None = None,
    ) -> DemoTraveller:
        rng = self.rng
        localities = [p for p in self.of_kind("locality") if p.county_code in ("22", "23")]
        home = home or rng.choices(localities, weights=[p.population for p in localities])[0]
        number = ""
        while not number or number in self.numbers:  # the register refuses a duplicate
            age = rng.randint(min_age, 97)
            birth = date(self.day.year - age, rng.randint(1, 12), rng.randint(1, 28))
            # The serial's first two digits are the day's, so the people of demo days
            # less than 100 days apart never share a number in one register.
            serial = f"{self.day.toordinal() % 100:02d}{rng.randint(0, 9)}"
            yymmdd = birth.strftime("%y%m%d")
            number = birth.strftime("%Y%m%d") + serial + str(luhn_check_digit(yymmdd + serial))
        self.numbers.add(number)
        traveller = DemoTraveller(
            key=len(self.travellers),
            personal_number=number,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES) + " (syntetisk)",
            street=f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
            postal_code=f"{rng.randint(800, 899)}{rng.randint(10, 99)}",
            city=home.name,
            municipality_code=home.municipality_code,
            lat=at[0] if at else round(home.lat + rng.uniform(-0.02, 0.02), 5),
            lon=at[1] if at else round(home.lon + rng.uniform(-0.04, 0.04), 5),
            mobility_aids=aids,
            protected_identity=rng.random() < 0.005,
            permit_municipality=home.municipality_code if permit else None,
            permit_special_vehicle=permit and "wheelchair" in aids,
        )
        self.travellers.append(traveller)
        return traveller

    def appointment(self, earliest: int = 8, latest: int = 15) -> datetime:
        hour = self.rng.randint(earliest, latest)
        return local(self.day, time(hour, self.rng.choice((0, 15, 30, 45))))

    def round_trip(
        self, who: DemoTraveller, target: Spot, *, appointment: datetime, stay: timedelta
    ) -> tuple[DemoLeg, ...]:
        back = appointment + stay
        back = back.replace(minute=(back.minute // 15) * 15, second=0)
        return (
            DemoLeg(who.home, target, None, appointment),
            DemoLeg(target, who.home, back, None, return_of=0),
        )


def _sjukresa(g: _Generator, kind: str) -> DemoBooking:
    rng = g.rng
    wheelchair = rng.random() < 0.12
    who = g.traveller(aids=("wheelchair",) if wheelchair else (), min_age=1)
    candidates = g.nearest(kind, who.lat, who.lon)
    target = candidates[0] if rng.random() < 0.8 or len(candidates) == 1 else candidates[1]
    stay = timedelta(minutes=rng.choice((60, 90, 120, 180)))
    companions: tuple[tuple[str, int | None], ...] = ()
    if rng.random() < 0.08:
        companions = (("escort", None),)
    purpose = (
        "doctor_visit"
        if kind == "health_centre"
        else rng.choice(("treatment", "doctor_visit", "xray"))
    )
    return DemoBooking(
        traveller_key=who.key,
        service="sjukresa",
        principal_code=who.municipality_code[:2],
        purpose=purpose,
        legs=g.round_trip(who, g.spot(target), appointment=g.appointment(), stay=stay),
        needs=("wheelchair",) if wheelchair else (),
        companions=companions,
    )


def _dialysis(g: _Generator) -> DemoBooking:
    rng = g.rng
    who = g.traveller(aids=("wheelchair",) if rng.random() < 0.2 else (), min_age=30)
    unit = g.nearest("dialysis", who.lat, who.lon)[0]
    start = rng.choice((time(7, 30), time(12, 30)))
    appointment = local(g.day, start)
    weekdays = DIALYSIS_DAYS[0] if g.day.weekday() in (0, 2, 4) else DIALYSIS_DAYS[1]
    return DemoBooking(
        traveller_key=who.key,
        service="sjukresa",
        principal_code=who.municipality_code[:2],
        purpose="dialysis",
        legs=g.round_trip(
            who, g.spot(unit), appointment=appointment, stay=timedelta(hours=4, minutes=30)
        ),
        needs=("wheelchair",) if who.mobility_aids else (),
        dialysis_weekdays=weekdays,
    )


def _fardtjanst(g: _Generator, *, national: bool = False) -> DemoBooking:
    rng = g.rng
    wheelchair = rng.random() < 0.25
    who = g.traveller(
        aids=("wheelchair",) if wheelchair else ("rollator",), permit=True, min_age=12
    )
    if national:
        others = [
            p
            for p in g.of_kind("locality")
            if p.municipality_code != who.municipality_code and p.county_code in ("22", "23")
        ]
        target = rng.choices(others, weights=[p.population for p in others])[0]
        service, purpose = "riksfardtjanst", "visit"
    else:
        same = [
            p
            for p in g.places
            if p.municipality_code == who.municipality_code
            and p.kind in ("locality", "health_centre")
            and p.name != who.city
        ]
        target = rng.choice(same) if same else g.nearest("health_centre", who.lat, who.lon)[0]
        service, purpose = "fardtjanst", rng.choice(("shopping", "leisure", "visit", "work"))
    pickup = local(g.day, time(rng.randint(7, 19), rng.choice((0, 10, 20, 30, 40, 50))))
    there = g.spot(target)
    drive = _drive_to_ten(who.home, there)
    back = pickup + drive + timedelta(minutes=rng.choice((60, 120, 180)))
    legs = [DemoLeg(who.home, there, pickup, None)]
    if back + drive <= local(g.day, time(22)):  # home by ten, else the visit is one way
        legs.append(DemoLeg(there, who.home, back, None, return_of=0))
    return DemoBooking(
        traveller_key=who.key,
        service=service,
        principal_code=who.municipality_code,
        purpose=purpose,
        legs=tuple(legs),
        needs=("wheelchair",) if wheelchair else (),
    )


def _drive_to_ten(origin: Spot, destination: Spot) -> timedelta:
    """The drive by the planner's default travel times, up to whole ten minutes: a visit's
    return is asked for that long plus the stay after the pickup, as a traveller would, and
    only where the drive home ends by the evening."""
    seconds = booking_legs.model_drive_seconds(_leg_spot(origin), _leg_spot(destination))
    return timedelta(minutes=10 * math.ceil(seconds / 600))


def _stretcher(g: _Generator) -> DemoBooking:
    who = g.traveller(aids=("stretcher",), min_age=40)
    hospital = g.nearest("hospital", who.lat, who.lon)[0]
    appointment = g.appointment(9, 14)
    return DemoBooking(
        traveller_key=who.key,
        service="sjukresa",
        principal_code=who.municipality_code[:2],
        purpose="treatment",
        needs=("stretcher",),
        legs=(DemoLeg(who.home, g.spot(hospital), None, appointment),),
        message_to_driver="Liggande transport, bår behövs.",
    )


def _norway(g: _Generator) -> DemoBooking:
    funasdalen = next(p for p in g.places if p.name == "Funäsdalen")
    who = g.traveller(home=funasdalen, min_age=18)
    target = g.rng.choice([p for p in g.places if p.name in ("Røros sykehus", "Tynset sykehus")])
    return DemoBooking(
        traveller_key=who.key,
        service="sjukresa",
        principal_code="23",
        purpose="referral",
        legs=g.round_trip(
            who, g.spot(target), appointment=g.appointment(10, 13), stay=timedelta(hours=2)
        ),
    )


def generate_day(day: date, *, seed: int = 1, trips: int = 600) -> DemoDay:
    """About `trips` single trips (legs) for both regions on `day`, the same for a seed.

    Each booking is drawn until booking validation accepts it as of `booked_at(day)`.
    """
    if trips < 1:
        raise ValueError(f"trips must be positive, got {trips}")
    g = _Generator(
        day=day, rng=random.Random(f"{seed}:{day.isoformat()}"), places=packaged_places()
    )
    makers = {
        "dialysis": lambda: _dialysis(g),
        "health_centre": lambda: _sjukresa(g, "health_centre"),
        "hospital": lambda: _sjukresa(g, "hospital"),
        "fardtjanst": lambda: _fardtjanst(g),
        "stretcher": lambda: _stretcher(g),
        "norway": lambda: _norway(g),
        "riksfardtjanst": lambda: _fardtjanst(g, national=True),
    }
    mix = dict(MIX)
    if day.weekday() == 6:
        del mix["dialysis"]  # the units treat Monday to Saturday
    kinds, weights = list(mix), list(mix.values())
    now = booked_at(day)
    bookings: list[DemoBooking] = [_accepted(g, makers["norway"], now)]  # a referral a day
    count = len(bookings[0].legs)
    while count < trips - transit_demand.LEGS:
        kind = g.rng.choices(kinds, weights=weights)[0]
        booking = _accepted(g, makers[kind], now)
        bookings.append(booking)
        count += len(booking.legs)
    # Booked lines and närtrafik, the transport authorities' share of the day.
    for booking in transit_demand.demand(
        seed, day, g.places, lambda home, lat, lon: g.traveller(home=home, at=(lat, lon))
    ):
        why = refusal(booking, now=now)
        if why:  # pragma: no cover - timetabled and windowed times lie after noon the day before
            raise RuntimeError(f"the demo drew a refused {booking.service} booking: {why}")
        bookings.append(booking)
    return DemoDay(day=day, seed=seed, travellers=tuple(g.travellers), bookings=tuple(bookings))


def _accepted(g: _Generator, make: Callable[[], DemoBooking], now: datetime) -> DemoBooking:
    """A booking from `make` that booking validation accepts; refused draws are discarded."""
    why = ""
    for _ in range(MAX_REDRAWS):
        before = len(g.travellers)
        booking = make()
        why = refusal(booking, now=now) or ""
        if not why:
            return booking
        g.discard_travellers_from(before)
    raise RuntimeError(f"the demo generator drew {MAX_REDRAWS} refused bookings in a row: {why}")
