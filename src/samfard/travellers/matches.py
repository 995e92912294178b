"""The register's search as a desk lists it, one line per traveller: the booking desk's
Resenär and the goods desk's Mottagare ask the same question and show the same answer.

Through `service.find_travellers`, so the account's register (scope), protected
identities (never matched for an account that may not see them, masked where shown) and
the audit of each traveller listed are the API's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.travellers.service import MIN_QUERY, find_travellers
from samfard.travellers.views import display_name, traveller_public


@dataclass(frozen=True)
class TravellerMatch:
    """One line of a desk's list: name, personnummer, town and phone, masked as the
    account must see them."""

    id: int
    name: str
    number: str
    city: str
    phone: str


def traveller_matches(
    *, session: Session, actor: Actor, now: datetime, query: str, limit: int = 8
) -> list[TravellerMatch]:
    """The travellers `query` finds (a name in any order, a personnummer or a phone number),
    at most `limit`; none for fewer than `MIN_QUERY` characters, so no list is the
    register."""
    text = query.strip()
    if len(text) < MIN_QUERY:
        return []
    rows, _ = find_travellers(
        session=session, actor=actor, now=now, query=text, limit=limit, offset=0
    )
    found = []
    for traveller in rows:
        public = traveller_public(traveller, actor)
        found.append(
            TravellerMatch(
                id=traveller.id,
                name=display_name(traveller, actor),
                number=public.personal_number,
                city=public.address.city if public.address else "",
                phone=public.phone or "",
            )
        )
    return found
