"""The demo's plain data: travellers, bookings and legs as the generators make them and
the loader stores them through the booking services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from samfard.timeutil import local


@dataclass(frozen=True)
class Spot:
    name: str
    kind: str  # home | locality | hospital | health_centre | dialysis | tertiary
    municipality_code: str
    lat: float
    lon: float


AT_THE_DOOR_KM = 0.2


@dataclass(frozen=True)
class DemoTraveller:
    key: int
    personal_number: str  # 12 digits, valid check digit, synthetic person
    first_name: str
    last_name: str
    street: str
    postal_code: str
    city: str
    municipality_code: str
    lat: float
    lon: float
    mobility_aids: tuple[str, ...]
    protected_identity: bool
    permit_municipality: str | None  # färdtjänst/riksfärdtjänst permit granted by
    permit_special_vehicle: bool

    @property
    def asylum_housing(self) -> bool:
        """About one traveller in forty lives in asylum housing (seed 001): derived from
        the key, so the rest of a seed's demo stays as it was."""
        return self.key % 40 == 3

    @property
    def phone(self) -> str:
        """A number from the range PTS reserves for fiction (08-465 00 00 to 08-465 09 99),
        derived from the key so the demo stays the same for a seed."""
        return f"08-465 0{self.key % 1000:03d}"

    @property
    def home(self) -> Spot:
        return Spot(
            f"{self.street}, {self.city}", "home", self.municipality_code, self.lat, self.lon
        )


@dataclass(frozen=True)
class DemoLeg:
    origin: Spot
    destination: Spot
    pickup_at: datetime | None
    appointment_at: datetime | None
    return_of: int | None = None


@dataclass(frozen=True)
class DemoBooking:
    traveller_key: int
    service: str
    principal_code: str
    purpose: str
    legs: tuple[DemoLeg, ...]
    needs: tuple[str, ...] = ()
    companions: tuple[tuple[str, int | None], ...] = ()
    message_to_driver: str | None = None
    dialysis_weekdays: tuple[str, ...] = ()  # set for dialysis: the series pattern


@dataclass(frozen=True)
class DemoDay:
    day: date
    seed: int
    travellers: tuple[DemoTraveller, ...]
    bookings: tuple[DemoBooking, ...]

    @property
    def trip_count(self) -> int:
        return sum(len(b.legs) for b in self.bookings)


def booked_at(day: date) -> datetime:
    """When the demo books a day's trips: noon the day before (the loader's `now`)."""
    return local(day - timedelta(days=1), time(12, 0))
