"""Whole numbers are typed as text: a browser's number field turned "1,5" into 15 (the
desk's Ledsagare, then "Skriv ett antal från 0 till 2" of a 15 nobody typed). The desk's
companion counts, in a new booking and in a trip's "Ändra", are text fields that read
"1,5" as it was typed and refuse it at the field, the form kept (SQLite and PostgreSQL;
in Chromium: tests/web/test_desk_typing_browser.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_desk_pages import REFERENCE, form

import samfard.web
from helpers import NOW, STRONG_PASSWORD, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.booking.models import Booking

TEMPLATES = Path(samfard.web.__file__).parent / "templates"
NUMBER_INPUT = re.compile(r"""type\s*=\s*["']?number\b""")


@pytest.fixture
def desk(app_client: TestClient, session: Session) -> TestClient:
    create_user(session=session, username="count-desk", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    assert app_client.post("/login", data=login_form("count-desk", app_client)).status_code == 200
    return app_client


@pytest.fixture
def anna(app_client: TestClient, session: Session) -> int:
    return register(app_client, token_for(session, Role.OPERATOR, now=NOW, username="count-api"))


def _field(page: str, field_id: str) -> str:
    found = re.search(rf'<input id="{re.escape(field_id)}"[^>]*>', page)
    assert found, f"no field {field_id}"
    return found.group()


def test_no_page_asks_for_a_number_the_browsers_way() -> None:
    found = [
        f"{path.relative_to(TEMPLATES)}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if NUMBER_INPUT.search(line) and "never type=" not in line
    ]
    assert found == [], "use ui.number_input:\n" + "\n".join(found)


@pytest.mark.parametrize(("field", "most"), [("ledsagare", 2), ("medfoljande", 4)])
def test_a_count_of_one_and_a_half_is_refused_as_typed_in_a_new_booking(
    desk: TestClient, anna: int, session: Session, field: str, most: int
) -> None:
    page = desk.get("/bokning", params={"resenar": anna}).text
    drawn = _field(page, field)
    assert 'type="text"' in drawn and 'inputmode="numeric"' in drawn
    before = session.scalar(select(Booking.id).order_by(Booking.id.desc()))
    answer = html.unescape(desk.post("/bokning", data=form(anna, desk, **{field: "1,5"})).text)
    assert f'href="#{field}"' in answer
    assert f"Ange ett heltal från 0 till {most}" in answer
    assert 'value="1,5"' in _field(answer, field), "the form kept as typed"
    assert session.scalar(select(Booking.id).order_by(Booking.id.desc())) == before


def test_a_count_of_one_and_a_half_is_refused_at_its_field_in_a_trips_change(
    desk: TestClient, session: Session
) -> None:
    """The change form said a wrong count in a notice above the card, its form closed and
    what was typed gone; it is now the field's error, the form open as typed."""
    anna = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="count-op"))
    found = REFERENCE.search(desk.post("/bokning", data=form(anna, desk, retur="")).text)
    assert found
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    card = desk.get("/bokning", params={"resenar": anna}).text
    for name in ("ledsagare", "medfoljande"):
        drawn = _field(card, f"{name}_{booking.id}")
        assert 'type="text"' in drawn and 'inputmode="numeric"' in drawn
    sent = {"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna),
            "version": str(booking.version), f"ledsagare_{booking.id}": "1,5",
            f"medfoljande_{booking.id}": "0", f"barn_{booking.id}": "sju",
            f"meddelande_{booking.id}": ""}  # fmt: skip
    answer = html.unescape(desk.post(f"/bokning/resor/{booking.id}/andra", data=sent).text)
    summary = answer.split('class="error-summary"')[1].split("</div>")[0]
    assert f'href="#ledsagare_{booking.id}"' in summary
    assert "Ange ett heltal från 0 till 2" in summary
    assert f'href="#barn_{booking.id}"' in summary, "every field's fault at once"
    assert 'value="1,5"' in _field(answer, f"ledsagare_{booking.id}")
    assert f'aria-describedby="ledsagare_{booking.id}-error' in answer
    session.refresh(booking)
    assert booking.companions == [{"kind": "escort", "age": None}], "nothing changed"
