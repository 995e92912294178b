"""The set-up of the live day's page tests over HTTP (/trafik's alerts and offers,
/utforare): a small planned day in the test's session, and a page login of any role."""

from __future__ import annotations

from datetime import date, time

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form, plan_fixed
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.db import transaction
from samfard.demo.generator import generate_day
from samfard.demo.loader import load_day
from samfard.dispatch.fleet import load_demo_fleet
from samfard.timeutil import local

DAY = date(2026, 11, 23)
EVENING = local(date(2026, 11, 22), time(18, 0))


def plan_live_day(session: Session) -> None:
    """The demo generator's 30 trips of DAY, a fifth of the demo fleet, planned the evening
    before (the `planned` fixture of tests/web/conftest.py)."""
    load_day(session=session, demo=generate_day(DAY, seed=3, trips=30))
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    plan_fixed(session, DAY, now=EVENING, seed=1)


def page_login(
    client: TestClient, session: Session, username: str, role: Role, **scope: object
) -> str:
    """A new account of `role` logged in to the pages; returns its CSRF token."""
    create_user(
        session=session, username=username, password=STRONG_PASSWORD, role=role, now=NOW,
        **scope,  # type: ignore[arg-type]
    )  # fmt: skip
    client.cookies.clear()
    response = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(client.cookies[CSRF_COOKIE])
