"""The shell's error page says in Swedish what happened and what to do, and only Swedish:
a browser walk-through of a working day (2026-12) found the service's English ("no
traveller with id 999999", "no run 999999") shown under "Teknisk uppgift" on 404 pages.
The API keeps its English problem+json; a page's own Swedish detail (a value it could
not read) is still said."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from test_workspace_pages import heading, login, users

from helpers import NOW, auth, token_for
from samfard.access.permissions import Role

ENGLISH = ("no traveller", "no run", "not found", "Teknisk uppgift", 'lang="en"')


@pytest.mark.parametrize("path", ["/resenarer/999999", "/trafik/korning/999999", "/finns-inte"])
def test_a_page_not_found_says_it_in_swedish_only(
    app_client: TestClient, session: Session, path: str
) -> None:
    users(session, "operator")
    login(app_client, "operator")
    page = app_client.get(path)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert heading(page.text) == "Hittades inte"
    assert "Det du söker finns inte" in page.text
    for english in ENGLISH:
        assert english not in page.text, english


def test_the_api_keeps_its_english_problem_document(
    app_client: TestClient, session: Session
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW, username="api-404")
    answer = app_client.get("/api/v1/travellers/999999", headers=auth(token))
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert "999999" in answer.json()["detail"]


def test_a_value_a_page_cannot_read_is_still_said_in_swedish(
    app_client: TestClient, session: Session
) -> None:
    users(session, "operator")
    csrf = login(app_client, "operator")
    page = app_client.post("/trafik/planera-om-nu", data={"csrf_token": csrf, "datum": "3/12"})
    assert page.status_code == 422 and "Uppgifterna behöver rättas" in page.text
    assert "har ett värde som inte går att läsa: skriv datumet som ÅÅÅÅ-MM-DD." in page.text
    assert "Teknisk uppgift" not in page.text


def test_a_page_value_that_cannot_be_read_is_not_named_by_the_apis_word(
    app_client: TestClient, session: Session
) -> None:
    """ "booking_id: skriv ett heltal" named the parameter as the API does (walk-through of
    the seventh session of 2026-12-06)."""
    users(session, "operator")
    login(app_client, "operator")
    page = app_client.get("/trafik/flytta", params={"booking_id": "abc", "leg_seq": "0"})
    assert page.status_code == 422
    assert "har ett värde som inte går att läsa: skriv ett heltal." in page.text
    assert "booking_id" not in page.text


def test_a_form_from_before_a_new_login_says_the_page_has_gone_stale(
    app_client: TestClient, session: Session
) -> None:
    """A form shown before the user logged in again (in another tab) carries the old
    session's CSRF token. The page said "Du saknar behörighet … Be din administratör om
    behörighet", sending an assessor to ask for a right she had (walk-through of
    2026-12-06): it says the page has gone stale and what to do. An htmx request gets the
    same page, marked for sidfel.js to show in place."""
    users(session, "operator")
    stale = login(app_client, "operator")
    login(app_client, "operator")  # again: a new session, a new token
    form = {"csrf_token": stale, "datum": "2026-11-23"}
    for headers in ({}, {"HX-Request": "true"}):
        page = app_client.post("/trafik/planera-om-nu", data=form, headers=headers)
        assert page.status_code == 403
        assert heading(page.text) == "Sidan har gått ut"
        assert "Ladda om sidan och gör om ändringen." in page.text
        assert "Be din administratör" not in page.text
        assert page.headers["Samfard-Page-Error"] == "1"
    answer = app_client.post("/api/v1/bookings", json={}, headers={"X-CSRF-Token": stale})
    assert answer.status_code == 403 and "X-CSRF-Token" in answer.json()["detail"]
