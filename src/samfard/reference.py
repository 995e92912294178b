"""Reference data every installation needs: the principals, the gazetteer and the
timetable of booked lines."""

from __future__ import annotations

from sqlalchemy.orm import Session

from samfard.db import transaction
from samfard.geo.places import load_places
from samfard.lines.service import load_lines
from samfard.principals.service import load_official_principals


def load_reference_data(*, session: Session) -> tuple[int, int]:
    """Insert or refresh principals, insert places and booked lines once; returns
    (principals, new places)."""
    with transaction(session):
        principals = load_official_principals(session=session)
        places = load_places(session=session)
        load_lines(session=session)
    return principals, places
