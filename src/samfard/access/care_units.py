"""The care units a care account (care_issuer) may belong to: the gazetteer's care places
(hospitals, health centres, dialysis units) in the counties of the account's principals.

The unit was free text, so a typo ("Sundsvall sjukhus") made a nurse of a unit that does
not exist (her certificates matched no unit's list) and a region's account could be given
another region's hospital. The gazetteer already holds every unit the demo and the
follow-up per unit (/enheter) use, so it is the list; no table of its own. An account's
`care_unit` stays the place's name, as certificates and bookings carry it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import ALL_PRINCIPALS
from samfard.errors import InputError
from samfard.geo.models import Place, PlaceKind
from samfard.principals.models import Principal, PrincipalKind

# Where care staff work. University hospitals beyond the counties (tertiary) and
# localities issue no certificates of the counties' regions.
CARE_KINDS = frozenset({PlaceKind.HOSPITAL, PlaceKind.HEALTH_CENTRE, PlaceKind.DIALYSIS})


def _counties(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The counties of the principals in `codes` ("*": every principal), each by the name
    of its region (or its code, for a county with no region among the principals)."""
    wanted = set(codes)
    principals = session.scalars(select(Principal)).all()
    regions = {p.county_code: p.name for p in principals if p.kind == PrincipalKind.REGION}
    mine = {p.county_code for p in principals if ALL_PRINCIPALS in wanted or p.code in wanted}
    return {county: regions.get(county, county) for county in sorted(mine)}


def choices(session: Session, codes: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The care units' names of the principals in `codes`, grouped by region and by name:
    a principal's units are the care places in its county (a municipality's too, so the
    administrator of Sundsvalls kommun can staff Sundsvalls sjukhus)."""
    counties = _counties(session, codes)
    places = session.scalars(
        select(Place).where(Place.kind.in_(sorted(CARE_KINDS))).order_by(Place.name)
    ).all()
    return [
        (region, [p.name for p in places if p.municipality_code[:2] == county])
        for county, region in counties.items()
    ]


def units_of(session: Session, codes: Iterable[str]) -> set[str]:
    """The names of the care units of any of the principals in `codes`."""
    return {name for _, names in choices(session, codes) for name in names}


def problems(session: Session, unit: str, codes: list[str]) -> Iterator[InputError]:
    """A refusal of a care unit that is not a care place of the account's principals:
    unknown (a typo) or another county's."""
    if unit in units_of(session, codes):
        return
    known = session.scalar(
        select(Place.id).where(Place.name == unit, Place.kind.in_(sorted(CARE_KINDS)))
    )
    if known is None:
        yield InputError(
            f"no care unit named {unit!r}: give the name of a hospital, health centre or "
            "dialysis unit of the gazetteer (GET /api/v1/places), as it is written there",
            field="care_unit",
        )
        return
    yield InputError(
        f"the care unit {unit!r} is not in the county of the account's principals "
        f"({', '.join(codes) or 'none'}); give a unit of those principals",
        field="care_unit",
    )
