"""The forms of /trafik over HTTP: what changes every principal's day asks first, and the
controls of the alerts section, which htmx replaces whole, keep their ids.

"Planera om" started a re-plan of the whole day at one keypress while "Planera om resten
av dagen" asked first; every form that posts on the page now either asks (hx-confirm, in
Swedish) or is one of the small answers listed here. The alerts section's controls had no
ids, so after a reload htmx could not give focus back and it fell to <body>
(tests/web/test_trafik_keyboard_browser.py follows focus in the browser).

The planned demo day and the controller's account are built once per database (`planned`);
each test raises its alerts and logs in in a savepoint of it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from dispatch_fixtures import CONTROLLER_LOGIN, DAY, add_controller, plan_demo_day
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, login_form
from samfard.db import transaction
from samfard.dispatch import alerts

# Posts that answer one alert, not change the day: no question before them.
NO_QUESTION = re.compile(r"^/trafik/larm/\d+/kvittera$")
SWEDISH = re.compile(r"[åäöÅÄÖ]|Planera om")

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned(module_session: Session) -> None:
    """The demo day planned and a controller's account, built once per database; each
    test runs in a savepoint of it."""
    plan_demo_day(module_session)
    add_controller(module_session)
    module_session.commit()


class Forms(HTMLParser):
    """The forms of a page (their attributes) and the focusable controls with their ids."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str | None]] = []
        self.controls: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = dict(attrs)
        if tag == "form":
            self.forms.append(given)
        if tag in ("button", "a", "select", "input") and given.get("type") != "hidden":
            self.controls.append((tag, given.get("id")))


def _read(html: str) -> Forms:
    forms = Forms()
    forms.feed(html)
    return forms


def _controller(client: TestClient) -> None:
    """The controller (`planned`) logged in on the test's own client."""
    client.cookies.clear()
    client.post("/login", data=login_form(CONTROLLER_LOGIN, client))


def test_every_form_that_changes_the_day_asks_first_in_swedish(
    app_client: TestClient, session: Session, planned: None
) -> None:
    with transaction(session):
        alerts.raise_alert(
            session, kind="run_declined", day=DAY, subject="vehicle 1",
            message="Testbil: utföraren avböjde körningen.", at=NOW,
        )  # fmt: skip
    _controller(app_client)
    day = DAY.isoformat()
    page = app_client.get(f"/trafik?datum={day}").text.split("<main", 1)[1]  # not the shell
    section = app_client.get(f"/trafik/larm?datum={day}", headers={"HX-Request": "true"}).text
    posting = [
        form
        for form in _read(page).forms + _read(section).forms
        if (form.get("method") or "").lower() == "post"
    ]
    actions = sorted(str(form.get("action")) for form in posting)
    assert "/trafik/planera" in actions and "/trafik/planera-om-nu" in actions, actions
    for form in posting:
        if NO_QUESTION.match(str(form.get("action"))):
            continue
        question = form.get("hx-confirm") or ""
        assert SWEDISH.search(question) and question.endswith("."), form


def test_the_alerts_controls_keep_their_ids_across_a_reload(
    app_client: TestClient, session: Session, planned: None
) -> None:
    with transaction(session):
        for n in (1, 2):
            alerts.raise_alert(
                session, kind="run_declined", day=DAY, subject=f"vehicle {n}", run_id=None,
                message=f"Testbil {n}: utföraren avböjde körningen.", at=NOW,
            )  # fmt: skip
    _controller(app_client)
    url = f"/trafik/larm?datum={DAY.isoformat()}"
    first = _read(app_client.get(url, headers={"HX-Request": "true"}).text).controls
    again = _read(app_client.get(url, headers={"HX-Request": "true"}).text).controls
    ids = [control_id for _, control_id in first]
    assert all(ids) and len(set(ids)) == len(ids), first
    assert again == first
    assert ("button", "planera-om-nu") in first
