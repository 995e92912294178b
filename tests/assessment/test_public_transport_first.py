"""Public transport first, end to end on the demo feed (SAMFARD_GTFS unset), on SQLite and
PostgreSQL: a booking asked as a taxi goes by bus when a journey fits the rulebook's
limits, with the journey cited and no taxi fee; a traveller with no stop within a walk
keeps the taxi and waits for the central service; the desk shows the check before
booking."""

from __future__ import annotations

from datetime import date

import pytest
from assessment_fixtures import STINA, book, certificate, issuer, jh_trip, vn_trip
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form, register
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.assessment.words_sv import reason_sv, transit_sv
from samfard.booking.models import Booking
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch.store import by_vehicle
from samfard.geo.gtfs.store import planner_for


@pytest.fixture(autouse=True)
def demo_feed() -> None:
    """The demo feed (the suite runs on it), laid out before the tests' requests."""
    planner_for(None)


def _codes(booking: dict[str, object]) -> set[str]:
    decision = booking["decision"]
    assert isinstance(decision, dict)
    return {r["code"] for r in decision["reasons"]}


def test_a_taxi_asked_in_town_goes_by_bus_with_the_journey_cited_and_no_fee(
    app_client: TestClient, operator: str, anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, anna))
    assert booking["mode"] == "public_transport"
    assert booking["status"] == "approved"
    decision = booking["decision"]
    assert decision["chosen_mode"] == "public_transport" and decision["fee_ore"] == 0
    cited = next(r for r in decision["reasons"] if r["code"] == "public_transport.possible")
    assert "buss" in cited["text"] and "taxi is paid only when" in cited["text"]
    lines = transit_sv(decision)
    assert lines and lines[0].startswith("Kan resa kollektivt: utresa: buss")
    assert "retur: buss" in lines[0]
    assert reason_sv(cited).startswith("Kan resa kollektivt: utresa: buss")  # letters, queue


def test_no_stop_within_a_walk_keeps_the_taxi_for_the_central_service(
    app_client: TestClient, operator: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    assert booking["mode"] == "taxi"
    assert booking["status"] == "requested"
    assert "public_transport.not_possible" in _codes(booking)
    assert "ingen hållplats inom 800 m" in " ".join(transit_sv(booking["decision"]))


def test_a_certificate_keeps_the_taxi_in_town(
    app_client: TestClient, admin: str, operator: str
) -> None:
    stina = register(app_client, operator, STINA)
    certificate(app_client, admin, stina, issuer(app_client, admin))
    booking = book(app_client, operator, vn_trip(app_client, operator, stina))
    assert booking["mode"] == "taxi" and booking["status"] == "approved"
    assert "public_transport.exempt" in _codes(booking)


def test_the_desk_preview_shows_the_journey(
    app_client: TestClient, session: Session, anna: int
) -> None:
    create_user(session=session, username="pt-desk", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    login = app_client.post("/login", data=login_form("pt-desk", app_client))
    assert login.status_code in (200, 303)
    form = {
        "csrf_token": app_client.cookies[CSRF_COOKIE],
        "resenar_id": str(anna),
        "tjanst": "sjukresa",
        "syfte": "treatment",
        "fran": "Hemma: Storgatan 1, Östersund",
        "fran_val": "home",
        "till": "Östersunds sjukhus",
        "till_val": "",
        "datum": "2026-11-25",
        "besok": "10:00",
        "retur": "1",
        "retur_tid": "13:00",
    }
    answer = app_client.post("/bokning/forhandsgranska", data=form)
    assert answer.status_code == 200
    assert "<dt>Kollektivtrafik</dt>" in answer.text
    assert "Kan resa kollektivt" in answer.text


def test_the_demo_day_sends_some_sjukresor_by_bus_and_never_plans_them(session: Session) -> None:
    """The demo books through the same assessment: with the demo feed, patients near a line
    without a certificate go by public transport, with no fee; wheelchair trips never do."""
    day = date(2026, 11, 23)
    load_day(session=session, demo=generate_day(day, seed=5, trips=160))
    sjukresor = list(
        session.scalars(
            select(Booking).where(Booking.service_date == day, Booking.service == "sjukresa")
        )
    )
    by_bus = [b for b in sjukresor if b.mode == "public_transport"]
    assert by_bus, "some demo patients live near a line"
    assert len(by_bus) < len(sjukresor), "and some do not, or need a vehicle"
    for booking in by_bus:
        assert booking.status == "approved" and "wheelchair" not in booking.needs
        assert (booking.decision or {}).get("fee_ore") == 0
        assert not by_vehicle(booking)
