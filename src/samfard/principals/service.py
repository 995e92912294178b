"""Use cases for principals: listing, lookup, and loading the official list."""

from __future__ import annotations

import csv
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.errors import InputError
from samfard.principals.models import Principal, Service


def list_principals(*, session: Session) -> list[Principal]:
    return list(session.scalars(select(Principal).order_by(Principal.code)))


def get_principal(*, session: Session, code: str, field: str = "principal") -> Principal:
    """The principal with an official code, or a 422 naming the field that held the code."""
    principal = session.scalar(select(Principal).where(Principal.code == code))
    if principal is None:
        raise InputError(
            f"unknown principal {code!r}: use an official code such as 23 (Region Jämtland "
            "Härjedalen), 22 (Region Västernorrland) or a municipality code such as 2380",
            field=field,
        )
    return principal


def require_service(principal: Principal, service: str, *, field: str = "service") -> None:
    """Refuse a service the principal does not pay for (a region pays no färdtjänst)."""
    if service not in {s.value for s in Service}:
        raise InputError(
            f"unknown service {service!r}; expected one of {', '.join(s.value for s in Service)}",
            field=field,
        )
    if not principal.pays_for(service):
        raise InputError(
            f"{principal.name} ({principal.code}) does not pay for {service}; "
            f"it pays for {', '.join(principal.services)}",
            field=field,
        )


def load_official_principals(*, session: Session) -> int:
    """Insert or update the 2 regions, 15 municipalities and 2 RKMs; returns how many."""
    text = resources.files("samfard.data").joinpath("principals.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    existing = {p.code: p for p in session.scalars(select(Principal))}
    count = 0
    for row in rows:
        principal = existing.get(row["code"]) or Principal(code=row["code"])
        principal.name = row["name"]
        principal.kind = row["kind"]
        principal.county_code = row["county_code"]
        principal.services = row["services"].split(";")
        principal.handled_by_code = row["handled_by"] or None
        session.add(principal)
        count += 1
    return count
