"""How every benchmark saves what it measured: its rows as CSV and as a Markdown table under
benchmarks/results/, headed by the date, the machine and the load it ran under.

A figure read without the machine and the load it was measured under says little on a
shared 2-core machine, so every saved table carries them the same way; the scripts say
only what is theirs (title, settings, rows). Run as scripts (`python benchmarks/x.py`),
the benchmarks import this module from their own folder.
"""

from __future__ import annotations

import csv
import os
import platform
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"

Row = Mapping[str, object] | Sequence[object]


def machine() -> str:
    """The processor's model name where Linux gives it, cores visible, system, Python."""
    cpu = platform.processor() or platform.machine()
    info = Path("/proc/cpuinfo")
    if info.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in info.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return (
        f"{cpu}, {os.cpu_count()} cores visible, {platform.system()}, "
        f"Python {platform.python_version()}"
    )


def header(title: str, notes: Iterable[str]) -> list[str]:
    """The Markdown lines above a table: title, date, machine, the script's notes, load."""
    return [
        f"# {title}",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        *(f"- {note}" for note in notes),
        f"- load average (1, 5, 15 min) when saved: {os.getloadavg()} on {os.cpu_count()} cores",
        "",
    ]


def _cells(fields: Sequence[str], row: Row) -> list[object]:
    if isinstance(row, Mapping):
        return [row[field] for field in fields]
    return list(row)


def table(fields: Sequence[str], rows: Iterable[Row]) -> list[str]:
    """A Markdown table of `rows` (mappings by field, or sequences in field order)."""
    lines = ["| " + " | ".join(fields) + " |", "|" + "---|" * len(fields)]
    lines += ["| " + " | ".join(str(v) for v in _cells(fields, row)) + " |" for row in rows]
    return lines


def write_csv(name: str, fields: Sequence[str], rows: Iterable[Row]) -> None:
    """results/`name`.csv: a header of `fields`, then `rows`."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(fields)
        writer.writerows(_cells(fields, row) for row in rows)


def write_markdown(name: str, lines: Iterable[str]) -> str:
    """results/`name`.md from `lines`; returns the text, for the scripts that print it."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = "\n".join(lines) + "\n"
    (RESULTS / f"{name}.md").write_text(text, encoding="utf-8")
    return text


def save(
    name: str,
    title: str,
    notes: Iterable[str],
    fields: Sequence[str],
    rows: Sequence[Row],
    after: Iterable[str] = (),
) -> str:
    """results/`name`.csv and .md: the header, the table of `rows`, then `after`."""
    write_csv(name, fields, rows)
    return write_markdown(name, [*header(title, notes), *table(fields, rows), *after])
