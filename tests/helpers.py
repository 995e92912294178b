"""Small builders for tests: named, explicit, no factory framework."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from samfard.access.actor import SYSTEM
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user, issue_token
from samfard.cli.core import DEMO_PLAN_ENGINE
from samfard.dispatch import store
from samfard.dispatch.models import Run
from samfard.dispatch.service import PlanOutcome, plan_day
from samfard.planning.engine import Solver
from samfard.planning.solve import make_solver
from samfard.timeutil import STOCKHOLM
from samfard.travellers.models import Traveller

STRONG_PASSWORD = "correct-horse-42"
# Debian's Chromium, driven by Playwright with the flags the project's browser tests use.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TEST_TOKEN_LIFE = timedelta(days=30)

# The fixed "now" of the test clock. Import it from here, not from conftest: several
# folders have a conftest.py, and which one `import conftest` finds depends on the run.
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=STOCKHOLM)


def fixed_solver() -> Solver:
    """The demo's engine: the native search stopped by a count of iterations, never by the
    clock, so a small test day plans in a fraction of a second instead of the whole time
    limit, and a seed gives the same plan on any machine."""
    return make_solver(DEMO_PLAN_ENGINE)


def plan_fixed(session: Session, day: date, *, now: datetime, seed: int = 0) -> PlanOutcome:
    """Plan `day` as the system would, with `fixed_solver()`: the plan a test reads is the
    same however loaded the machine is."""
    return plan_day(
        session=session, day=day, actor=SYSTEM, now=now, seed=seed, solver=fixed_solver()
    )


def busiest_run(session: Session, day: date) -> Run:
    """The run with the most stops in the day's newest plan: the one whose vehicle carries
    several travellers, for a test of what one sees of another."""
    plan = store.latest_plan(session, day)
    assert plan is not None and plan.runs, f"no plan with runs for {day}"
    return max(plan.runs, key=lambda r: len(r.stops))


def token_for(
    session: Session,
    role: Role,
    *,
    now: datetime,
    username: str | None = None,
    principals: list[str] | None = None,
    **extra: object,
) -> str:
    user = create_user(
        session=session,
        username=username or f"{role.value}-user",
        password=STRONG_PASSWORD,
        role=role,
        now=now,
        principal_codes=principals if principals is not None else ["*"],
        **extra,  # type: ignore[arg-type]
    )
    # Tests move their clock by days; a staff token's 12 hours would run out under them.
    return issue_token(session=session, user=user, kind="bearer", now=now, lifetime=TEST_TOKEN_LIFE)


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


ANNA = {
    "personal_number": "19121212-1212",
    "first_name": "Anna",
    "last_name": "Testsson",
    "address": {
        "street": "Storgatan 1",
        "postal_code": "831 30",
        "city": "Östersund",
        "municipality_code": "2380",
        "lat": 63.1767,
        "lon": 14.6361,
    },
    "phone": "070-1234567",
    "mobility_aids": ["rollator"],
}

# Anna living in the forest between Östersund and Brunflo, kilometres from any stop of the
# demo feed: a sjukresa she asks as a taxi cannot go by bus (public_transport.not_possible),
# so without a certificate the central travel service decides it. Storgatan 1 is beside
# town bus lines, and there the check sends a taxi asked without a certificate by bus.
ANNA_FAR_FROM_A_LINE = {
    **ANNA,
    "address": {
        "street": "Skogsvägen 1",
        "postal_code": "831 92",
        "city": "Östersund",
        "municipality_code": "2380",
        "lat": 63.12,
        "lon": 14.74,
    },
}


def register(client: TestClient, token: str, body: dict[str, object] | None = None) -> int:
    response = client.post("/api/v1/travellers", json=body or ANNA, headers=auth(token))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def register_in_ostersund_fardtjanst(
    client: TestClient, token: str, body: dict[str, object]
) -> int:
    """A traveller registered with Östersund's färdtjänst permit for 2026-2027."""
    traveller = register(client, token, body)
    permit = client.post(
        f"/api/v1/travellers/{traveller}/permits",
        json={"kind": "fardtjanst", "principal": "2380",
              "valid_from": "2026-01-01", "valid_until": "2027-12-31"},
        headers=auth(token),
    )  # fmt: skip
    assert permit.status_code == 201, permit.text
    return traveller


def place_id(client: TestClient, token: str, name: str) -> int:
    response = client.get("/api/v1/places", params={"q": name}, headers=auth(token))
    assert response.status_code == 200, response.text
    return int(response.json()[0]["id"])


def stored_traveller(session: Session, traveller_id: int) -> Traveller:
    traveller = session.get(Traveller, traveller_id)
    assert traveller is not None
    return traveller


def iso(day: date, hhmm: str) -> str:
    """A Swedish wall-clock time on a day as an aware ISO string."""
    from datetime import time

    from samfard.timeutil import local

    hour, minute = (int(x) for x in hhmm.split(":"))
    return local(day, time(hour, minute)).isoformat()


def login_form(username: str, client: TestClient) -> dict[str, str]:
    """The login page's form for `username`, with the login-CSRF token the page hands out
    (the page sets it as a cookie and a hidden field; a form without it is refused)."""
    client.get("/login")
    return {
        "username": username,
        "password": STRONG_PASSWORD,
        "csrf_token": client.cookies[LOGIN_CSRF_COOKIE],
    }
