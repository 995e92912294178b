"""The page shell without a browser: navigation per role, Swedish formats, the CSRF
field of page forms."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import samfard.web
from helpers import NOW, STRONG_PASSWORD, login_form
from samfard.access.actor import Actor
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import home_for, nav_for
from samfard.web.templating import sv_date, sv_datetime, sv_kr, sv_number, sv_time


def _actor(role: Role) -> Actor:
    return Actor(user_id=1, username="u", role=role, principal_codes=frozenset({"*"}))


def test_navigation_lists_only_pages_the_role_may_open() -> None:
    assert [i.path for i in nav_for(_actor(Role.OPERATOR))] == [
        "/",
        "/bokning",
        "/gods",
        "/resenarer",
        "/trafik",
        "/utforare",
        "/kvalitet",
    ]
    assert [i.path for i in nav_for(_actor(Role.ANALYST))] == ["/uppfoljning", "/enheter"]
    assert [i.path for i in nav_for(_actor(Role.CARE_ISSUER))] == [
        "/intyg",
        "/kurs",
        "/",
        "/bokning",
        "/resenarer",
        "/kvalitet",
        "/enheter",
    ], "care staff's own work first, their unit's follow-up last"
    assert [i.path for i in nav_for(_actor(Role.DRIVER))] == ["/forare", "/kvalitet"]
    assert [i.path for i in nav_for(_actor(Role.TRAVELLER))] == ["/mina-resor"]
    assert "/admin" in [i.path for i in nav_for(_actor(Role.SYSTEM_ADMIN))]
    assert home_for(_actor(Role.ANALYST)) == "/uppfoljning"
    assert home_for(_actor(Role.DRIVER)) == "/forare", "a driver lands on their run"
    assert home_for(_actor(Role.TRAVELLER)) == "/mina-resor"
    assert home_for(_actor(Role.CARE_ISSUER)) == "/intyg", "not an empty Dagens resor"
    assert home_for(_actor(Role.OPERATOR)) == "/"


def test_a_page_of_every_principals_work_is_not_offered_to_one_principals_staff() -> None:
    """Körningar (run offers) answered 403 to a municipality's operator, who saw it listed."""
    scoped = Actor(
        user_id=2, username="op", role=Role.OPERATOR, principal_codes=frozenset({"2380"})
    )
    assert "/utforare" not in [i.path for i in nav_for(scoped)]
    assert "/trafik" in [i.path for i in nav_for(scoped)]
    carrier = Actor(user_id=3, username="disp", role=Role.CARRIER_DISPATCHER, carrier_id=1)
    assert "/utforare" in [i.path for i in nav_for(carrier)]


def test_swedish_formats() -> None:
    at = datetime(2026, 12, 2, 7, 5, tzinfo=STOCKHOLM)
    assert sv_date(date(2026, 12, 2)) == "2 december 2026"
    assert sv_date(date(2026, 12, 2), "day") == "onsdag 2 december 2026"
    assert sv_time(at) == "07:05"
    assert sv_datetime(at) == "2 december 2026 kl. 07:05"
    assert sv_number(1234567) == "1\u00a0234\u00a0567"
    assert sv_number(Decimal("12.5"), 1) == "12,5"
    assert sv_kr(123456) == "1\u00a0234,56 kr"


def _operator(session: Session, username: str) -> None:
    create_user(
        session=session,
        username=username,
        password=STRONG_PASSWORD,
        role=Role.OPERATOR,
        now=NOW,
        principal_codes=["*"],
    )


def test_logout_form_needs_its_csrf_field(app_client: TestClient, session: Session) -> None:
    """A cookie session's form post is refused without the hidden field, accepted with it."""
    _operator(session, "shell-operator")
    login = app_client.post(
        "/login",
        data=login_form("shell-operator", app_client),
        follow_redirects=False,
    )
    assert login.status_code == 303
    refused = app_client.post("/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    csrf = app_client.cookies[CSRF_COOKIE]
    done = app_client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303
    assert done.headers["location"] == "/login?utloggad=1"


def test_an_office_of_operators_can_all_log_in_at_once(
    app_client: TestClient, session: Session
) -> None:
    """The login page counts only refused logins: 25 right logins from one address within a
    minute are all let in (the address's window allows 20 attempts, a username's 10)."""
    _operator(session, "shift-operator")
    answers = [
        app_client.post(
            "/login", data=login_form("shift-operator", app_client), follow_redirects=False
        ).status_code
        for _ in range(25)
    ]
    assert answers == [303] * 25


def test_a_count_takes_its_noun_in_the_right_number() -> None:
    """ "1 resor" and "1 avvikelser" were shown; a chart axis said "125000 kr"."""
    from samfard.reports.charts import _number
    from samfard.web.templating import sv_count

    assert sv_count(1, "resa", "resor") == "1 resa"
    assert sv_count(2, "resa", "resor") == "2 resor"
    assert sv_count(1234, "resa", "resor") == "1\u00a0234 resor"
    assert _number(Decimal(125000)) == "125\u00a0000" and _number(Decimal("12.5")) == "12,50"


def test_an_unknown_page_and_a_wrong_method_answer_with_a_swedish_page_not_json(
    app_client: TestClient, session: Session
) -> None:
    """Outside /api/ every failure is a page in Swedish, as the services' own errors are;
    the API keeps answering problem+json."""
    stranger = app_client.get("/finns-inte")
    assert stranger.status_code == 404 and "<h1>Hittades inte</h1>" in stranger.text
    _operator(session, "shell-lost")
    app_client.post("/login", data=login_form("shell-lost", app_client), follow_redirects=False)
    lost = app_client.get("/finns-inte")
    assert lost.status_code == 404
    assert lost.headers["content-type"].startswith("text/html")
    assert "<h1>Hittades inte</h1>" in lost.text
    wrong = app_client.put("/bokning")
    assert wrong.status_code == 405 and wrong.headers["allow"]
    assert "<h1>Sidan tar inte emot det här</h1>" in wrong.text
    api = app_client.get("/api/v1/finns-inte")
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"


def test_the_pages_run_scripts_from_the_site_only(app_client: TestClient) -> None:
    """The Content-Security-Policy allowed inline scripts ('unsafe-inline', noted by the
    security probe of 2026-12-06), because the day list's map and the API document's page
    started inline; both are script files now, and no template holds an inline script (a
    JSON data block is not run)."""
    for path in ("/login", "/api/v1/docs"):
        policy = app_client.get(path).headers["content-security-policy"]
        scripts = next(p.strip() for p in policy.split(";") if p.strip().startswith("script-src"))
        assert scripts == "script-src 'self'", path
    assert 'src="/static/api-docs.js"' in app_client.get("/api/v1/docs").text
    templates = Path(samfard.web.__file__).parent / "templates"
    for template in templates.rglob("*.html"):
        for tag in re.findall(r"<script\b[^>]*>", template.read_text(encoding="utf-8")):
            assert "src=" in tag or 'type="application/json"' in tag, (template.name, tag)
