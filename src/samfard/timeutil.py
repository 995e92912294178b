"""Time zone helpers: Swedish local time at the edges, aware datetimes inside."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


# The years a trip can fall in. A date is valid from year 1 to 9999, but a day at either
# end overflows when it is turned to UTC or a stay is added to it; no booking needs them.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def in_trip_years(day: date) -> bool:
    """Whether trips can fall on the day (`FIRST_YEAR`-`LAST_YEAR`)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def check_year(day: date, *, field: str = "day") -> date:
    """The day, if trips can fall on it; else an InputError naming `field`."""
    if not in_trip_years(day):
        from samfard.errors import InputError

        raise InputError(
            f"{day.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}: give a day "
            "trips can fall on",
            field=field,
        )
    return day


def local(day: date, at: time) -> datetime:
    """The aware datetime of a wall-clock time on a Swedish day (DST handled by zoneinfo)."""
    return datetime.combine(check_year(day), at, tzinfo=STOCKHOLM)


def elapsed(at: datetime, delta: timedelta) -> datetime:
    """`at` moved by `delta` of time that passes, in UTC.

    Python adds a timedelta to a datetime in Europe/Stockholm on its wall clock, so across
    the night a DST change falls in, "an hour later" would be two hours or none. A rule's
    "1 h ahead" or "24 h before" is time that passes."""
    return at.astimezone(UTC) + delta


def local_date(at: datetime) -> date:
    """The Swedish calendar day of an aware moment, whatever zone it is written in."""
    return at.astimezone(STOCKHOLM).date()


def require_aware(value: datetime, *, field: str) -> datetime:
    """Refuse naive datetimes: a time without a zone is ambiguous around DST changes."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        from samfard.errors import InputError

        raise InputError(
            f"{field} must carry a time zone offset, e.g. 2026-11-23T08:30:00+01:00",
            field=field,
        )
    return value


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a Swedish service day as aware datetimes."""
    start = local(day, time(0, 0))
    end = local(day + timedelta(days=1), time(0, 0))
    return start, end
