"""Reading the booking desk's form: Swedish times, chosen or typed places, the series.

An operator types what the caller says. Times come as "10:30", "1030", "kl 10.30" or a
full "2026-12-02 10:30" (also ISO "2026-12-02T10:30"); a bare time falls on the form's
date. A place is what was picked in a suggestion list ("place:12", "home", "address:...")
or, when nothing was picked, the typed text matched against the traveller's home, the
gazetteer, and finally a street address in a known locality. What cannot be read becomes a
Swedish message for the error summary, keyed by the field's id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from samfard.booking.recurrence import Weekday
from samfard.booking.schemas import COMPANIONS_MOST, Companion, CompanionKind, Location, Need
from samfard.geo.models import Place
from samfard.geo.places import search_key, search_places
from samfard.timeutil import STOCKHOLM, local
from samfard.travellers.models import Traveller
from samfard.web.typed import FieldError, parse_clock, parse_date, whole_number, within_years

HOME_WORDS = frozenset({"hem", "hemma", "hemmet", "hemadress", "bostad"})


_DATE_COMMA = re.compile(r",(?=\s)|(?<=[-/]\d),|(?<=[-/]\d\d),")


class NoDay(FieldError):
    """A time of day given with no day to put it on: said at the time's field unless the
    day's own field already says what is wrong with the day."""


def parse_when(text: str, *, day: date | None, today: date) -> datetime:
    """A time of day on `day`, or a full date and time, as an aware Swedish datetime."""
    # A comma after a date or before a space parts date and time ("7/12, 10:30"); one
    # between digits is the minutes' ("10,30"), as Swedes also write the time.
    value = " ".join(_DATE_COMMA.sub(" ", text.strip().replace("T", " ")).split())
    if not value:
        raise FieldError("Ange en tid")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is not None:
        within_years(parsed.date())
        if parsed.tzinfo is None:
            return _on_the_clock(parsed.replace(tzinfo=STOCKHOLM, second=0, microsecond=0))
        return parsed.astimezone(STOCKHOLM)
    parts = value.split(" ", 1)
    if len(parts) == 2 and any(c in parts[0] for c in "-/"):
        return _on_the_clock(local(parse_date(parts[0], today=today), parse_clock(parts[1])))
    clock = parse_clock(value)
    if day is None:
        raise NoDay("Ange datum i fältet Datum, eller datum och tid här")
    return _on_the_clock(local(day, clock))


def _on_the_clock(moment: datetime) -> datetime:
    """The wall-clock time, if Swedish clocks show it that day: the hour the clocks skip
    when summer time begins (02:00-02:59 on the last Sunday of March) does not exist, and
    was taken silently as an hour later. (The hour shown twice in October is the first,
    summer time's, as the clocks show it first.)"""
    shown = moment.astimezone(UTC).astimezone(STOCKHOLM)
    if shown.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise FieldError(
            f"Klockan {moment:%H:%M} finns inte den dagen: klockan ställs fram från 02:00 "
            "till 03:00 när sommartid börjar. Välj en tid före 02:00 eller från 03:00"
        )
    return moment


@dataclass(frozen=True)
class PlaceChoice:
    """What a place field resolved to: the API's Location and the words to read back."""

    location: Location
    label: str


def home_label(traveller: Traveller, *, visible: bool) -> str:
    """The home as the desk shows it; a protected identity's address stays hidden."""
    return f"Hemma: {traveller.street}, {traveller.city}" if visible else "Hemma (skyddad adress)"


def place_label(place: Place) -> str:
    return place.name if place.municipality in place.name else f"{place.name}, {place.municipality}"


def resolve_place(
    session: Session, *, choice: str, text: str, traveller: Traveller, visible: bool
) -> PlaceChoice:
    """The place a field names: its picked suggestion if the text still shows it, else the
    typed text (home, a gazetteer place, or a street in a known locality)."""
    typed = " ".join(text.split())
    home = PlaceChoice(Location(home=True), home_label(traveller, visible=visible))
    if choice == "home" and (not typed or typed == home.label):
        return home
    place_id = whole_number(choice[6:]) if choice.startswith("place:") else None
    if place_id:
        place = session.get(Place, place_id)
        if place is not None and (not typed or typed == place_label(place)):
            return PlaceChoice(Location(place_id=place.id), place_label(place))
    if choice.startswith("address:") and typed == choice[8:]:
        return _address(session, typed)
    if not typed:
        raise FieldError("Ange en plats: skriv och välj i listan")
    key = search_key(typed)
    if key in HOME_WORDS or key.startswith("hemma") or (visible and _is_home(key, traveller)):
        return home
    found = search_places(session=session, query=typed, limit=1)
    if found:
        return PlaceChoice(Location(place_id=found[0].id), place_label(found[0]))
    return _address(session, typed)


def _is_home(key: str, traveller: Traveller) -> bool:
    """The typed text names the home's street. Asked only of a reader who may see the
    address: matching a hidden one would confirm a guess ("Hittar inte platsen" otherwise)."""
    street = search_key(traveller.street)
    return key.startswith(street) or key == search_key(f"{traveller.street}, {traveller.city}")


def _address(session: Session, typed: str) -> PlaceChoice:
    """A street address placed at its locality (the gazetteer has no street index)."""
    street, _, town = typed.rpartition(",")
    locality = search_places(session=session, query=town.strip(), limit=1) if street else []
    if not locality or len(street.strip()) < 3:
        raise FieldError(
            "Hittar inte platsen. Välj i listan, eller skriv gatuadress och ort, "
            "till exempel Storgatan 5, Östersund"
        )
    place = locality[0]
    address = f"{street.strip()}, {place.municipality if town.strip() == '' else town.strip()}"
    return PlaceChoice(Location(address=address, lat=place.lat, lon=place.lon), address)


def suggested_address(session: Session, typed: str) -> PlaceChoice | None:
    """The typed text as a street address, when it names a known locality after a comma."""
    try:
        return _address(session, typed)
    except FieldError:
        return None


NEEDS_FIELDS: dict[str, Need] = {
    "rullstol": Need.WHEELCHAIR,
    "bar": Need.STRETCHER,
    "ensamakning": Need.RIDE_ALONE,
    "framsate": Need.FRONT_SEAT,
}
WEEKDAY_FIELDS: dict[str, Weekday] = {
    "man": Weekday.MON,
    "tis": Weekday.TUE,
    "ons": Weekday.WED,
    "tor": Weekday.THU,
    "fre": Weekday.FRI,
    "lor": Weekday.SAT,
    "son": Weekday.SUN,
}


def needs_from(form: Mapping[str, str]) -> list[Need]:
    return [need for name, need in NEEDS_FIELDS.items() if form.get(name)]


def count(form: Mapping[str, str], name: str, *, most: int = 4) -> int:
    """A small whole number typed in a field (empty is 0); "1,5" is no count, and is
    refused as typed (a browser's number field made it 15)."""
    number = whole_number(form.get(name, "").strip() or "0", most=most)
    if number is None:
        raise FieldError(f"Ange ett heltal från 0 till {most}")
    return number


def child_ages(form: Mapping[str, str], name: str = "barn") -> list[int]:
    """The children's ages, written '5, 8'."""
    ages = [whole_number(a, most=17) for a in form.get(name, "").replace(",", " ").split()]
    if None in ages:
        raise FieldError("Skriv barnens åldrar i år (0 till 17), till exempel 5, 8")
    return [age for age in ages if age is not None]


def companions(escorts: int, adults: int, ages: list[int]) -> list[Companion]:
    """Escorts, adult fellow passengers and children, as the booking lists them; more than
    a booking takes is refused in the operator's words, not the schema's."""
    if escorts + adults + len(ages) > COMPANIONS_MOST:
        raise FieldError(f"Högst {COMPANIONS_MOST} medföljande på en resa, barn medräknade")
    return (
        [Companion(kind=CompanionKind.ESCORT) for _ in range(escorts)]
        + [Companion(kind=CompanionKind.FELLOW_PASSENGER) for _ in range(adults)]
        + [Companion(kind=CompanionKind.CHILD, age=a) for a in ages]
    )


def weekdays_from(form: Mapping[str, str]) -> list[Weekday]:
    return [day for name, day in WEEKDAY_FIELDS.items() if form.get(name)]
