"""The goods desk /gods says what a user expects, found by a browser walk-through of a
working day (2026-12): the principal's name in the list (it showed "23"), one money format
in the message and the list (it said "pris 95 kr" above "95,00 kr"), a kolli of "-3" said
in Swedish at the field (the browser's own bubble stood in, English in an English
browser), and an over-long value said at its field with the limit, never a bare 422."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from goods_fixtures import MONDAY
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_goods_pages import desk, form

from samfard.goods.models import Consignment

__all__ = ["desk"]  # the fixture, imported for pytest


def test_the_list_names_the_principal_and_the_message_says_the_price_as_the_list(
    app_client: TestClient, session: Session, desk: str
) -> None:
    booked = app_client.post("/gods", data=form(session, desk), follow_redirects=False)
    assert booked.status_code == 303, booked.text
    page = app_client.get(booked.headers["location"]).text
    row = re.search(r"<tr>\s*<td data-label=\"Referens\">.*?</tr>", page, re.S)
    assert row is not None, page[:3000]
    assert '<td data-label="Huvudman">Region Jämtland Härjedalen</td>' in row[0]
    assert '<td class="num" data-label="Pris">95,00 kr</td>' in row[0]
    assert "bokad, pris 95,00 kr" in page


def test_the_form_is_read_by_the_page_not_the_browser(
    app_client: TestClient, session: Session, desk: str
) -> None:
    page = app_client.get("/gods", params={"datum": MONDAY.isoformat()}).text
    tag = re.search(r'<form method="post" action="/gods" [^>]*>', page)
    assert tag is not None and "novalidate" in tag[0]
    kolli = re.search(r'<input id="kolli"[^>]*>', page)
    assert kolli is not None and 'type="text"' in kolli[0] and 'maxlength="3"' in kolli[0]
    assert 'inputmode="numeric"' in kolli[0] and "min=" not in kolli[0]
    described = re.search(r'<input id="beskrivning"[^>]*>', page)
    assert described is not None and 'maxlength="120"' in described[0]
    for typed in ("-3", "1,5", "41", "99999999999999999999"):
        answer = app_client.post("/gods", data=form(session, desk, kolli=typed))
        assert answer.status_code == 200, typed
        assert "Ange antal kolli som ett heltal, 1 till 40" in answer.text, typed
        assert f'value="{typed}"' in answer.text, "the typed value comes back"
    assert session.scalar(select(Consignment)) is None


def test_an_over_long_value_is_said_at_its_field_with_the_limit(
    app_client: TestClient, session: Session, desk: str
) -> None:
    long = app_client.post("/gods", data=form(session, desk, beskrivning="x" * 500))
    assert long.status_code == 200
    assert 'href="#beskrivning"' in long.text
    assert "Beskrivningen får vara högst 120 tecken" in long.text
    day = app_client.get("/gods", params={"datum": "2" * 300})
    assert day.status_code == 200, "the day's page, not a 422"
    assert 'href="#datum"' in day.text and "högst 40 tecken" in day.text


def test_goods_without_a_description_or_beyond_a_year_are_said_at_their_fields(
    app_client: TestClient, session: Session, desk: str
) -> None:
    """The driver loads what the description says; an empty one was stored, and goods
    were taken for 2030 (walk-through of the seventh session of 2026-12-06)."""
    empty = app_client.post("/gods", data=form(session, desk, beskrivning=" "))
    assert '<a href="#beskrivning">Skriv vad föraren ska lasta' in empty.text
    far = app_client.post("/gods", data=form(session, desk, dag="2030-12-02"))
    assert '<a href="#dag">Gods bokas högst 365 dagar i förväg; välj en närmare dag</a>' in (
        far.text
    )
    assert session.scalar(select(Consignment)) is None
