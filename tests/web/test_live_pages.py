"""The live day's pages over HTTP: the controller's alerts on /trafik (htmx fragment,
acknowledge, re-plan the rest of the day) and the carrier's run offers on /utforare."""

from __future__ import annotations

from datetime import date, time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form, plan_fixed
from samfard.access.actor import SYSTEM
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch import alerts, handoff
from samfard.dispatch.fleet import load_demo_fleet
from samfard.dispatch.live_models import ControllerAlert, RunOffer
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.timeutil import local

DAY = date(2026, 11, 23)
EVENING = local(date(2026, 11, 22), time(18, 0))


@pytest.fixture
def planned(session: Session) -> None:
    load_day(session=session, demo=generate_day(DAY, seed=3, trips=30))
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    plan_fixed(session, DAY, now=EVENING, seed=1)


def _login(client: TestClient, session: Session, username: str, role: Role, **scope: object) -> str:
    create_user(
        session=session, username=username, password=STRONG_PASSWORD, role=role, now=NOW,
        **scope,  # type: ignore[arg-type]
    )  # fmt: skip
    client.cookies.clear()
    response = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(client.cookies[CSRF_COOKIE])


def test_the_controller_sees_acknowledges_alerts_and_replans(
    app_client: TestClient, session: Session, planned: None
) -> None:
    with transaction(session):
        alerts.raise_alert(
            session, kind="run_declined", day=DAY, subject="vehicle 1",
            message="Testbil: utföraren avböjde körningen.", at=NOW,
        )  # fmt: skip
    csrf = _login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    day_page = app_client.get(f"/trafik?datum={DAY}")
    assert 'hx-get="/trafik/larm?datum=2026-11-23"' in day_page.text
    fragment = app_client.get(f"/trafik/larm?datum={DAY}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Körning avböjd" in fragment.text and "Testbil" in fragment.text
    page = app_client.get(f"/trafik/larm?datum={DAY}")
    assert "<h1" in page.text and "Kvittera" in page.text
    alert = session.scalars(select(ControllerAlert)).one()
    done = app_client.post(
        f"/trafik/larm/{alert.id}/kvittera",
        data={"datum": DAY.isoformat(), "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200 and "Larmet är kvitterat" in done.text
    session.expire_all()
    assert session.get(ControllerAlert, alert.id).acknowledged_by == "controller"  # type: ignore[union-attr]
    replanned = app_client.post(
        "/trafik/planera-om-nu", data={"datum": DAY.isoformat(), "csrf_token": csrf}
    )
    assert replanned.status_code == 200 and "Resten av dagen är omplanerad" in replanned.text


def test_one_principals_operator_is_not_sent_for_the_alerts_of_every_principal(
    app_client: TestClient, session: Session, planned: None
) -> None:
    """The day page loaded /trafik/larm for everyone and a scoped operator got a 403."""
    _login(app_client, session, "op-2380", Role.OPERATOR, principal_codes=["2380"])
    day_page = app_client.get(f"/trafik?datum={DAY}")
    assert day_page.status_code == 200 and "/trafik/larm" not in day_page.text
    assert 'href="/utforare"' not in day_page.text


def test_a_carrier_accepts_and_must_say_why_it_declines(
    app_client: TestClient, session: Session, planned: None
) -> None:
    offers = handoff.offer_day(session=session, day=DAY, actor=SYSTEM, now=EVENING)
    offer = next(o for o in offers if o.state == "offered")
    csrf = _login(
        app_client, session, "carrier", Role.CARRIER_DISPATCHER, carrier_id=offer.carrier_id
    )
    page = app_client.get(f"/utforare?datum={DAY}")
    assert page.status_code == 200 and vehicle_name_sv(offer.vehicle_code) in page.text
    assert "Skäl om du avböjer" in page.text
    refused = app_client.post(
        f"/utforare/{offer.id}/svar",
        data={"datum": DAY.isoformat(), "svar": "avboj", "skal": "", "csrf_token": csrf},
    )
    assert refused.status_code == 200 and "Skriv varför körningen avböjs" in refused.text
    accepted = app_client.post(
        f"/utforare/{offer.id}/svar",
        data={"datum": DAY.isoformat(), "svar": "acceptera", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    session.expire_all()
    assert session.get(RunOffer, offer.id).state == "accepted"  # type: ignore[union-attr]
