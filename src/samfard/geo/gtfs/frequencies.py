"""frequencies.txt: trips given as a headway instead of one timetabled run, laid out as the
trips they stand for, so the journey planner sees an ordinary timetable.

In GTFS (reference, frequencies.txt) a trip listed in frequencies.txt is a template: its
stop_times give the running times between stops, relative to its first departure, and
their absolute values are ignored. Each frequencies.txt row runs the template from
start_time, every headway_secs seconds, while the departure from the first stop is before
end_time (end_time itself is excluded: every 30 min from 08:00 to 10:00 leaves last at
09:30). exact_times=1 says the vehicles keep exactly those times (a compressed timetable);
exact_times=0 or empty says the operator keeps the headway rather than a timetable. Both
are laid out at the same times here, start_time + n × headway_secs: for exact_times=0 a
traveller may wait up to one headway longer than a journey found on them says
(docs/public-transport.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from samfard.geo.gtfs.times import format_time, parse_time

Rows = list[dict[str, str]]


@dataclass(frozen=True)
class Frequency:
    """One row of frequencies.txt: the template trip runs every headway_s from start
    until before end (seconds of the service day, measured at the first stop)."""

    trip_id: str
    start: int
    end: int
    headway_s: int
    exact: bool

    def starts(self) -> range:
        """The departures from the first stop: start, start + headway, ... before end."""
        return range(self.start, self.end, self.headway_s)


def frequency_rows(rows: Rows) -> tuple[Frequency, ...]:
    """Typed rows of a frequencies.txt that `validate.problems` found nothing wrong with."""
    return tuple(
        Frequency(
            trip_id=r["trip_id"],
            start=parse_time(r["start_time"]),
            end=parse_time(r["end_time"]),
            headway_s=int(r["headway_secs"]),
            exact=r.get("exact_times", "") == "1",
        )
        for r in rows
    )


def expanded_id(trip_id: str, start: int) -> str:
    """The id of the run of a template trip leaving its first stop at `start`."""
    return f"{trip_id}@{format_time(start)}"


def expand(trips: Rows, stop_times: Rows, frequencies: Rows) -> tuple[Rows, Rows]:
    """trips.txt and stop_times.txt with every template trip of a (valid) frequencies.txt
    replaced by its runs, each with the template's times shifted to its start."""
    by_template: dict[str, list[Frequency]] = defaultdict(list)
    for frequency in frequency_rows(frequencies):
        by_template[frequency.trip_id].append(frequency)
    if not by_template:
        return trips, stop_times
    template_times: dict[str, list[dict[str, str]]] = defaultdict(list)
    kept_times: Rows = []
    for row in stop_times:
        if row["trip_id"] in by_template:
            template_times[row["trip_id"]].append(row)
        else:
            kept_times.append(row)
    kept_trips: Rows = []
    for trip in trips:
        runs = by_template.get(trip["trip_id"])
        if runs is None:
            kept_trips.append(trip)
            continue
        template = sorted(template_times[trip["trip_id"]], key=lambda r: int(r["stop_sequence"]))
        first = _times(template[0])[1]
        for frequency in sorted(runs, key=lambda f: f.start):
            for start in frequency.starts():
                run_id = expanded_id(trip["trip_id"], start)
                kept_trips.append({**trip, "trip_id": run_id})
                shift = start - first
                for row in template:
                    arrival, departure = _times(row)
                    kept_times.append(
                        {
                            **row,
                            "trip_id": run_id,
                            "arrival_time": format_time(arrival + shift),
                            "departure_time": format_time(departure + shift),
                        }
                    )
    return kept_trips, kept_times


def _times(row: dict[str, str]) -> tuple[int, int]:
    """(arrival, departure) of a stop time; either may stand for both."""
    arrival = row.get("arrival_time", "") or row["departure_time"]
    departure = row.get("departure_time", "") or arrival
    return parse_time(arrival), parse_time(departure)
