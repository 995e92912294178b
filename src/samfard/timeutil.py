"""Time zone helpers: Swedish local time at the edges, aware datetimes inside."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(day: date, at: time) -> datetime:
    """The aware datetime of a wall-clock time on a Swedish day (DST handled by zoneinfo)."""
    return datetime.combine(day, at, tzinfo=STOCKHOLM)


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
