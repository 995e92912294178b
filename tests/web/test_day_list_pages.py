"""Dagens resor (`/`) over HTTP, on SQLite and PostgreSQL: the day's trips in the order
they are made, and a Datum typed as on the other day pickers ("23/11"), or said at the
field when it cannot be read, the form kept."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking
from samfard.timeutil import STOCKHOLM
from samfard.web.templating import sv_date

MONDAY = date(2026, 11, 23)
REFERENCE = re.compile(r"SF-[A-Z2-9]{8}")
ROW = re.compile(r'data-ref="(SF-[A-Z2-9]{8})"')


@pytest.fixture
def operator(app_client: TestClient, session: Session) -> TestClient:
    create_user(session=session, username="day-operator", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    answer = app_client.post(
        "/login", data=login_form("day-operator", app_client), follow_redirects=False
    )
    assert answer.status_code == 303
    return app_client


def _book(client: TestClient, session: Session, traveller: int, **times: str) -> Booking:
    """A one-way sjukresa on MONDAY booked at the desk (a pickup or a visit's time)."""
    fields = {
        "csrf_token": client.cookies[CSRF_COOKIE],
        "resenar_id": str(traveller),
        "tjanst": "sjukresa",
        "syfte": "treatment",
        "fran": "Hemma: Storgatan 1, Östersund",
        "fran_val": "home",
        "till": "Östersunds sjukhus",
        "till_val": "",
        "datum": MONDAY.isoformat(),
        "besok": "",
        "hamtning": "",
    } | times
    answer = client.post("/bokning", data=fields)
    found = REFERENCE.search(answer.text.split('id="kvitto"')[1])
    assert found, answer.text
    return session.scalars(select(Booking).where(Booking.reference == found.group())).one()


def test_the_days_trips_are_listed_by_their_time_not_by_when_they_were_booked(
    operator: TestClient, session: Session
) -> None:
    """The rows follow the outward leg's pickup, or its visit's time when it has none,
    then the booking's id; they were in booking-id order."""
    traveller = register(operator, token_for(session, Role.OPERATOR, now=NOW, username="api"))
    late = _book(operator, session, traveller, hamtning="14:30")
    visit = _book(operator, session, traveller, besok="08:00")
    early = _book(operator, session, traveller, hamtning="07:15")
    same = _book(operator, session, traveller, hamtning="14:30")
    page = operator.get("/", params={"date": MONDAY.isoformat()})
    assert page.status_code == 200
    assert ROW.findall(page.text) == [
        early.reference,
        visit.reference,
        late.reference,
        same.reference,
    ]


@pytest.mark.parametrize("typed", ["23/11", "23/11/2026", "2026-11-23", " 2026-11-23 "])
def test_the_date_is_typed_as_on_the_other_day_pickers(
    operator: TestClient, session: Session, typed: str
) -> None:
    traveller = register(operator, token_for(session, Role.OPERATOR, now=NOW, username="api"))
    booked = _book(operator, session, traveller, hamtning="09:00")
    page = operator.get("/", params={"date": typed})
    assert page.status_code == 200
    assert "<h1>Resor måndag 23 november 2026</h1>" in page.text
    assert ROW.findall(page.text) == [booked.reference]
    assert "error-summary" not in page.text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2026-11-8", "Skriv datumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12"),
        ("i morgon", "Skriv datumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12"),
        ("31/2", "Datumet finns inte; kontrollera dag och månad"),
        # Written as asked, but no such day: the format message was given (walk-throughs
        # of the seventh session of 2026-12-06).
        ("2026-02-31", "Datumet finns inte; kontrollera dag och månad"),
        ("2026-13-01", "Datumet finns inte; kontrollera dag och månad"),
    ],
)
def test_a_date_the_page_cannot_read_is_said_at_the_field_with_the_form_kept(
    operator: TestClient, typed: str, said: str
) -> None:
    """It was a 422 page with the form gone; now the page comes back (200) with the
    default day, an error summary that takes the focus and links to the field, the
    message at the field and the typed text in it."""
    page = operator.get("/", params={"date": typed})
    assert page.status_code == 200
    assert re.search(r'class="error-summary"[^>]*autofocus', page.text)
    assert f'<a href="#date">{said}</a>' in page.text
    assert 'id="date-error"' in page.text and 'aria-invalid="true"' in page.text
    assert f'value="{typed}"' in page.text
    assert 'class="bookings"' in page.text, "the day's table is still there"


def test_dagens_resor_opens_on_today(operator: TestClient) -> None:
    """Under a menu item that says Dagens resor the list opened on tomorrow, and a
    walk-through at 07:00 read the next day's trips as the day's (2026-12-06)."""
    page = operator.get("/")
    assert page.status_code == 200
    today = NOW.astimezone(STOCKHOLM).date()
    assert f"<h1>Resor {sv_date(today, 'day')}</h1>" in page.text
