"""GTFS times and dates as the files write them: times are HH:MM:SS from the start of the
service day (past 24:00 for trips running after midnight), dates YYYYMMDD."""

from __future__ import annotations

from datetime import date


def parse_time(text: str) -> int:
    """Seconds from the start of the service day (noon minus 12 h): "25:10:00" is 90 600;
    GTFS times pass 24:00 for trips that run past midnight."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"a GTFS time is HH:MM:SS, got {text!r}")
    hours, minutes, seconds = (int(p) for p in parts)
    if minutes > 59 or seconds > 59:
        raise ValueError(f"minutes and seconds must be below 60, got {text!r}")
    return hours * 3600 + minutes * 60 + seconds


def format_time(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def parse_date(text: str) -> date:
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        raise ValueError(f"a GTFS date is YYYYMMDD, got {text!r}")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))
