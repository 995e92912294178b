"""The operator pages and the API docs in a real browser: Debian's Chromium driven by
Playwright against a live server on a migrated SQLite database with a small demo day and
one protected traveller (whose home coordinates every page hides). The browser is the
session's (tests/web/conftest.py): one Playwright per process."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest
import uvicorn
from browser_harness import unmapped_travellers
from playwright.sync_api import Browser, ConsoleMessage, Page
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.app import create_app
from samfard.booking import service as booking_service
from samfard.booking.models import Booking
from samfard.booking.schemas import BookingCreate, Channel, LegCreate, Location, Need
from samfard.config import Settings
from samfard.db import make_engine, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.geo.models import Place
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM, local
from samfard.travellers import service as traveller_service
from samfard.travellers.schemas import Address, TravellerCreate
from samfard.travellers.views import MASK

pytestmark = pytest.mark.browser
PASSWORD = "browser-test-42"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _book_protected_traveller(session: Session, day: date) -> str:
    """A protected traveller in a wheelchair, booked home to the hospital through the
    booking service; returns the booking's reference."""
    now = datetime.now(UTC)
    traveller = traveller_service.register_traveller(
        session=session,
        actor=SYSTEM,
        now=now,
        synthetic=True,
        data=TravellerCreate(
            personal_number="19410321-9236",
            first_name="Skyddad",
            last_name="Person (syntetisk)",
            protected_identity=True,
            address=Address(
                street="Hemlig väg 1",
                postal_code="831 30",
                city="Östersund",
                municipality_code="2380",
                lat=63.19,
                lon=14.65,
            ),
        ),
    )
    hospital = session.scalars(select(Place).where(Place.kind == "hospital")).first()
    assert hospital is not None
    booking, _ = booking_service.create_booking(
        session=session,
        actor=SYSTEM,
        now=now,
        data=BookingCreate(
            traveller_id=traveller.id,
            service="sjukresa",
            principal="23",
            legs=[
                LegCreate(
                    origin=Location(home=True),
                    destination=Location(place_id=hospital.id),
                    appointment_at=local(day, clock_time(7, 0)),
                )
            ],
            needs=[Need.WHEELCHAIR],
            channel=Channel.PHONE,
        ),
    )
    return booking.reference


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A served demo day with a protected traveller first in it; yields (the day page's
    URL, the protected traveller's booking reference)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'samfard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    day = datetime.now(STOCKHOLM).date() + timedelta(days=2)
    with Session(engine) as session:
        load_reference_data(session=session)
        reference = _book_protected_traveller(session, day)
        load_day(session=session, demo=generate_day(day, seed=5, trips=20))
        create_user(
            session=session,
            username="desk",
            password=PASSWORD,
            role=Role.OPERATOR,
            now=datetime.now(UTC),
            principal_codes=["*"],
        )
        assert session.scalar(select(Booking.id).where(Booking.reference == reference))
    port = _free_port()
    app = create_app(Settings(database_url=url, secure_cookies=False), engine=engine)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/?date={day.isoformat()}", reference
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def _log_in(page: Page, day_url: str) -> None:
    page.goto(day_url)
    assert page.url.endswith("/login"), "an anonymous visitor is sent to the login page"
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_operator_logs_in_and_sees_every_booking_and_every_mappable_one_on_the_map(
    live_server: tuple[str, str], browser: Browser, tmp_path: Path
) -> None:
    """A protected traveller's row (no coordinates) neither stops the map nor is drawn on
    it; every other row is; the map fits its markers; needs and role read in Swedish. The
    demo day may hold protected travellers of its own, depending on the date."""
    day_url, protected = live_server
    page = browser.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    _log_in(page, day_url)
    page.goto(day_url)
    page.wait_for_selector("table.bookings tbody tr[data-ref]")
    rows = page.locator("table.bookings tbody tr[data-ref]")
    mappable = page.locator("table.bookings tbody tr[data-lat]")
    assert rows.count() >= 5
    assert page.locator(f"tr[data-ref={protected}]").count() == 1
    assert page.locator(f"tr[data-ref={protected}][data-lat]").count() == 0
    unmapped = unmapped_travellers(page)
    assert unmapped and all(name == MASK for name in unmapped), unmapped
    assert page.locator("#unmapped").inner_text().startswith(f"{len(unmapped)} utan plats")
    assert mappable.count() >= 1
    assert page.locator("#map .leaflet-interactive").count() == mappable.count()
    assert script_errors == []
    fitted = page.evaluate(
        """() => {
            const marks = L.latLngBounds([...document.querySelectorAll("tr[data-lat]")]
                .map(r => [+r.dataset.lat, +r.dataset.lon]));
            const view = map.getBounds();
            return {contains: view.contains(marks),
                    dlat: Math.abs(view.getCenter().lat - marks.getCenter().lat),
                    dlon: Math.abs(view.getCenter().lng - marks.getCenter().lng)};
        }"""
    )
    assert fitted["contains"] and fitted["dlat"] < 0.05 and fitted["dlon"] < 0.05, fitted
    protected_row = page.inner_text(f"tr[data-ref={protected}]")
    assert "Rullstol" in protected_row and "Hemlig väg" not in protected_row
    assert "wheelchair" not in page.inner_text("table.bookings")
    assert "(beställningsmottagare)" in page.inner_text("header")
    page.screenshot(path=str(tmp_path / "day.png"), full_page=True)


def test_wrong_password_shows_a_swedish_error(
    live_server: tuple[str, str], browser: Browser
) -> None:
    day_url, _ = live_server
    page = browser.new_page()
    page.goto(day_url.split("?")[0] + "login")
    page.fill("input[name=username]", "desk")
    page.fill("input[name=password]", "not-the-password-1")
    page.click("button[type=submit]")
    assert page.inner_text("[role=alert]").startswith("Fel användarnamn eller lösenord. ")


def test_a_date_or_status_the_page_cannot_read_gets_a_swedish_error(
    live_server: tuple[str, str], browser: Browser
) -> None:
    """A date is said at the Datum field, the form kept and the typed text in it (as on the
    other day pickers); a status not in the list gets a Swedish error page."""
    day_url, _ = live_server
    page = browser.new_page()
    _log_in(page, day_url)
    response = page.goto(day_url.split("?")[0] + "?date=2026-13-45")
    assert response is not None and response.status == 200
    assert "Datumet finns inte" in page.inner_text("[role=alert]"), "written as asked"
    assert page.input_value("#date") == "2026-13-45"
    page.goto(day_url.split("?")[0] + "?date=i morgon")
    assert "ÅÅÅÅ-MM-DD" in page.inner_text("[role=alert]")
    response = page.goto(day_url + "&status=lost")
    assert response is not None and response.status == 422
    assert "Den statusen finns inte" in page.inner_text("[role=alert]")


def test_api_docs_render_from_vendored_assets_without_a_console_error(
    live_server: tuple[str, str], browser: Browser
) -> None:
    """Swagger UI loads from /static within the Content-Security-Policy, offline too."""
    day_url, _ = live_server
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: problems.append(message.text) if _is_error(message) else None,
    )
    outside: list[str] = []
    base = day_url.split("?")[0].rstrip("/")
    page.on(
        "request",
        lambda request: None if request.url.startswith(base) else outside.append(request.url),
    )
    page.goto(f"{base}/api/v1/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Samfard" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert problems == []
    assert outside == []


def _is_error(message: ConsoleMessage) -> bool:
    return message.type == "error"
