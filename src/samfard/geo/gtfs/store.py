"""The feed this process plans on: SAMFARD_GTFS (a zip or folder) or the demo feed.

Read and checked once per process; a feed that fails the validator is refused with its
problems listed, never half-used.
"""

from __future__ import annotations

import gc
from functools import lru_cache
from pathlib import Path

from samfard.config import get_settings
from samfard.errors import InputError
from samfard.geo.gtfs.check import Planner
from samfard.geo.gtfs.demo_feed import demo_tables
from samfard.geo.gtfs.feed import Feed, Tables, read_tables
from samfard.geo.gtfs.validate import problems

DEMO = "demo"
OFF = "off"


def load_tables(path: str | None) -> Tables:
    """The tables of a feed at `path`, or of the demo feed when `path` is None."""
    return demo_tables() if path is None else read_tables(Path(path))


def load_feed(path: str | None) -> Feed:
    """A checked, typed feed; InputError lists what is wrong with an invalid one."""
    tables = load_tables(path)
    found = problems(tables)
    if found:
        raise InputError(
            f"the GTFS feed {path or DEMO} is not valid: " + "; ".join(found[:10]), field="gtfs"
        )
    return Feed.from_tables(tables)


@lru_cache(maxsize=2)
def planner_for(path: str | None) -> Planner:
    planner = Planner(load_feed(path), name=path or DEMO)
    # The feed lives as long as the process: out of the garbage collector's sight, a full
    # collection no longer walks its tens of thousands of rows (a 250 ms pause measured in
    # benchmarks/public_transport.py, inside a booking's assessment).
    gc.freeze()
    return planner


def configured_planner() -> Planner | None:
    """The planner on the configured feed (SAMFARD_GTFS), built on first use; None when
    the setting is "off" (a centre without a timetable)."""
    path = get_settings().gtfs_path
    return None if path == OFF else planner_for(path)
