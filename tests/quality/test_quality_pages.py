"""/kvalitet over HTTP on both databases: staff report by booking number, the centre
investigates, the carrier answers, the centre decides (the penalty shows) and closes;
alerts reach the principal's staff; a carrier sees only its own deviations."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from fastapi.testclient import TestClient
from quality_world import AFTER, QualityWorld
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import login_form
from samfard.access.actor import Actor
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.clock import FixedClock
from samfard.dispatch.driver.schemas import StopEventCreate
from samfard.dispatch.driver.service import record_report
from samfard.dispatch.models import Run, Stop
from samfard.quality.models import Deviation
from samfard.timeutil import STOCKHOLM, local

pytestmark = pytest.mark.world_per_module


def _login(client: TestClient, username: str) -> None:
    client.cookies.clear()
    answer = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert answer.status_code == 303


def _step(client: TestClient, deviation: int, **fields: str) -> str:
    version = re.search(r'name="version" value="(\d+)"', client.get(f"/kvalitet/{deviation}").text)
    assert version, "the card offers a step"
    data = {"csrf_token": client.cookies[CSRF_COOKIE], "version": version.group(1), **fields}
    answer = client.post(f"/kvalitet/{deviation}/steg", data=data)
    assert answer.status_code == 200
    return answer.text


def test_a_deviation_is_handled_from_the_pages_to_its_penalty(
    app_client: TestClient, session: Session, world: QualityWorld
) -> None:
    _login(app_client, "q-operator")
    reported = app_client.post(
        "/kvalitet",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "bokning": world.booking.reference,
              "typ": "late", "allvar": "minor", "beskrivning": "Bilen kom 30 min sent."},
    )  # fmt: skip
    assert reported.status_code == 200 and "Avvikelse AV-" in reported.text
    deviation = session.query(Deviation).one()
    assert world.carrier_name in reported.text
    card = _step(app_client, deviation.id, steg="investigate", anteckning="Fråga utföraren")
    assert "Utreds" in card and "Utförarens svar senast" in card
    _login(app_client, "q-carrier")
    listed = app_client.get("/kvalitet").text
    assert deviation.reference in listed
    card = _step(app_client, deviation.id, steg="answer", anteckning="Vägarbete på E14.")
    assert "Vägarbete på E14." in card
    assert "Besluta" not in card  # the carrier answers; the centre decides
    _login(app_client, "q-operator")
    asked = _step(app_client, deviation.id, steg="decide", utfall="upheld", anteckning="Sent")
    assert "Besluta befogad med vite 500,00" in asked and "Utföraren har svarat." in asked
    session.refresh(deviation)
    assert deviation.status == "investigating", "nothing is decided before the yes"
    card = _step(app_client, deviation.id, steg="decide", utfall="upheld", anteckning="Sent",
                 bekraftat="ja")  # fmt: skip
    assert "Vite" in card and "500,00" in card
    card = _step(app_client, deviation.id, steg="close")
    assert "data-status>Avslutad" in card
    for who in ("q-operator", "q-carrier"):
        assert who in card


def test_a_decision_without_outcome_is_explained_and_nothing_changes(
    app_client: TestClient, session: Session, world: QualityWorld
) -> None:
    _login(app_client, "q-operator")
    app_client.post(
        "/kvalitet",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "bokning": world.booking.reference,
              "typ": "conduct", "allvar": "minor", "beskrivning": "Otrevlig förare."},
    )  # fmt: skip
    deviation = session.query(Deviation).one()
    card = _step(app_client, deviation.id, steg="decide", anteckning="")
    assert "Välj utfall: Befogad eller Ej befogad" in card and 'href="#utfall-upheld"' in card
    assert "Skriv motiveringen" in card and 'href="#anteckning-decide"' in card
    session.refresh(deviation)
    assert deviation.status == "received"


def test_a_serious_report_alerts_the_principals_staff_on_their_page(
    app_client: TestClient, world: QualityWorld
) -> None:
    _login(app_client, "q-operator")
    app_client.post(
        "/kvalitet",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "bokning": world.booking.reference,
              "typ": "injury", "allvar": "serious", "beskrivning": "Föll vid ombordstigning."},
    )  # fmt: skip
    _login(app_client, "q-admin")
    page = app_client.get("/kvalitet").text
    assert "Larm om allvarliga avvikelser" in page and "Allvarlig avvikelse AV-" in page
    _login(app_client, "q-other")
    other = app_client.get("/kvalitet").text
    assert "Larm om" not in other and "AV-" not in other


def test_an_unknown_or_foreign_booking_number_is_refused_on_its_field(
    app_client: TestClient, world: QualityWorld
) -> None:
    _login(app_client, "q-other")
    answer = app_client.post(
        "/kvalitet",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "bokning": world.booking.reference,
              "typ": "late", "allvar": "minor", "beskrivning": "Sen bil"},
    )  # fmt: skip
    assert 'href="#bokning"' in answer.text and "Hittar ingen resa" in answer.text


def test_the_report_form_is_one_skip_away_from_the_top(
    app_client: TestClient, session: Session, world: QualityWorld
) -> None:
    """A long list put about 100 Tabs before "Rapportera"; the first link in the page's
    content now skips there, to a heading that takes the focus."""
    _login(app_client, "q-operator")
    page = app_client.get("/kvalitet").text
    main = page.split("<main", 1)[1]
    first_link = re.search(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)</a>', main)
    assert first_link and first_link.groups() == ("#rapportera", "Till Rapportera avvikelse")
    assert '<h2 id="rapportera" tabindex="-1">' in main


def test_the_card_shows_what_the_driver_reported_of_the_trip(
    app_client: TestClient, session: Session, world: QualityWorld
) -> None:
    """A disputed no-show is weighed against the driver's reports: the card showed none
    (walk-through of 2026-12-06). Times and what was reported, never a position."""
    stop = session.scalars(
        select(Stop).where(Stop.booking_id == world.booking.id, Stop.kind == "pickup")
    ).first()
    assert stop is not None
    run = session.get(Run, stop.run_id)
    assert run is not None
    driver = Actor(user_id=None, username="q-driver", role=Role.DRIVER,
                   carrier_id=run.vehicle.carrier_id, vehicle_id=run.vehicle_id)  # fmt: skip
    at = stop.planned_at
    for kind, when in (("arrived", at), ("no_show", at + timedelta(minutes=12))):
        data = StopEventCreate(client_event_id=f"q-{kind}-0001", run_id=run.id,
                               stop_id=stop.id, kind=kind, at=when)  # fmt: skip
        record_report(session=session, data=data, actor=driver, now=when)
    _login(app_client, "q-operator")
    app_client.post(
        "/kvalitet",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "bokning": world.booking.reference,
              "typ": "vehicle_no_show", "allvar": "minor", "beskrivning": "Bilen kom aldrig."},
    )  # fmt: skip
    deviation = session.query(Deviation).one()
    card = app_client.get(f"/kvalitet/{deviation.id}").text
    reports = card.split("Förarens rapporter")[1].split("</ul>")[0]
    seq = stop.leg_seq + 1  # type: ignore[operator]
    assert f"{at.astimezone(STOCKHOLM):%H:%M} Resa {seq}, hämtning: Framme" in reports
    assert "hämtning: Uteblev" in reports


def test_the_reporter_may_say_when_it_happened_on_the_trips_day(
    app_client: TestClient, session: Session, world: QualityWorld, clock: FixedClock
) -> None:
    """A complaint taken by phone names the time ("bilen kom 09:40"), and the form had no
    field for it: every report was dated at the trip's first pickup. The time is typed as
    the desk types times, on the trip's day; left empty, the pickup stands."""
    clock.current = AFTER
    _login(app_client, "q-operator")
    form = {"csrf_token": app_client.cookies[CSRF_COOKIE], "bokning": world.booking.reference,
            "typ": "conduct", "allvar": "minor", "beskrivning": "Otrevligt bemötande."}  # fmt: skip
    wrong = app_client.post("/kvalitet", data=form | {"klockan": "25.10"})
    assert 'href="#klockan"' in wrong.text and "Klockslaget finns inte" in wrong.text
    late = app_client.post("/kvalitet", data=form | {"klockan": "23:50"})
    assert 'href="#klockan"' in late.text and "har inte kommit än" in late.text
    assert session.query(Deviation).count() == 0
    done = app_client.post("/kvalitet", data=form | {"klockan": "0940"})
    assert done.status_code == 200 and "Avvikelse AV-" in done.text
    stored = session.query(Deviation).one()
    assert stored.occurred_at == local(world.booking.service_date, time(9, 40))
