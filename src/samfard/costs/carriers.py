"""The register of carriers (transportörer): one row a company, found by its name.

Contracts, vehicles, carriers' accounts and deviations all name a carrier by this row's
id, so a carrier dispatcher sees the runs of its vehicles and the deviations about them
under one number.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.costs.models import Carrier
from samfard.errors import InputError


def ensure_carrier(session: Session, *, name: str, org_number: str, own_fleet: bool) -> Carrier:
    """The carrier of a name, created if new; a stored one must agree on own_fleet."""
    carrier = session.scalar(select(Carrier).where(Carrier.name == name))
    if carrier is None:
        carrier = Carrier(name=name, org_number=org_number, own_fleet=own_fleet)
        session.add(carrier)
        session.flush()
    elif carrier.own_fleet != own_fleet:
        raise InputError(
            f"carrier {name} is stored with own_fleet={carrier.own_fleet}, "
            f"not own_fleet={own_fleet}",
            field="own_fleet",
        )
    return carrier
