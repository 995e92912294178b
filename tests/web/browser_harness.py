"""The shared harness for browser tests of the operator pages.

One live server per test session, on a migrated SQLite database holding a demo-like day
(the demo's generator and loader, the demo fleet and a stored plan), and one user per
workspace role. Tests log in as a role with `login(browser, role)`, check accessibility
with `assert_no_axe_violations(page)` (axe-core, vendored from npm beside this file), and
collect console errors with `ConsoleErrors`.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.orm import Session

from helpers import ANNA_FAR_FROM_A_LINE, plan_fixed
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.app import create_app
from samfard.booking import service as booking_service
from samfard.booking.schemas import BookingCreate, Channel, LegCreate, Location
from samfard.clock import Clock
from samfard.config import Settings
from samfard.costs.service import load_contract_files
from samfard.db import make_engine, upgrade
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.demo.model import booked_at
from samfard.dispatch.fleet import load_demo_fleet
from samfard.geo.models import Place
from samfard.reference import load_reference_data
from samfard.timeutil import STOCKHOLM, local
from samfard.travellers import service as traveller_service
from samfard.travellers.schemas import TravellerCreate

# What an assertion on the page waits for, as long as an action waits (`new_page`):
# Playwright's own 5 s was too short on a loaded 2-core machine for a report that queues
# behind another, is sent, and has the stop list fetched again (driver, 2026-12-04), and
# 10 s for a cancellation late in a CI run (2026-12-07). Tests check what a page shows,
# never how fast: a correct page passes at once, only a failing one waits the whole time.
PAGE_WAIT_MS = 20_000
expect.set_options(timeout=PAGE_WAIT_MS)

PASSWORD = "browser-test-42"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_TRIPS = 60
DEMO_SEED = 5

# One user per workspace role; the username is the role's name.
USERS: dict[str, Role] = {
    "operator": Role.OPERATOR,
    "assessor": Role.ASSESSOR,
    "analyst": Role.ANALYST,
    "admin": Role.SYSTEM_ADMIN,
    "principal_admin": Role.PRINCIPAL_ADMIN,
}


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    day: date
    database_url: str

    def url(self, path: str) -> str:
        return self.base_url + path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_planned_day(session: Session, day: date, *, seed: int, trips: int) -> None:
    """What `samfard demo` loads, through the same functions: reference data, a generated
    day, a fifth of the demo fleet, the contracts, and the day's plan (by the demo's
    engine, as of when the demo books the day: a plan of today made now would leave out
    the hours gone by, and the tests run at any hour)."""
    load_reference_data(session=session)
    load_day(session=session, demo=generate_day(day, seed=seed, trips=trips))
    load_demo_fleet(session, scale=0.2)
    session.commit()
    load_contract_files(session)
    plan_fixed(session, day, now=booked_at(day), seed=seed)


@contextmanager
def planned_database(
    folder: Path, day: date, *, seed: int, trips: int
) -> Iterator[tuple[str, Session]]:
    """A migrated SQLite database of a test module's own in `folder` with a small planned
    day (`load_planned_day`), and a session on it to add what the module needs (accounts,
    answered offers); yields the database's URL for `serve` and that session."""
    url = f"sqlite:///{folder / 'samfard.sqlite3'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            load_planned_day(session, day, seed=seed, trips=trips)
            yield url, session
    finally:
        engine.dispose()


def staff(session: Session, username: str, role: Role, now: datetime, **scope: Any) -> None:
    """An account of `role` with the harness's password, scoped to every principal unless
    `scope` says otherwise (a driver's carrier and vehicle, a traveller)."""
    scope.setdefault("principal_codes", [] if role is Role.TRAVELLER else ["*"])
    create_user(session=session, username=username, password=PASSWORD, role=role, now=now, **scope)


def build_world(database_url: str, day: date) -> None:
    """Migrate, then load what the demo loads (the day, fleet, contracts, a plan) through
    the same functions `samfard demo` uses, and one user per role."""
    upgrade(database_url)
    engine = make_engine(database_url)
    now = datetime.now(STOCKHOLM)
    with Session(engine) as session:
        load_planned_day(session, day, seed=DEMO_SEED, trips=DEMO_TRIPS)
        for username, role in USERS.items():
            create_user(
                session=session,
                username=username,
                password=PASSWORD,
                role=role,
                now=now,
                display_name=username.capitalize(),
                principal_codes=["*"],
            )
    engine.dispose()


def serve(database_url: str, day: date, *, clock: Clock | None = None) -> Iterator[LiveServer]:
    """Run the real application with uvicorn in a thread until the generator is closed
    (on `clock` when given, so rules that depend on the hour hold whenever the test runs)."""
    engine = make_engine(database_url)
    port = _free_port()
    settings = Settings(database_url=database_url, secure_cookies=False)
    app = create_app(settings, engine=engine, clock=clock)
    # A page left open on a server-sent event stream would hold a graceful shutdown for
    # the whole join timeout; a second is enough for every ordinary request to finish.
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield LiveServer(f"http://127.0.0.1:{port}", day, database_url)
    server.should_exit = True
    thread.join(timeout=10)
    engine.dispose()


def demo_day() -> date:
    """The demo's day: tomorrow in Sweden, as `samfard demo` uses."""
    return datetime.now(STOCKHOLM).date() + timedelta(days=1)


@dataclass
class ConsoleErrors:
    """Collects console errors and uncaught page errors; `assert_none` fails with them."""

    page: Page
    messages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.messages.append(f"pageerror: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.messages.append(f"console: {message.text} ({message.location.get('url')})")

    def assert_none(self) -> None:
        assert not self.messages, "errors in the browser console:\n" + "\n".join(self.messages)


@dataclass
class Questions:
    """The questions a page asks in its own dialog before an act that cannot be undone
    (fraga.js, forare.js), answered from the keyboard as a phone operator would: Enter on
    Avbryt, which has focus first, or Shift+Tab to Ja and Enter. A question from the
    browser's own confirm() fails the test: its buttons speak the browser's language."""

    page: Page
    native: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("dialog", self._native)

    def _native(self, dialog: Dialog) -> None:
        self.native.append(dialog.message)
        dialog.dismiss()

    def answer(self, *, yes: bool) -> str:
        """Answer the open question; returns it as asked, heading and text
        ("Avbeställa resan R-1? Det går inte att ångra.")."""
        question = self.page.locator("dialog[open]")
        expect(question).to_have_count(1)
        expect(question.get_by_role("button", name="Avbryt")).to_be_focused()
        asked = " ".join(
            text.strip() for text in question.locator("h2, p:visible").all_inner_texts() if text
        )
        if yes:
            self.page.keyboard.press("Shift+Tab")
            expect(question.get_by_role("button", name="Ja")).to_be_focused()
        self.page.keyboard.press("Enter")
        expect(self.page.locator("dialog[open]")).to_have_count(0)
        assert not self.native, f"the browser asked, not the page: {self.native}"
        return asked

    def answer_if_asked(self, *, yes: bool) -> str | None:
        """Answer a question if the last press asked one (the dialog opens within the
        press's own event), for a question that depends on the hour the test runs."""
        if self.page.locator("dialog[open]").count() == 0:
            assert not self.native, f"the browser asked, not the page: {self.native}"
            return None
        return self.answer(yes=yes)


# A 1x1 transparent PNG: what every map tile request gets, so tests never leave the machine.
BLANK_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def new_page(browser: Browser, **context: object) -> Page:
    """A page in a fresh Swedish browser context whose requests to other hosts (map tiles)
    are answered locally with a blank tile."""
    options: dict[str, object] = {"locale": "sv-SE", "timezone_id": "Europe/Stockholm"}
    options.update(context)
    browser_context = browser.new_context(**options)  # type: ignore[arg-type]
    browser_context.route(
        lambda url: not url.startswith("http://127.0.0.1"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_TILE),
    )
    browser_context.set_default_timeout(PAGE_WAIT_MS)
    return browser_context.new_page()


def login(browser: Browser, server: LiveServer, username: str, **context: object) -> Page:
    """A new browser context logged in as `username` through the login form."""
    page = new_page(browser, **context)
    page.goto(server.url("/login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))
    return page


SERIOUS = ("serious", "critical")


def inject_axe(page: Page) -> None:
    """axe-core in the page, once. Evaluated through the browser's DevTools, which the
    page's Content-Security-Policy does not govern: an added <script> tag is an inline
    script, which the policy (script-src 'self') refuses, as it should."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))


def axe_violations(page: Page, impacts: tuple[str, ...] = SERIOUS) -> list[dict[str, object]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is now. Only the
    violations are processed in full (`resultTypes`, axe-core's API, "Performance"): the
    passing nodes' selectors, which nothing here reads, were computed and sent back too."""
    inject_axe(page)
    results = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations']
        })"""
    )
    return [v for v in results["violations"] if v["impact"] in impacts]


def assert_no_axe_violations(page: Page) -> None:
    """Fail on any serious or critical axe-core violation, naming the rule and nodes."""
    found = axe_violations(page)
    summary = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],  # type: ignore[index, union-attr]
        }
        for v in found
    ]
    assert not found, "axe-core violations:\n" + json.dumps(summary, indent=1, ensure_ascii=False)


def unmapped_travellers(page: Page) -> list[str]:
    """The traveller column of the day list's rows that have no place on its map. Only a
    protected traveller's own address is hidden, so every name here should read as masked;
    the demo's days hold such travellers on some dates and not on others (0.5 % of them)."""
    rows = page.locator("table.bookings tbody tr[data-ref]:not([data-lat])").all()
    return [row.locator("td").nth(2).inner_text() for row in rows]


@contextmanager
def served_session(server: LiveServer) -> Iterator[Session]:
    """A session on the served database through the application's own engine, for a test
    that stores what it needs through the services, as the desk would."""
    engine = make_engine(server.database_url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def book_a_case_for_an_assessor(server: LiveServer) -> str:
    """A sjukresa of Region Jämtland Härjedalen by taxi, home and back, for a traveller
    kilometres from any stop: the rules leave it to the central travel service, so it waits
    in the assessor's queue. Booked through the services, as the desk would, on the served
    day; returns its reference. Whether the demo day holds such a case depends on the date
    (none with the harness's seed on 2026-12-08), so a test that needs one books its own;
    the queue lists it after the day's own cases."""
    with served_session(server) as session:
        now = datetime.now(UTC)
        traveller, _ = traveller_service.enrol_traveller(
            session=session,
            actor=SYSTEM,
            now=now,
            synthetic=True,
            data=TravellerCreate.model_validate(ANNA_FAR_FROM_A_LINE),
        )
        hospital = session.scalars(select(Place).where(Place.name == "Östersunds sjukhus")).one()
        booking, _ = booking_service.create_booking(
            session=session,
            actor=SYSTEM,
            now=now,
            data=BookingCreate(
                traveller_id=traveller.id,
                service="sjukresa",
                principal="23",
                purpose="treatment",
                legs=[
                    LegCreate(
                        origin=Location(home=True),
                        destination=Location(place_id=hospital.id),
                        appointment_at=local(server.day, clock_time(10)),
                    ),
                    LegCreate(
                        origin=Location(place_id=hospital.id),
                        destination=Location(home=True),
                        pickup_at=local(server.day, clock_time(13)),
                        return_of=0,
                    ),
                ],
                channel=Channel.PHONE,
            ),
        )
        assert (booking.decision or {}).get("outcome") == "needs_assessor", booking.decision
        return booking.reference


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot under docs/screenshots/ (shown in the README).

    It waits for the page to have loaded first: a capture begun while a form's submission
    replaces the page can hang until Playwright's timeout.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state("load")
    page.screenshot(path=str(path), full_page=True)
    return path


def reader_engine(database_url: str) -> Engine:
    """An engine for the tests' own reads of the served database.

    The application's engine begins every SQLite transaction IMMEDIATE (it writes audit
    entries even when it reads), so a test session held open on it would lock the server
    out; a plain engine reads a WAL snapshot beside the server instead.
    """
    return create_engine(database_url, connect_args={"check_same_thread": False})
