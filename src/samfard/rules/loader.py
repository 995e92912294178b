"""Read rulebook files, check them against the schema, and pick the version in force.

Problems are reported as `file: key.path: problem`, all of them at once, so a principal
editing a file sees every mistake in one run. History is append-only: versions must have
strictly increasing `valid_from` dates; a change is a new version, never an edit.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from samfard.errors import RuleError
from samfard.rules.facts import Service
from samfard.rules.schema import (
    VERSION_MODELS,
    Band,
    BookedLineVersion,
    DistanceBands,
    FardtjanstVersion,
    Header,
    ModeRule,
    NartrafikVersion,
    RiksfardtjanstVersion,
    SjukresaVersion,
    Version,
    VersionModel,
)

SHIPPED_ROOT = Path(__file__).parent / "rulebooks"
NATIONAL = "SE"
_UNION_TAGS = {"distance_bands", "bus_fare_multiple"}


@dataclass(frozen=True)
class Rulebook:
    """Rulebook (regelverk): one principal's rules for one service, as dated versions."""

    file: str
    principal: str
    principal_name: str
    service: Service
    versions: tuple[VersionModel, ...]

    def version_on(self, day: date) -> tuple[int, VersionModel]:
        """The index and version in force on `day`: the latest valid_from on or before it."""
        chosen: tuple[int, VersionModel] | None = None
        for index, version in enumerate(self.versions):
            if version.valid_from <= day:
                chosen = (index, version)
        if chosen is None:
            raise RuleError(
                f"{self.file}: no version in force on {day}; "
                f"the first is valid from {self.versions[0].valid_from}",
                field="trip.day",
            )
        return chosen


@dataclass(frozen=True)
class RulebookSet:
    """All rulebooks, keyed by principal and service."""

    books: tuple[Rulebook, ...]

    def get(self, principal: str, service: Service) -> Rulebook:
        for book in self.books:
            if book.principal == principal and book.service is service:
                return book
        have = sorted(f"{b.principal}/{b.service.value}" for b in self.books)
        raise RuleError(
            f"no {service.value} rulebook for principal {principal!r} (have: {', '.join(have)})",
            field="trip.principal",
        )

    def find(self, principal: str, service: Service) -> Rulebook | None:
        return next(
            (b for b in self.books if b.principal == principal and b.service is service), None
        )


def _key(loc: Sequence[int | str], prefix: str = "") -> str:
    """pydantic's loc tuple as the dotted key a person finds in the file."""
    key = prefix
    for item in loc:
        if isinstance(item, int):
            key += f"[{item}]"
        elif item not in _UNION_TAGS and not item.startswith("function-"):
            key = f"{key}.{item}" if key else item
    return key


def _pydantic_problems(error: ValidationError, prefix: str) -> Iterator[str]:
    for problem in error.errors():
        message = problem["msg"].removeprefix("Value error, ")
        yield f"{_key(problem['loc'], prefix)}: {message}"


def _band_problems(fee: DistanceBands, key: str) -> Iterator[str]:
    bands: tuple[Band, ...] = fee.bands
    if bands[0].min_km != 0:
        yield f"{key}.bands[0].min_km: the first band must start at 0, got {bands[0].min_km}"
    for i, band in enumerate(bands):
        where = f"{key}.bands[{i}]"
        last = i == len(bands) - 1
        if band.max_km is None:
            if not last:
                yield f"{where}.max_km: only the last band may be open-ended"
            continue
        if band.max_km <= band.min_km:
            yield f"{where}.max_km: must be greater than min_km {band.min_km}, got {band.max_km}"
        if not last:
            expected = band.max_km + fee.resolution_km
            if bands[i + 1].min_km != expected:
                yield (
                    f"{key}.bands[{i + 1}].min_km: must follow the previous band "
                    f"(max_km {band.max_km} + resolution {fee.resolution_km} = {expected}), "
                    f"got {bands[i + 1].min_km}"
                )


def _version_problems(version: VersionModel, key: str) -> Iterator[str]:
    mode_names = [m.mode if isinstance(m, ModeRule) else m for m in version.modes]
    if len(set(mode_names)) != len(mode_names):
        yield f"{key}.modes: a mode is listed twice: {[str(m) for m in mode_names]}"
    if isinstance(version, SjukresaVersion):
        both = set(version.purposes.reimbursed) & set(version.purposes.not_reimbursed)
        if both:
            yield f"{key}.purposes: listed as both reimbursed and not: {sorted(both)}"
    if isinstance(version, FardtjanstVersion | RiksfardtjanstVersion) and isinstance(
        version.fee, DistanceBands
    ):
        yield from _band_problems(version.fee, f"{key}.fee")
    if isinstance(version, NartrafikVersion | BookedLineVersion) and version.fare is not None:
        yield from _band_problems(version.fare, f"{key}.fare")
    if isinstance(version, NartrafikVersion):
        for i, window in enumerate(version.service.windows):
            if window.end <= window.start:
                yield (
                    f"{key}.service.windows[{i}].end: must be after start {window.start}, "
                    f"got {window.end}"
                )


def parse_rulebook(data: dict[str, Any], file: str, *, folder: str | None = None) -> Rulebook:
    """Check parsed TOML against the schema; `file` names it in every message."""
    problems: list[str] = []
    try:
        header = Header.model_validate(data)
    except ValidationError as error:
        raise RuleError(
            "\n".join(f"{file}: {p}" for p in _pydantic_problems(error, "")), field=file
        ) from error
    if folder is not None and folder != header.principal:
        problems.append(f"principal: must match its folder {folder!r}, got {header.principal!r}")
    if not file.endswith(f"{header.service.value}.toml"):
        problems.append(f"service: must match the file name, got {header.service.value!r}")
    model = VERSION_MODELS.get(header.service)
    versions: list[VersionModel] = []
    if model is None:
        problems.append(f"service: {header.service.value} has no rulebook schema yet")
    else:
        for i, raw in enumerate(header.versions):
            try:
                version = cast(VersionModel, model.model_validate(raw))
            except ValidationError as error:
                problems.extend(_pydantic_problems(error, f"versions[{i}]"))
                continue
            problems.extend(_version_problems(version, f"versions[{i}]"))
            if versions and version.valid_from <= versions[-1].valid_from:
                problems.append(
                    f"versions[{i}].valid_from: must be after the previous version's "
                    f"{versions[-1].valid_from} (versions are appended, never edited), "
                    f"got {version.valid_from}"
                )
            versions.append(version)
    if problems:
        raise RuleError("\n".join(f"{file}: {p}" for p in problems), field=file)
    return Rulebook(
        file=file,
        principal=header.principal,
        principal_name=header.principal_name,
        service=header.service,
        versions=tuple(versions),
    )


def load_rulebook(path: Path, root: Path) -> Rulebook:
    """Load one file; messages name it relative to the parent of `root`."""
    name = path.relative_to(root.parent).as_posix()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RuleError(f"{name}: not valid TOML: {error}", field=name) from error
    return parse_rulebook(data, name, folder=path.parent.name)


def load_rulebooks(root: Path) -> RulebookSet:
    """Load every `*.toml` under root/<principal>/; report all broken files together."""
    books: list[Rulebook] = []
    problems: list[str] = []
    for path in sorted(root.glob("*/*.toml")):
        try:
            books.append(load_rulebook(path, root))
        except RuleError as error:
            problems.append(error.message)
    if problems:
        raise RuleError("\n".join(problems), field="rulebooks")
    if not books:
        raise RuleError(f"no rulebooks found under {root}", field="rulebooks")
    return RulebookSet(books=tuple(books))


@cache
def shipped_rulebooks() -> RulebookSet:
    """The rulebooks shipped with Samfard, loaded and checked once per process."""
    return load_rulebooks(SHIPPED_ROOT)


__all__ = [
    "NATIONAL",
    "Rulebook",
    "RulebookSet",
    "Version",
    "load_rulebook",
    "load_rulebooks",
    "parse_rulebook",
    "shipped_rulebooks",
]


def place_references(book: Rulebook) -> Iterator[tuple[str, str]]:
    """Every gazetteer key the rulebook refers to, with the key path it is written at.

    Rules name places by key (places.csv), so a display name can change without changing
    a rule; `check_places` holds these keys against a gazetteer.
    """
    for i, version in enumerate(book.versions):
        if isinstance(version, SjukresaVersion):
            for j, referral in enumerate(version.foreign_referrals):
                at = f"versions[{i}].foreign_referrals[{j}]"
                yield f"{at}.destination_place", referral.destination_place
                yield f"{at}.listed_at_place", referral.listed_at_place
        elif isinstance(version, FardtjanstVersion):
            for j, place in enumerate(version.area.places):
                yield f"versions[{i}].area.places[{j}]", place


def check_places(books: RulebookSet, known: Iterable[str]) -> None:
    """Refuse rulebooks that refer to a place key the gazetteer does not have, naming each."""
    keys = set(known)
    problems = [
        f"{book.file}: {path}: no place with key {key!r} in the gazetteer"
        for book in books.books
        for path, key in place_references(book)
        if key not in keys
    ]
    if problems:
        raise RuleError("\n".join(problems), field="rulebooks")
