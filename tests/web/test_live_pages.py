"""The live day's pages over HTTP: the controller's alerts on /trafik (htmx fragment,
acknowledge, re-plan the rest of the day) and the carrier's run offers on /utforare."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from live_day_pages import DAY, EVENING, page_login, plan_live_day
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.db import transaction
from samfard.dispatch import alerts, handoff
from samfard.dispatch.live_models import ControllerAlert, RunOffer
from samfard.dispatch.models import Run
from samfard.dispatch.vehicle_names import vehicle_name_sv

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned(module_session: Session) -> None:
    """The small planned day of live_day_pages (tests/web/conftest.py gives it per test):
    built once per database, and each test runs in a savepoint of it."""
    plan_live_day(module_session)
    module_session.commit()


def test_the_controller_sees_acknowledges_alerts_and_replans(
    app_client: TestClient, session: Session, planned: None
) -> None:
    with transaction(session):
        alerts.raise_alert(
            session, kind="run_declined", day=DAY, subject="vehicle 1",
            message="Testbil: utföraren avböjde körningen.", at=NOW,
        )  # fmt: skip
    csrf = page_login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    day_page = app_client.get(f"/trafik?datum={DAY}")
    assert 'hx-get="/trafik/larm?datum=2026-11-23"' in day_page.text
    fragment = app_client.get(f"/trafik/larm?datum={DAY}", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Körning avböjd" in fragment.text and "Testbil" in fragment.text
    page = app_client.get(f"/trafik/larm?datum={DAY}")
    assert "<h1" in page.text and "Kvittera" in page.text
    # The button is named by its alert, not by its place in the list (which changes).
    assert 'Kvittera<span class="visually-hidden"> larmet körning avböjd klockan' in page.text
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
    page_login(app_client, session, "op-2380", Role.OPERATOR, principal_codes=["2380"])
    day_page = app_client.get(f"/trafik?datum={DAY}")
    assert day_page.status_code == 200 and "/trafik/larm" not in day_page.text
    assert 'href="/utforare"' not in day_page.text


def test_a_carrier_accepts_and_must_say_why_it_declines(
    app_client: TestClient, session: Session, planned: None
) -> None:
    offers = handoff.offer_day(session=session, day=DAY, actor=SYSTEM, now=EVENING)
    offer = next(o for o in offers if o.state == "offered")
    csrf = page_login(
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


def test_an_alert_links_only_to_a_run_still_in_the_plan(
    app_client: TestClient, session: Session, planned: None
) -> None:
    """A declined run leaves the plan; its alert's "Körningen" led to a 404 (walk-through of
    the seventh session of 2026-12-06)."""
    run = session.scalars(select(Run)).first()
    assert run is not None
    with transaction(session):
        for subject, run_id in (("kvar", run.id), ("borta", 987654)):
            alerts.raise_alert(session, kind="run_declined", day=DAY, subject=subject,
                               message=f"Bil {subject}.", run_id=run_id, at=NOW)  # fmt: skip
    page_login(app_client, session, "controller-links", Role.OPERATOR, principal_codes=["*"])
    page = app_client.get(f"/trafik/larm?datum={DAY}").text
    assert f'href="/trafik/korning/{run.id}">Körningen' in page
    assert "/trafik/korning/987654" not in page
