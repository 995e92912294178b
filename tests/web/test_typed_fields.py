"""Dates and times are typed, in Swedish forms, whatever the browser's language.

An `<input type="date">` or `type="time"` shows the browser's locale: 12/02/2026 and
08:00 AM in an English Chromium. The pages use text fields with the format in the hint
(`date_input`, `time_input` in _macros.html) and read what was typed on the server.
"""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

import samfard.web
from helpers import NOW, STRONG_PASSWORD, auth, login_form, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.goods.page_form import GoodsForm, parse_form
from samfard.web.shell import FormErrors

TEMPLATES = Path(samfard.web.__file__).parent / "templates"
LOCALE_INPUT = re.compile(r"""type\s*=\s*["']?(date|time|datetime-local|month|week)\b""")


def test_no_page_asks_for_a_date_or_time_in_the_browsers_locale() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if LOCALE_INPUT.search(line)
    ]
    assert found == [], "use ui.date_input / ui.time_input:\n" + "\n".join(found)


def test_the_macros_render_text_fields_with_the_format_visible() -> None:
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    macros = env.get_template("_macros.html").module
    day = str(macros.date_input("dag", "Dag", "2026-12-02", hint="Resdagen"))  # type: ignore[attr-defined]
    clock = str(macros.time_input("fran", "Från", "08:00"))  # type: ignore[attr-defined]
    assert 'type="text"' in day and 'value="2026-12-02"' in day
    assert "ÅÅÅÅ-MM-DD. Resdagen" in day and 'aria-describedby="dag-hint"' in day
    assert 'type="text"' in clock and "TT:MM" in clock and 'autocomplete="off"' in clock


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("08:30", time(8, 30)), ("8.30", time(8, 30)), ("0830", time(8, 30)), ("kl 9", time(9, 0))],
)
def test_goods_times_are_read_as_people_type_them(typed: str, expected: time) -> None:
    errors = FormErrors()
    form = GoodsForm(huvudman="23", beskrivning="Provrör", fran="1", till="2", dag="2026-12-02",
                     hamtas_fran=typed)  # fmt: skip
    data = parse_form(form, errors, today=date(2026, 12, 1))
    assert errors.get("hamtas-fran") is None, errors.items()
    assert data is not None and data.pickup_from.timetz().replace(tzinfo=None) == expected


def test_a_goods_time_that_cannot_be_read_says_what_to_write() -> None:
    errors = FormErrors()
    form = GoodsForm(dag=date(2026, 12, 2).isoformat(), lamnas_till="25:00")
    parse_form(form, errors, today=date(2026, 12, 1))
    assert errors.get("lamnas-till") == "Ange klockslag, till exempel 08:30"


def test_a_date_typed_the_wrong_way_gets_a_swedish_page_and_the_api_problem_json(
    app_client: TestClient, session: Session
) -> None:
    """A form field that reads only an ISO date (a hidden field the page writes) answers
    "3/12" in Swedish in the shell; the API still answers problem+json. (A day picker reads
    "3/12" itself: tests/dispatch/test_trafik_page_days.py.)"""
    create_user(session=session, username="picker", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    assert app_client.post("/login", data=login_form("picker", app_client)).status_code == 200
    page = app_client.post(
        "/trafik/planera-om-nu",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "datum": "3/12"},
    )
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert "Uppgifterna behöver rättas" in page.text
    assert "har ett värde som inte går att läsa: skriv datumet som ÅÅÅÅ-MM-DD." in page.text
    assert "Input should be" not in page.text
    token = token_for(session, Role.OPERATOR, now=NOW, username="api-picker")
    api = app_client.get("/api/v1/bookings?date=3/12", headers=auth(token))
    assert api.status_code == 422 and api.headers["content-type"] == "application/problem+json"
    assert api.json()["field"] == "date"
