"""The goods desk /gods over HTTP (no browser): the day's goods, booking through the form
at the contract price, refusals in Swedish tied to their fields, cancelling, and a
protected recipient masked on the page."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from goods_fixtures import MONDAY, store_demo_prices
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.geo.models import Place
from samfard.goods.models import Consignment


@pytest.fixture
def desk(app_client: TestClient, session: Session) -> str:
    """A desk of Region Jämtland Härjedalen logged in on the page; returns the CSRF token."""
    store_demo_prices(session)
    create_user(
        session=session,
        username="godsdesk",
        password=STRONG_PASSWORD,
        role=Role.OPERATOR,
        now=NOW,
        principal_codes=["23"],
    )
    app_client.cookies.clear()
    response = app_client.post(
        "/login", data=login_form("godsdesk", app_client), follow_redirects=False
    )
    assert response.status_code == 303
    return str(app_client.cookies[CSRF_COOKIE])


def place(session: Session, name: str) -> int:
    found = session.scalar(select(Place.id).where(Place.name == name))
    assert found is not None
    return int(found)


def form(session: Session, csrf: str, **changes: str) -> dict[str, str]:
    fields = {
        "csrf_token": csrf,
        "huvudman": "23",
        "slag": "parcel",
        "kolli": "2",
        "beskrivning": "Provrör",
        "mottagare": "",
        "fran": str(place(session, "Östersunds sjukhus")),
        "till": str(place(session, "Strömsund")),
        "dag": MONDAY.isoformat(),
        "hamtas-fran": "08:00",
        "hamtas-till": "10:00",
        "lamnas-fran": "09:00",
        "lamnas-till": "12:00",
    }
    return fields | changes


def test_the_desk_books_goods_and_sees_them_on_the_day(
    app_client: TestClient, session: Session, desk: str
) -> None:
    page = app_client.get("/gods", params={"datum": MONDAY.isoformat()})
    assert page.status_code == 200
    assert "<h1>Gods</h1>" in page.text and "Inga sändningar den dagen." in page.text
    assert 'for="huvudman"' in page.text and 'for="lamnas-till"' in page.text  # labels
    assert "Sundsvalls kommun" not in page.text  # only the desk's own principals to choose
    booked = app_client.post("/gods", data=form(session, desk), follow_redirects=False)
    assert booked.status_code == 303, booked.text
    page = app_client.get(booked.headers["location"])
    row = session.scalar(select(Consignment))
    assert row is not None and row.price_ore == 6500 + 2 * 1500
    assert row.reference in page.text and "95,00 kr" in page.text  # Swedish money
    assert "Bussgods: Provrör" in page.text and "Bokad" in page.text
    assert "bokad, pris 95,00 kr" in page.text  # as the list says it (sv_kr)


def test_refusals_come_back_in_swedish_next_to_their_fields(
    app_client: TestClient, session: Session, desk: str
) -> None:
    cases = {
        "kolli": ({"kolli": "0"}, "Ange antal kolli"),
        "hamtas-till": ({"hamtas-till": "07:00"}, "Hämtningens sista tid"),
        "lamnas-till": ({"lamnas-till": "25:00"}, "Ange klockslag"),
        "slag": ({"huvudman": "23", "slag": "piano"}, "Välj bussgods eller hjälpmedel"),
        "huvudman": ({"huvudman": "2281"}, "Välj en huvudman"),
        "mottagare": ({"till": "hem"}, "Mottagarens hem kräver en mottagare"),
    }
    for field_id, (changes, message) in cases.items():
        page = app_client.post("/gods", data=form(session, desk, **changes))
        assert page.status_code == 200, field_id
        assert f'href="#{field_id}"' in page.text, field_id  # the summary leads to the field
        assert message in page.text, (field_id, page.text[:2000])
        assert 'aria-invalid="true"' in page.text
    assert session.scalar(select(Consignment)) is None


def test_cancelling_on_the_page(app_client: TestClient, session: Session, desk: str) -> None:
    app_client.post("/gods", data=form(session, desk))
    row = session.scalar(select(Consignment))
    assert row is not None
    done = app_client.post(
        f"/gods/{row.id}/avboka",
        data={"csrf_token": desk, "datum": MONDAY.isoformat()},
        follow_redirects=False,
    )
    assert done.status_code == 303
    session.refresh(row)
    assert row.status == "cancelled"
    page = app_client.get(done.headers["location"])
    assert "Avbokad" in page.text and "avbokad" in page.text
    again = app_client.post(
        f"/gods/{row.id}/avboka", data={"csrf_token": desk, "datum": MONDAY.isoformat()}
    )
    assert "kan inte avbokas" in again.text


def test_a_protected_recipient_is_masked_on_the_page(
    app_client: TestClient, session: Session, desk: str
) -> None:
    operator = token_for(session, Role.OPERATOR, now=NOW, username="reg", principals=["23"])
    hidden = register(
        app_client,
        operator,
        {
            **ANNA,
            "personal_number": "19800101-0001",
            "first_name": "Hemlig",
            "last_name": "Gömdsson",
            "protected_identity": True,
            "address": {**ANNA["address"], "street": "Dolda gränd 7"},  # type: ignore[dict-item]
        },
    )
    booked = app_client.post(
        "/gods",
        data=form(
            session, desk, slag="aid", till="hem", kolli="1", **{"mottagare-id": str(hidden)}
        ),
        follow_redirects=False,
    )
    assert booked.status_code == 303, booked.text
    page = app_client.get(booked.headers["location"])
    assert "Skyddad identitet" in page.text and "Skyddad adress" in page.text
    assert "Hemlig" not in page.text and "Dolda" not in page.text
    # Nor is the protected name matched by the recipient's search (it would confirm it).
    options = app_client.get("/gods/mottagare", params={"mottagare": "Hemlig Gömdsson"})
    assert options.status_code == 200 and 'role="option"' not in options.text
    typed = app_client.post("/gods", data=form(session, desk, slag="aid", till="hem",
                                               kolli="1", mottagare="Hemlig Gömdsson"))  # fmt: skip
    assert "Ingen resenär i registret matchar ”Hemlig Gömdsson”" in html.unescape(typed.text)


def test_drivers_have_no_goods_desk(app_client: TestClient, session: Session) -> None:
    create_user(
        session=session, username="forare", password=STRONG_PASSWORD, role=Role.DRIVER, now=NOW
    )
    app_client.cookies.clear()
    app_client.post("/login", data=login_form("forare", app_client), follow_redirects=False)
    assert app_client.get("/gods").status_code == 403


def test_a_day_is_read_as_the_booking_desk_reads_it(
    app_client: TestClient, session: Session, desk: str
) -> None:
    """ "23/11" got the bare 422 page on /gods and "Ange dag som ÅÅÅÅ-MM-DD" in the form;
    the booking desk takes it. The clock is Friday 2026-11-20 (helpers.NOW)."""
    shown = app_client.get("/gods", params={"datum": "23/11"})
    assert shown.status_code == 200 and "Sändningar måndag 23 november 2026" in shown.text
    wrong = app_client.get("/gods", params={"datum": "i morgon"})
    assert wrong.status_code == 200 and "Uppgifterna behöver rättas" not in wrong.text
    assert '<a href="#datum">Skriv datumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12</a>' in (
        wrong.text
    )
    assert 'value="i morgon"' in wrong.text and 'id="datum-error"' in wrong.text
    booked = app_client.post("/gods", data=form(session, desk, dag="23/11"), follow_redirects=False)
    assert booked.status_code == 303, booked.text[:2000]
    row = session.scalar(select(Consignment))
    assert row is not None and row.service_date == MONDAY
    refused = app_client.post("/gods", data=form(session, desk, dag="31/2"))
    assert '<a href="#dag">Datumet finns inte; kontrollera dag och månad</a>' in refused.text


def test_each_empty_place_names_its_field(
    app_client: TestClient, session: Session, desk: str
) -> None:
    """An empty form listed "Välj en plats" twice in the summary, for both ends."""
    page = app_client.post("/gods", data=form(session, desk, fran="", till=""))
    assert '<a href="#fran">Välj var godset hämtas (Hämtas vid)</a>' in page.text
    assert '<a href="#till">Välj vart godset ska (Lämnas vid)</a>' in page.text
    assert "Välj en plats" not in page.text
    summary = re.findall(r'<li><a href="#([a-z-]+)">', page.text)
    assert summary == ["fran", "till"]  # in the order of the form


def test_avboka_asks_first_and_what_was_done_takes_focus(
    app_client: TestClient, session: Session, desk: str
) -> None:
    """Avboka cancelled at one Enter, where the trip desk asks first (hx-confirm)."""
    booked = app_client.post("/gods", data=form(session, desk), follow_redirects=False)
    page = app_client.get(booked.headers["location"])
    row = session.scalar(select(Consignment))
    assert row is not None
    cancel = re.search(rf'<form method="post" action="/gods/{row.id}/avboka"[^>]*>', page.text)
    assert cancel is not None
    assert f'hx-post="/gods/{row.id}/avboka"' in cancel.group(0)
    assert f'hx-confirm="Avboka godset {row.reference}? Det går inte att ångra."' in (
        cancel.group(0)
    )
    done = re.search(r'<p class="notice" role="status"[^>]*>', page.text)
    assert done is not None and 'tabindex="-1"' in done.group(0)
    assert "autofocus" in done.group(0)


def test_the_recipient_is_found_as_the_booking_desk_finds_a_traveller(
    app_client: TestClient, session: Session, desk: str
) -> None:
    """Mottagare is a search of the desk's register (name in any order, personnummer or
    phone), not a register id to know: the list offers each match by name, with its id
    for the form; each one listed is an audited read; a traveller of another principal's
    register is not offered. Without script, a name typed that finds one traveller is
    that recipient, and none or several is said at the field."""
    ours = token_for(session, Role.OPERATOR, now=NOW, username="reg23", principals=["23"])
    anna = register(app_client, ours)
    theirs = token_for(session, Role.OPERATOR, now=NOW, username="reg22", principals=["22"])
    other = register(app_client, theirs, {**ANNA, "personal_number": "19400404-4444",
                                          "first_name": "Annika"})  # fmt: skip
    page = app_client.get("/gods", params={"datum": MONDAY.isoformat()}).text
    assert '<label for="mottagare">Mottagare</label>' in page
    assert 'role="combobox"' in page and 'hx-get="/gods/mottagare"' in page
    assert 'name="mottagare-id"' in page and "/static/combobox.js" in page

    options = app_client.get("/gods/mottagare", params={"mottagare": "Testsson Ann"}).text
    assert f'data-value="{anna}"' in options and 'data-label="Anna Testsson"' in options
    assert f'data-value="{other}"' not in options, "outside the desk's register"
    assert (
        f'data-value="{anna}"'
        in app_client.get("/gods/mottagare", params={"mottagare": "070-123 45 67"}).text
    )
    searched = select(AuditEntry.traveller_id).where(
        AuditEntry.username == "godsdesk", AuditEntry.purpose == "traveller search"
    )
    assert set(session.scalars(searched)) == {anna}

    aid = {"slag": "aid", "till": "hem", "kolli": "1", "beskrivning": "Rollator"}
    picked = app_client.post("/gods", data=form(session, desk, **aid, mottagare="Anna Testsson",
                                                **{"mottagare-id": str(anna)}),
                             follow_redirects=False)  # fmt: skip
    assert picked.status_code == 303, picked.text
    typed = app_client.post("/gods", data=form(session, desk, **aid, mottagare="anna test"),
                            follow_redirects=False)  # fmt: skip
    assert typed.status_code == 303, typed.text
    rows = session.scalars(select(Consignment).order_by(Consignment.id)).all()
    assert [r.recipient_traveller_id for r in rows] == [anna, anna]

    register(app_client, ours, {**ANNA, "personal_number": "19500505-5552"})

    def sent(typed: str) -> str:
        page = app_client.post("/gods", data=form(session, desk, **aid, mottagare=typed))
        return html.unescape(page.text)

    twice = sent("Anna Testsson")
    assert '<a href="#mottagare">Flera resenärer matchar ”Anna Testsson”' in twice
    assert 'value="Anna Testsson"' in twice, "the form as typed"
    assert "Ingen resenär i registret matchar ”Ingen Alls”" in sent("Ingen Alls")
