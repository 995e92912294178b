"""The desk books a trip between two streets of the traveller's own town and says that both
ends lie at the town's point, so the operator can pick exact places if they know them
(SQLite and PostgreSQL; the API's rule: tests/core/test_booking_town_addresses.py)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_desk_pages import MONDAY, form

from helpers import (
    ANNA,
    NOW,
    STRONG_PASSWORD,
    login_form,
    register_in_ostersund_fardtjanst,
    token_for,
)
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking

OSTERSUND = {"lat": 63.1767, "lon": 14.6361}  # the town's point in places.csv
GUNNEL = ANNA | {
    "first_name": "Gunnel",
    "address": ANNA["address"] | {"street": "Storgatan 12"} | OSTERSUND,  # type: ignore[operator]
}
NOTE = "Från och Till ligger på samma punkt på kartan, vid Östersund"
REFERENCE = re.compile(r"SF-[A-Z2-9]{8}")


def _login(client: TestClient, session: Session, username: str) -> TestClient:
    create_user(session=session, username=username, password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    assert client.post("/login", data=login_form(username, client)).status_code == 200
    return client


def _traveller(client: TestClient, session: Session, body: dict[str, object]) -> int:
    token = token_for(session, Role.OPERATOR, now=NOW, username="town-api", may_see_protected=True)
    return register_in_ostersund_fardtjanst(client, token, body)


def _fardtjanst(traveller: int, client: TestClient, **fields: str) -> dict[str, str]:
    """Färdtjänst from the home to a street of Östersund, picked up at 14:00, as typed
    (nothing picked in the list)."""
    typed = {"tjanst": "fardtjanst", "syfte": "leisure", "fran": "Hemma: Storgatan 12, Östersund",
             "till": "Kyrkgatan 20, Östersund", "besok": "", "hamtning": "14:00",
             "retur_tid": "16:00", "rullstol": "", "ledsagare": "0"}  # fmt: skip
    return form(traveller, client, **(typed | fields))


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_a_street_in_the_travellers_town_is_previewed_and_booked_with_a_note(
    app_client: TestClient, session: Session
) -> None:
    desk = _login(app_client, session, "town-operator")
    gunnel = _traveller(desk, session, GUNNEL)
    preview = desk.post("/bokning/forhandsgranska", data=_fardtjanst(gunnel, desk))
    assert preview.status_code == 200
    shown = _text(preview.text)
    assert "Resan börjar där den slutar" not in shown
    assert "Beviljas enligt reglerna" in shown, shown
    assert NOTE in shown and "välj exakta platser i listan" in shown
    booked = desk.post("/bokning", data=_fardtjanst(gunnel, desk))
    receipt = _text(booked.text.split('id="kvitto"')[1])
    found = REFERENCE.search(receipt)
    assert found, receipt
    assert NOTE in receipt
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    out = min(booking.legs, key=lambda leg: leg.seq)
    assert out.destination_address == "Kyrkgatan 20, Östersund"


def test_a_series_between_two_streets_is_booked_at_the_desk(
    app_client: TestClient, session: Session
) -> None:
    desk = _login(app_client, session, "town-series")
    gunnel = _traveller(desk, session, GUNNEL)
    sent = _fardtjanst(gunnel, desk, serie="1", man="1", ons="1",
                       forsta=MONDAY.isoformat(), sista="2026-11-27")  # fmt: skip
    booked = _text(desk.post("/bokning", data=sent).text)
    assert "Serien är bokad" in booked, booked
    assert NOTE in booked


def test_the_homes_own_street_typed_as_till_is_still_refused(
    app_client: TestClient, session: Session
) -> None:
    desk = _login(app_client, session, "town-same")
    gunnel = _traveller(desk, session, GUNNEL)
    sent = _fardtjanst(gunnel, desk, till="Storgatan 12, Östersund", retur="")
    shown = _text(desk.post("/bokning/forhandsgranska", data=sent).text)
    assert "Resan börjar där den slutar: välj ett annat resmål" in shown
    assert NOTE not in shown


@pytest.mark.parametrize("may_see", [False, True])
def test_the_note_tells_no_one_that_a_typed_place_is_at_a_protected_home(
    app_client: TestClient, session: Session, may_see: bool
) -> None:
    """A protected home placed at the town: the note would say the typed street lies at
    the home's point, so it is shown only to a user who may see the home."""
    username = f"town-protected-{may_see}"
    create_user(session=session, username=username, password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"],
                may_see_protected=may_see)  # fmt: skip
    assert app_client.post("/login", data=login_form(username, app_client)).status_code == 200
    hidden = _traveller(app_client, session, GUNNEL | {
        "personal_number": "19800101-0001", "protected_identity": True})  # fmt: skip
    sent = _fardtjanst(hidden, app_client, fran="", fran_val="home")
    shown = _text(app_client.post("/bokning/forhandsgranska", data=sent).text)
    assert "Beviljas enligt reglerna" in shown, shown
    assert (NOTE in shown) is may_see
