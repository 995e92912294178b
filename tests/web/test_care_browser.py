"""Care staff in a real browser: an uncertified nurse is shown the way to the course instead
of the form, fails the quiz once, passes the next day, sends an empty form and is told
every missing field at once, checks the patient's name on the confirmation, goes back to
change, and issues a sjukreseintyg from the keyboard, and the patient's taxi is approved
by the rules without an assessor; /kurs, /intyg and /enheter pass axe-core.

The server runs on its own small world (no demo day) with a fixed clock on a Friday
morning, so Västernorrland's booking rules (two weekdays ahead, booked 07-17) hold
whatever time the test runs.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import uvicorn
from browser_harness import (
    PASSWORD,
    ConsoleErrors,
    LiveServer,
    assert_no_axe_violations,
    new_page,
    reader_engine,
    screenshot,
)
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Role
from samfard.access.service import create_user, issue_token
from samfard.app import create_app
from samfard.clock import FixedClock
from samfard.config import Settings
from samfard.course.models import CourseAttempt
from samfard.course.service import RETRY_WAIT, attempt_course
from samfard.db import make_engine, upgrade
from samfard.geo.models import Place
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller
from samfard.travellers.schemas import Address, TravellerCreate
from samfard.travellers.service import register_traveller

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=STOCKHOLM)  # a Friday
VISIT = date(2026, 11, 25)  # the Wednesday after: three weekdays ahead
UNIT = "Sundsvalls sjukhus"
PATIENT = "19500505-1239"


def _world(url: str) -> str:
    """Migrate; a nurse of Sundsvalls sjukhus, an analyst, one patient; the nurse's token."""
    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        load_reference_data(session=session)
        nurse = create_user(session=session, username="syster-sigrid", password=PASSWORD,
                            role=Role.CARE_ISSUER, now=NOW, display_name="Sigrid Sköterska",
                            principal_codes=["22"], care_unit=UNIT)  # fmt: skip
        create_user(session=session, username="analytiker", password=PASSWORD,
                    role=Role.ANALYST, now=NOW, principal_codes=["22"])  # fmt: skip
        registrar = Actor(user_id=None, username="test", role=Role.OPERATOR,
                          principal_codes=frozenset({"22"}))  # fmt: skip
        register_traveller(
            session=session,
            actor=registrar,
            now=NOW,
            data=TravellerCreate(
                personal_number=PATIENT,
                first_name="Stina",
                last_name="Patientsson",
                address=Address(
                    street="Storgatan 10",
                    postal_code="852 30",
                    city="Sundsvall",
                    municipality_code="2281",
                    lat=62.3908,
                    lon=17.3069,
                ),  # fmt: skip
            ),
        )
        token = issue_token(session=session, user=nurse, kind="bearer", now=NOW)
    engine.dispose()
    return token


@pytest.fixture(scope="module")
def care_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[LiveServer, str, FixedClock]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('care') / 'care.sqlite3'}"
    token = _world(url)
    engine = make_engine(url)
    clock = FixedClock(NOW)
    app = create_app(Settings(database_url=url, secure_cookies=False), engine=engine,
                     clock=clock)  # fmt: skip
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    yield LiveServer(f"http://127.0.0.1:{port}", VISIT, url), token, clock
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _login(browser: Browser, server: LiveServer, username: str) -> Page:
    page = new_page(browser)
    page.goto(server.url("/login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))
    return page


def _fill_certificate(page: Page) -> None:
    page.get_by_label("Patientens personnummer").fill(PATIENT)
    page.get_by_label("Tillåtet färdsätt").select_option("taxi")
    page.get_by_label("Giltigt från").fill("2026-11-20")
    page.get_by_label("Giltigt till och med").fill("2026-11-30")
    page.get_by_label("Vårdenhet som besöks").select_option("sundsvalls-sjukhus")
    page.get_by_label("Besöksdag").fill(VISIT.isoformat())
    page.get_by_label("Medicinskt skäl").fill("kan inte sitta i buss efter höftoperation")
    page.get_by_role("button", name="Fortsätt").click()


def _answer(page: Page, server: LiveServer, *, wrong: int) -> None:
    """Answer the open quiz from the bank's own keys (read beside the server), `wrong` of
    them wrongly, and hand it in."""
    attempt_id = int(page.url.rsplit("/", 1)[1])
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        attempt = session.get(CourseAttempt, attempt_id)
        assert attempt is not None
        course = attempt_course(session=session, attempt=attempt)
        keys = []
        for question_id in attempt.question_ids:
            question = course.question(question_id)
            assert question is not None
            keys.append((question.answer, len(question.options)))
    engine.dispose()
    for index, (answer, count) in enumerate(keys):
        choice = (answer + 1) % count if index < wrong else answer
        page.locator(f"#fraga-{index + 1}-{choice}").check()
    page.get_by_role("button", name="Lämna in provet").click()


def test_a_nurse_is_refused_takes_the_course_fails_passes_issues_and_the_taxi_is_approved(
    care_server: tuple[LiveServer, str, FixedClock], browser: Browser
) -> None:
    server, token, clock = care_server
    # The first quiz fails the day before: the next waits RETRY_WAIT.
    clock.current = NOW - RETRY_WAIT - timedelta(hours=1)
    page = _login(browser, server, "syster-sigrid")
    errors = ConsoleErrors(page)
    page.goto(server.url("/intyg"))
    notice = page.locator("[data-not-certified]")
    notice.get_by_text("Du har inte klarat kursen i sjukreseregler").wait_for()
    assert page.get_by_role("button", name="Utfärda intyget").count() == 0, "no form yet"
    assert_no_axe_violations(page)
    screenshot(page, "intyg-nekad")
    page.get_by_role("link", name="Gå kursen och gör provet").click()

    page.get_by_role("heading", name="Kurs i sjukreseregler").wait_for()
    assert "Region Västernorrland" in page.inner_text("main")
    assert_no_axe_violations(page)
    screenshot(page, "kurs")
    page.get_by_role("button", name="Starta provet").click()
    page.get_by_role("button", name="Lämna in provet").wait_for()
    assert_no_axe_violations(page)
    _answer(page, server, wrong=5)
    page.get_by_role("heading", name="Inte godkänt: 15 av 20 rätt").wait_for()
    assert "Rätt svar" not in page.inner_text("main"), "no right answers after a failure"
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Till kursen och ett nytt prov").click()
    page.get_by_text(
        "Du kan göra provet igen tidigast fredag 20 november 2026 kl. 09:00"
    ).first.wait_for()
    assert page.get_by_role("button", name="Starta provet").count() == 0
    assert_no_axe_violations(page)
    errors.assert_none()
    page.context.close()

    clock.current = NOW  # the next day: the session of yesterday has ended, log in again
    page = _login(browser, server, "syster-sigrid")
    errors = ConsoleErrors(page)
    assert page.url.endswith("/intyg"), "care staff land on their own work"
    page.goto(server.url("/kurs"))
    page.get_by_role("button", name="Starta provet").click()
    page.get_by_role("button", name="Lämna in provet").wait_for()
    _answer(page, server, wrong=2)
    page.get_by_role("heading", name="Godkänt: 18 av 20 rätt").wait_for()
    screenshot(page, "kurs-godkand")
    page.get_by_role("link", name="Utfärda sjukreseintyg").click()

    # Enter on an empty form: every missing field at once, the summary focused.
    page.get_by_role("button", name="Fortsätt").press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)  # patient, mode, last day, ground
    _fill_certificate(page)

    # Whose number was typed, before anything is written; from the keyboard only.
    asked = page.get_by_role("heading", name="Kontrollera intyget innan du utfärdar det")
    expect(asked).to_be_focused()
    assert "Stina Patientsson, 19500505-1239" in page.inner_text("[data-confirm]")
    assert_no_axe_violations(page)
    screenshot(page, "intyg-kontroll")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Ändra")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Patientens personnummer")).to_be_focused()
    expect(page.get_by_label("Medicinskt skäl")).to_have_value(
        "kan inte sitta i buss efter höftoperation"
    )
    page.get_by_label("Medicinskt skäl").press("Enter")  # Enter in a field sends the form
    expect(asked).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Utfärda intyget")).to_be_focused()
    page.keyboard.press("Enter")
    page.get_by_text("Sjukreseintyget är utfärdat").wait_for()
    assert "Stina Patientsson" in page.inner_text("main")
    assert_no_axe_violations(page)
    screenshot(page, "intyg")

    unit = _place_id(server)
    booked = page.request.post(
        server.url("/api/v1/bookings"),
        headers={"Authorization": f"Bearer {token}"},
        data={
            "traveller_id": _patient_id(server),
            "service": "sjukresa",
            "principal": "22",
            "purpose": "treatment",
            "legs": [
                {
                    "origin": {"home": True},
                    "destination": {"place_id": unit},
                    "appointment_at": f"{VISIT}T10:00:00+01:00",
                },
                {
                    "origin": {"place_id": unit},
                    "destination": {"home": True},
                    "pickup_at": f"{VISIT}T13:00:00+01:00",
                    "return_of": 0,
                },
            ],  # fmt: skip
        },
    )
    assert booked.status == 201, booked.text()
    body = booked.json()
    assert body["status"] == "approved", body["decision"]
    assert body["channel"] == "care"
    assert body["decision"]["decided_by"] == "rules"
    assert "assessor" not in body["decision"]
    errors.assert_none()
    page.context.close()

    analyst = _login(browser, server, "analytiker")
    analyst.goto(server.url("/enheter"))
    analyst.get_by_role("heading", name="Uppföljning per enhet").wait_for()
    assert UNIT in analyst.inner_text("main")
    assert_no_axe_violations(analyst)
    screenshot(analyst, "enheter")
    analyst.context.close()


def _place_id(server: LiveServer) -> int:
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        found = session.scalar(select(Place.id).where(Place.key == "sundsvalls-sjukhus"))
    engine.dispose()
    assert found is not None
    return int(found)


def _patient_id(server: LiveServer) -> int:
    engine = reader_engine(server.database_url)
    with Session(engine) as session:
        found = session.scalar(
            select(Traveller.id).where(Traveller.personal_number == "195005051239")
        )
    engine.dispose()
    assert found is not None
    return int(found)
