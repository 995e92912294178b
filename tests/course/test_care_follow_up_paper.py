"""The follow-up per unit counts every certificate of the unit, paper ones the booking
centre registered too, and says how many were electronic: Hälsocentral Timrå showed 0
certificates where 14 were registered for its patients (only /intyg's were counted)."""

from __future__ import annotations

import csv
import re
from datetime import date
from io import StringIO

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.care.follow_up import CSV_COLUMNS, follow_up, to_csv, totals
from samfard.travellers.models import Certificate

TIMRA = "Hälsocentral Timrå"


def _certificates(session: Session, traveller: int, *, paper: int, electronic: int) -> None:
    for n in range(paper + electronic):
        session.add(
            Certificate(traveller_id=traveller, principal_code="22", kind="single_trip",
                        modes=["taxi" if n % 2 else "stretcher_vehicle"],
                        valid_from=date(2026, 11, 20), valid_until=date(2026, 12, 20),
                        unit=TIMRA, issued_at=NOW,
                        issued_by="syster-sara" if n >= paper else None)
        )  # fmt: skip
    session.flush()


def test_paper_certificates_count_for_their_unit_with_the_electronic_ones_apart(
    session: Session, stina: int
) -> None:
    _certificates(session, stina, paper=3, electronic=1)
    rows = [r for r in follow_up(session=session, actor=SYSTEM, now=NOW) if r.unit == TIMRA]
    assert [(r.month, r.certificates, r.electronic) for r in rows] == [(date(2026, 11, 1), 4, 1)]
    assert rows[0].by_mode == {"public_transport": 0, "taxi": 2, "wheelchair_vehicle": 0,
                               "stretcher_vehicle": 2}  # fmt: skip
    (total,) = totals(rows)
    assert (total.certificates, total.electronic, total.taxi_share) == (4, 1, 0.5)
    read = list(csv.reader(StringIO(to_csv(rows)), delimiter=";"))
    assert read[0][-1] == "varav_elektroniska" == CSV_COLUMNS[-1]
    assert read[1][4] == "4" and read[1][-1] == "1"


def test_the_units_page_says_how_many_certificates_were_electronic(
    app_client: TestClient, session: Session, stina: int
) -> None:
    _certificates(session, stina, paper=14, electronic=0)
    create_user(session=session, username="analytiker", password=STRONG_PASSWORD,
                role=Role.ANALYST, now=NOW, principal_codes=["22"])  # fmt: skip
    answer = app_client.post("/login", data=login_form("analytiker", app_client))
    assert answer.status_code == 200
    page = app_client.get("/enheter").text
    assert '<th scope="col">Intyg</th><th scope="col">Varav elektroniska</th>' in page
    row = re.search(r'<th scope="row">Hälsocentral Timrå</th>(.*?)</tr>', page, re.S)
    assert row is not None
    assert re.findall(r'<td class="num">([^<]*)</td>', row[1])[1:3] == ["14", "0"]
