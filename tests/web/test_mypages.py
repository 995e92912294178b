"""Mina resor over HTTP, on SQLite and PostgreSQL: a traveller logs in with a code from
the outbox, books a färdtjänst trip with the desk's use case, cancels it, reports a
deviation, and sees and touches nothing of anyone else's."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.models import LoginCode
from samfard.access.permissions import Role
from samfard.access.routes import api_routes
from samfard.access.service import create_user
from samfard.booking.models import Booking
from samfard.clock import FixedClock
from samfard.notify.models import OutboxMessage
from samfard.notify.senders import Outgoing
from samfard.quality.models import Deviation
from samfard.timeutil import STOCKHOLM

REFERENCE = re.compile(r"SF-[A-Z2-9]{8}")
BO = {**ANNA, "personal_number": "19450505-4504", "first_name": "Bo", "last_name": "Annansson",
      "phone": "070-9998877"}  # fmt: skip
NOT_YET = "Resan har inte gjorts än: du kan rapportera en avvikelse när den har hänt."


@pytest.fixture
def staff(app_client: TestClient, session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW, username="mp-operator")


@pytest.fixture
def anna(app_client: TestClient, session: Session, staff: str) -> int:
    """Anna: färdtjänst permit of Östersund, a traveller account, a phone."""
    traveller = register(app_client, staff, ANNA)
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    answer = app_client.post(
        f"/api/v1/travellers/{traveller}/permits", json=permit, headers=auth(staff)
    )
    assert answer.status_code == 201, answer.text
    create_user(session=session, username="anna-resenar", password=STRONG_PASSWORD,
                role=Role.TRAVELLER, now=NOW, traveller_id=traveller)  # fmt: skip
    return traveller


@dataclass
class Phone:
    """The traveller's phone: what the outbox sends arrives here (the outbox row itself
    forgets a code once it is sent)."""

    texts: list[str] = field(default_factory=list)

    def send(self, message: Outgoing) -> str:
        self.texts.append(message.text)
        return f"phone-{message.message_id}"


def _code_login(client: TestClient, session: Session, number: str) -> None:
    phone = Phone()
    client.app.state.notify_sender = phone  # type: ignore[attr-defined]
    client.get("/mina-resor/logga-in")
    token = client.cookies[LOGIN_CSRF_COOKIE]
    asked = client.post("/mina-resor/logga-in", data={"personnummer": number, "csrf_token": token})
    assert asked.status_code == 200 and "Skriv koden" in asked.text
    sms = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "login_code")).all()[-1]
    assert sms.status == "sent" and sms.recipient == ANNA["phone"]
    code = re.search(r"\d{6}", phone.texts[-1])
    assert code is not None
    token = client.cookies[LOGIN_CSRF_COOKIE]
    done = client.post(
        "/mina-resor/kod",
        data={"personnummer": number, "kod": code.group(), "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/mina-resor"


def _trip(client: TestClient, **fields: str) -> dict[str, str]:
    values = {
        "csrf_token": client.cookies[CSRF_COOKIE],
        "tjanst": "fardtjanst",
        "fran": "Hemma",
        "till": "Östersunds sjukhus",
        "datum": "2026-11-23",
        "tid": "10:30",
        "tid_avser": "hamtning",
    }
    return values | fields


def _booked(client: TestClient, session: Session, **fields: str) -> Booking:
    """A trip the logged-in traveller books on the page, as stored."""
    answer = client.post("/mina-resor/boka", data=_trip(client, **fields))
    found = REFERENCE.search(answer.text.split('id="kvitto"')[1])
    assert found, answer.text
    return session.scalars(select(Booking).where(Booking.reference == found.group())).one()


def _report_form(client: TestClient) -> dict[str, str]:
    return {"csrf_token": client.cookies[CSRF_COOKIE], "vad": "late", "allvar": "minor",
            "beskrivning": "Bilen kom 40 minuter sent."}  # fmt: skip


def test_a_code_from_the_outbox_logs_the_traveller_in_once(
    app_client: TestClient, session: Session, anna: int
) -> None:
    _code_login(app_client, session, ANNA["personal_number"])
    page = app_client.get("/mina-resor")
    assert page.status_code == 200 and "Mina resor" in page.text and "Hej Anna" in page.text
    assert '<a href="/bokning"' not in page.text  # the centre's workspace is not theirs
    codes = session.scalars(select(LoginCode)).all()
    assert len(codes) == 1 and codes[0].used


def test_a_wrong_code_and_an_unknown_person_get_the_same_quiet_answers(
    app_client: TestClient, session: Session, anna: int
) -> None:
    app_client.get("/mina-resor/logga-in")
    token = app_client.cookies[LOGIN_CSRF_COOKIE]
    unknown = app_client.post(
        "/mina-resor/logga-in", data={"personnummer": "19800101-0001", "csrf_token": token}
    )
    assert unknown.status_code == 200 and "Om du har ett konto" in unknown.text
    assert session.scalars(select(OutboxMessage)).all() == []
    wrong = app_client.post(
        "/mina-resor/kod",
        data={"personnummer": ANNA["personal_number"], "kod": "000000", "csrf_token": token},
        follow_redirects=False,
    )
    assert wrong.status_code == 200 and "Koden stämmer inte" in wrong.text


def test_a_persons_code_guesses_count_together_however_the_number_is_typed(
    app_client: TestClient, session: Session, anna: int
) -> None:
    """The limiter counted each spelling of one number apart: three spellings had three
    windows of guesses (the probe of 2026-12-06)."""
    app_client.get("/mina-resor/logga-in")
    token = app_client.cookies[LOGIN_CSRF_COOKIE]
    spellings = ("191212121212", "19121212-1212", "121212+1212")  # "+": aged 100 or more
    answers = [
        app_client.post(
            "/mina-resor/kod",
            data={"personnummer": spellings[i % 3], "kod": "000000", "csrf_token": token},
        ).status_code
        for i in range(11)
    ]
    assert answers[:10] == [200] * 10 and answers[10] == 429, answers


def test_a_password_login_of_a_traveller_lands_on_mina_resor(
    app_client: TestClient, anna: int
) -> None:
    answer = app_client.post(
        "/login", data=login_form("anna-resenar", app_client), follow_redirects=False
    )
    assert answer.headers["location"] == "/mina-resor"


def test_the_traveller_books_sees_the_trip_and_cancels_it(
    app_client: TestClient, session: Session, anna: int
) -> None:
    _code_login(app_client, session, ANNA["personal_number"])
    answer = app_client.post("/mina-resor/boka", data=_trip(app_client, retur="1"))
    assert answer.status_code == 200
    receipt = answer.text.split('id="kvitto"')[1]
    found = REFERENCE.search(receipt)
    assert found, answer.text
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    assert (booking.traveller_id, booking.service, booking.channel) == (
        anna,
        "fardtjanst",
        "self_service",
    )
    assert len(booking.legs) == 2 and booking.created_by == "anna-resenar"
    # The receipt says the way home too, not only the first leg: its time as stored.
    home_leg = next(leg for leg in booking.legs if leg.direction == "return")
    assert home_leg.requested_pickup_at is not None
    back = receipt.split("</div>")[0].split("data-return>")[1]
    assert back.startswith("Hemresan:"), back
    assert f"{home_leg.requested_pickup_at.astimezone(STOCKHOLM):%H:%M}" in back, back
    listed = app_client.get("/mina-resor").text.split('id="kommande"')[1]
    assert booking.reference in listed.split('id="boka"')[0]
    confirm = app_client.get(f"/mina-resor/resor/{booking.id}/avboka")
    assert "Vill du avboka resan?" in confirm.text
    cancelled = app_client.post(
        f"/mina-resor/resor/{booking.id}/avboka",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "version": str(booking.version)},
    )
    assert cancelled.status_code == 200
    assert f"Resan {booking.reference} är avbokad" in cancelled.text
    session.refresh(booking)
    assert booking.status == "cancelled"
    # Asked again: the page says it is done, and a second cancellation is an alert, in
    # the traveller's words (it was the green of success, with the desk's "kortet").
    again = app_client.get(f"/mina-resor/resor/{booking.id}/avboka").text
    assert "Resan kan inte avbokas" in again and "Resan är redan avbokad." in again
    assert "Ja, avboka resan" not in again
    twice = app_client.post(
        f"/mina-resor/resor/{booking.id}/avboka",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "version": str(booking.version)},
    ).text
    alert = twice.split('id="besked"')[0].rsplit("<p", 1)[1]
    assert 'class="error" role="alert"' in alert
    assert "Resan kan inte avbokas" in twice.split('id="besked"')[1]


def test_a_cancellation_whose_version_cannot_be_read_is_stale(
    app_client: TestClient, session: Session, anna: int
) -> None:
    """ "abc" skipped the version check and cancelled (walk-through of the seventh session
    of 2026-12-06); a trip cancelled meanwhile says so, not "changed, do it again"."""
    _code_login(app_client, session, ANNA["personal_number"])
    booking = _booked(app_client, session)
    for version in ("abc", ""):
        answer = app_client.post(
            f"/mina-resor/resor/{booking.id}/avboka",
            data={"csrf_token": app_client.cookies[CSRF_COOKIE], "version": version},
        )
        assert "ladda om sidan och försök igen" in answer.text
        assert "kortet" not in answer.text
    session.refresh(booking)
    assert booking.status != "cancelled"


def test_booking_the_same_trip_twice_names_the_first_on_the_receipt(
    app_client: TestClient, session: Session, anna: int
) -> None:
    _code_login(app_client, session, ANNA["personal_number"])
    first = REFERENCE.search(
        app_client.post("/mina-resor/boka", data=_trip(app_client)).text.split('id="kvitto"')[1]
    )
    assert first
    again = app_client.post("/mina-resor/boka", data=_trip(app_client)).text
    receipt = again.split('id="kvitto"')[1].split("</div>")[0]
    assert "Du har redan en resa samtidigt" in receipt and first.group() in receipt


def test_a_reload_of_the_receipt_books_nothing_more(
    app_client: TestClient, session: Session, anna: int
) -> None:
    """The browser sends the form again on a reload; its one-time key books it once."""
    _code_login(app_client, session, ANNA["personal_number"])
    page = app_client.get("/mina-resor").text
    key = re.search(r'name="engangsnyckel" value="([^"]+)"', page)
    assert key, "the form carries a one-time key"
    form = _trip(app_client, engangsnyckel=key.group(1))
    first = app_client.post("/mina-resor/boka", data=form)
    reloaded = app_client.post("/mina-resor/boka", data=form)
    references = [
        REFERENCE.search(answer.text.split('id="kvitto"')[1]) for answer in (first, reloaded)
    ]
    assert references[0] and references[1] and references[0].group() == references[1].group()
    assert len(session.scalars(select(Booking).where(Booking.traveller_id == anna)).all()) == 1
    fresh = re.search(r'name="engangsnyckel" value="([^"]+)"', reloaded.text)
    assert fresh and fresh.group(1) != key.group(1), "the next trip gets a key of its own"


def test_what_the_form_or_the_rules_refuse_is_said_in_plain_swedish(
    app_client: TestClient, session: Session, anna: int
) -> None:
    _code_login(app_client, session, ANNA["personal_number"])
    no_service = app_client.post("/mina-resor/boka", data=_trip(app_client, tjanst="sjukresa"))
    assert "Välj färdtjänst eller riksfärdtjänst" in no_service.text
    past = app_client.post(
        "/mina-resor/boka", data=_trip(app_client, datum="2026-11-19", tid="09:00")
    )
    assert 'href="#tid"' in past.text and "Tiden har redan passerat" in past.text
    nowhere = app_client.post("/mina-resor/boka", data=_trip(app_client, till="Xyzzyvägen"))
    assert 'href="#till"' in nowhere.text
    empty = app_client.post("/mina-resor/boka", data=_trip(app_client, till="", tid=""))
    assert 'href="#till"' in empty.text and 'href="#tid"' in empty.text, "every missing field"
    # The desk's words send the operator to its list of suggestions; this form has none.
    for answer in (nowhere, empty, no_service):
        said = answer.text.split('class="error-summary"')[1].split("</div>")[0]
        assert "listan" not in said, said
    assert "Skriv platsens namn, eller gatuadress och ort" in nowhere.text
    # A day that does not exist is said once, at Datum: Tid, 10:00, is not wrong.
    no_day = app_client.post("/mina-resor/boka", data=_trip(app_client, datum="2026-02-31"))
    said = no_day.text.split('class="error-summary"')[1].split("</div>")[0]
    assert '<a href="#datum">Datumet finns inte; kontrollera dag och månad</a>' in said
    assert 'href="#tid"' not in said
    assert session.scalars(select(Booking)).all() == []


def test_a_deviation_is_reported_about_an_own_trip_only(
    app_client: TestClient, session: Session, anna: int, staff: str, clock: FixedClock
) -> None:
    bo = register(app_client, staff, BO)
    _code_login(app_client, session, ANNA["personal_number"])
    booking = _booked(app_client, session, datum="2026-11-20", tid="11:30")
    clock.current = NOW + timedelta(hours=2)  # the trip has been made
    form = {"csrf_token": app_client.cookies[CSRF_COOKIE], "vad": "late", "allvar": "minor",
            "beskrivning": "Bilen kom 40 minuter sent."}  # fmt: skip
    answer = app_client.post(f"/mina-resor/resor/{booking.id}/avvikelse", data=form)
    assert answer.status_code == 200 and "Tack, vi har tagit emot det" in answer.text
    deviation = session.scalars(select(Deviation)).one()
    assert (deviation.kind, deviation.reporter_role, deviation.traveller_id) == (
        "late",
        "traveller",
        anna,
    )
    assert deviation.reference in app_client.get("/mina-resor").text
    empty = app_client.post(f"/mina-resor/resor/{booking.id}/avvikelse", data=form | {"vad": ""})
    assert 'href="#vad-late"' in empty.text
    book_for_bo = {
        "traveller_id": bo, "principal": "23", "service": "sjukresa",
        "legs": [{"origin": {"home": True}, "destination": {"address": "Storgatan 9, Östersund",
                  "lat": 63.18, "lon": 14.64}, "pickup_at": "2026-11-23T08:00:00+01:00"}],
    }  # fmt: skip
    other = app_client.post("/api/v1/bookings", json=book_for_bo, headers=auth(staff))
    assert other.status_code == 201, other.text
    other_id = other.json()["id"]
    for path in (f"/mina-resor/resor/{other_id}/avvikelse", f"/mina-resor/resor/{other_id}/avboka"):
        refused = app_client.get(path)
        assert refused.status_code in (403, 404)
        assert "Annansson" not in refused.text
    assert "Annansson" not in app_client.get("/mina-resor").text


def test_staff_are_sent_away_from_mina_resor(app_client: TestClient, session: Session) -> None:
    create_user(session=session, username="mp-desk", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    app_client.post("/login", data=login_form("mp-desk", app_client))
    answer = app_client.get("/mina-resor")
    assert answer.status_code == 403 and "resenärernas egna sidor" in answer.text


def test_a_reload_or_back_after_a_report_files_nothing_more(
    app_client: TestClient, session: Session, anna: int, clock: FixedClock
) -> None:
    """The report redirects to its receipt (post/redirect/get): reading the receipt again,
    as a reload or Back does, is a GET and files no second deviation."""
    _code_login(app_client, session, ANNA["personal_number"])
    booking = _booked(app_client, session, datum="2026-11-20", tid="11:30")
    clock.current = NOW + timedelta(hours=2)  # the pickup time has come
    path = f"/mina-resor/resor/{booking.id}/avvikelse"
    sent = app_client.post(path, data=_report_form(app_client), follow_redirects=False)
    assert sent.status_code == 303, sent.text
    deviation = session.scalars(select(Deviation)).one()
    assert sent.headers["location"] == f"{path}?skickad={deviation.reference}"
    for _ in range(2):  # the receipt, then a reload of it
        receipt = app_client.get(sent.headers["location"])
        assert "Tack, vi har tagit emot det" in receipt.text
        assert f"data-deviation>{deviation.reference}<" in receipt.text
    assert len(session.scalars(select(Deviation)).all()) == 1
    # The form sent again with the same words (a resubmit after Back): the same receipt.
    again = app_client.post(path, data=_report_form(app_client), follow_redirects=False)
    assert again.headers["location"] == sent.headers["location"], again.text
    assert len(session.scalars(select(Deviation)).all()) == 1
    cancelled = app_client.post(
        f"/mina-resor/resor/{booking.id}/avboka",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "version": str(booking.version)},
        follow_redirects=False,
    )
    assert cancelled.status_code == 303, "cancelling redirects too: a reload cancels nothing"


def test_a_receipt_of_another_reference_shows_only_the_form(
    app_client: TestClient, session: Session, anna: int, clock: FixedClock
) -> None:
    _code_login(app_client, session, ANNA["personal_number"])
    booking = _booked(app_client, session, datum="2026-11-20", tid="11:30")
    clock.current = NOW + timedelta(hours=2)
    page = app_client.get(f"/mina-resor/resor/{booking.id}/avvikelse?skickad=AV-ZZZZZZ")
    assert page.status_code == 200 and "Tack" not in page.text
    assert f'action="/mina-resor/resor/{booking.id}/avvikelse"' in page.text


def test_a_trip_still_to_come_cannot_be_reported_about(
    app_client: TestClient, session: Session, anna: int, clock: FixedClock
) -> None:
    """A deviation is about what happened: the link is not offered before the pickup time,
    the page says why instead of showing the form, and a report sent anyway is refused."""
    _code_login(app_client, session, ANNA["personal_number"])
    later = _booked(app_client, session, datum="2026-11-23", tid="10:30")
    path = f"/mina-resor/resor/{later.id}/avvikelse"
    assert f'href="{path}"' not in app_client.get("/mina-resor").text
    page = app_client.get(path)
    assert page.status_code == 200 and NOT_YET in page.text
    assert f'action="{path}"' not in page.text, "no form to fill in for nothing"
    refused = app_client.post(path, data=_report_form(app_client), follow_redirects=False)
    assert refused.status_code == 200 and NOT_YET in refused.text
    assert session.scalars(select(Deviation)).all() == []
    today = _booked(app_client, session, datum="2026-11-20", tid="11:30")
    clock.current = NOW + timedelta(hours=2)  # today's pickup has come, the other's not
    home = app_client.get("/mina-resor").text
    assert f'href="/mina-resor/resor/{today.id}/avvikelse"' in home
    assert f'href="{path}"' not in home


def test_what_was_just_done_takes_the_focus(
    app_client: TestClient, session: Session, anna: int, clock: FixedClock
) -> None:
    """The receipt of a booking, the word that a trip is cancelled and the receipt of a
    report each carry autofocus, so the browser puts the focus there (and a screen reader
    reads it) instead of on <body>."""
    _code_login(app_client, session, ANNA["personal_number"])
    booked = app_client.post("/mina-resor/boka", data=_trip(app_client, datum="2026-11-20",
                                                          tid="11:30"))  # fmt: skip
    assert re.search(r'<div [^>]*tabindex="-1" autofocus id="kvitto"', booked.text)
    booking = session.scalars(select(Booking).where(Booking.traveller_id == anna)).one()
    cancelled = app_client.post(
        f"/mina-resor/resor/{booking.id}/avboka",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "version": str(booking.version)},
    )
    assert re.search(r'<p [^>]*tabindex="-1" autofocus[^>]*>Resan SF-', cancelled.text)
    other = _booked(app_client, session, datum="2026-11-20", tid="11:40")
    clock.current = NOW + timedelta(hours=2)
    receipt = app_client.post(
        f"/mina-resor/resor/{other.id}/avvikelse", data=_report_form(app_client)
    )
    assert re.search(r'<div [^>]*tabindex="-1" autofocus id="kvitto"', receipt.text)
    assert receipt.text.count("autofocus") == 1


def test_a_travellers_login_opens_mina_resor_and_no_staff_page(
    app_client: TestClient, session: Session, anna: int
) -> None:
    """A traveller holds some of the staff's permissions (to read and book their own trips),
    so /bokning, /bedomning and /kvalitet answered 200, each showing only their own. Every
    page but Mina resor is now refused, and / leads to Mina resor."""
    login = {"username": "anna-resenar", "password": STRONG_PASSWORD}
    assert app_client.post("/api/v1/auth/session", json=login).status_code == 200
    start = app_client.get("/", follow_redirects=False)
    assert (start.status_code, start.headers["location"]) == (303, "/mina-resor")
    assert app_client.get("/mina-resor").status_code == 200
    pages = sorted(
        route.path
        for route in api_routes(app_client.app)  # type: ignore[arg-type]
        if "GET" in route.methods
        and route.permission is not None  # not the login pages
        and "{" not in route.path
        and not route.path.startswith(("/api/", "/mina-resor"))
        and route.path != "/"
    )
    assert "/bokning" in pages and "/kvalitet" in pages
    for path in pages:
        answer = app_client.get(path, follow_redirects=False)
        assert answer.status_code == 403, path
        assert "Mina resor" in answer.text, path


def _ask_for_code(client: TestClient, number: str) -> str:
    client.get("/mina-resor/logga-in")
    token = client.cookies[LOGIN_CSRF_COOKIE]
    answer = client.post("/mina-resor/logga-in", data={"personnummer": number, "csrf_token": token})
    assert answer.status_code == 200
    return answer.text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("123", "Skriv personnumret med 10 eller 12 siffror"),
        ("19121212-1213", "Personnumret har fel kontrollsiffra"),
        ("19121312-1212", "Personnumret har inget giltigt födelsedatum"),
        ("", "Skriv ditt personnummer"),
        # 500 digits lost the form on a bare 422 page (walk-through, 2026-12-06).
        ("1" * 500, "Personnumret är för långt: skriv 12 siffror"),
    ],
)
def test_a_personnummer_that_cannot_be_anyones_is_said_at_the_field(
    app_client: TestClient, session: Session, anna: int, typed: str, said: str
) -> None:
    """ "123" went on to "Skriv koden från SMS:et", and the traveller waited for a code that
    never came: a number of the wrong form, date or check digit is now said at the field,
    in an error summary that takes the focus, the typed text kept."""
    page = _ask_for_code(app_client, typed)
    assert "Skriv koden" not in page and "Om du har ett konto" not in page
    assert re.search(r'class="error-summary"[^>]*autofocus', page), "the summary takes focus"
    assert f'<a href="#personnummer">{said}' in page
    assert 'id="personnummer-error"' in page and 'aria-invalid="true"' in page
    assert f'value="{typed[:20]}"' in page
    assert session.scalars(select(OutboxMessage)).all() == []


def test_a_well_formed_number_gets_the_same_answer_with_an_account_or_without(
    app_client: TestClient, session: Session, anna: int
) -> None:
    """The check tells no one who has an account: any well-formed number, Anna's or one
    nobody has, goes on to the same page (10 digits as well as 12)."""
    pages = [
        _ask_for_code(app_client, number)
        for number in (ANNA["personal_number"], "19800101-0001", "800101-0001")
    ]
    shown = [
        re.sub(r'value="[^"]*"', "", page.split("<main")[1].split("</main>")[0]) for page in pages
    ]
    assert "Skriv koden från SMS:et" in shown[0]
    assert shown[0] == shown[1] == shown[2]


def test_a_trip_the_rules_would_deny_is_told_before_anything_is_stored(
    app_client: TestClient, session: Session, anna: int
) -> None:
    """Färdtjänst of Östersund to Sundsvall is outside the permit's area: it was stored as
    a formal denial (Avslagen) with no word first. The page now runs the desk's preview
    (a dry run), says why at the field to change, in "du" form, keeps what was typed and
    stores nothing; the trip changed to one inside the area is then booked."""
    _code_login(app_client, session, ANNA["personal_number"])
    answer = app_client.post("/mina-resor/boka", data=_trip(app_client, till="Sundsvall"))
    assert answer.status_code == 200
    assert 'id="kvitto"' not in answer.text, "no receipt: nothing was booked"
    assert re.search(r'class="error-summary"[^>]*autofocus', answer.text)
    assert '<a href="#till">Resan går utanför ditt färdtjänstområde' in answer.text
    assert 'id="till-error"' in answer.text and 'value="Sundsvall"' in answer.text
    assert "Resan är inte bokad" in answer.text
    assert session.scalars(select(Booking)).all() == []
    booked = _booked(app_client, session, till="Östersunds sjukhus")
    assert booked.status != "denied"


def test_a_trip_for_an_assessor_is_still_booked(
    app_client: TestClient, session: Session, anna: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A trip the rules send to an assessor (here: booked later than a rulebook asks) is
    booked as before and waits for them: only a denial is stopped before booking."""
    from samfard.rules import fardtjanst

    night = fardtjanst._night

    def late(d: Any, version: Any, trip: Any) -> None:
        night(d, version, trip)
        d.escalate("booking.late", "booked late", key="booking", source="test rulebook")

    monkeypatch.setattr(fardtjanst, "_night", late)
    _code_login(app_client, session, ANNA["personal_number"])
    booked = _booked(app_client, session)
    assert booked.status == "requested", booked.status


def test_an_ended_trip_is_told_in_the_past_and_a_cancelled_one_has_nothing_to_report(
    app_client: TestClient, session: Session, anna: int, clock: FixedClock
) -> None:
    """Under Tidigare resor a cancelled trip read "Exakt tid kommer när resan planeras"
    and offered "Rapportera avvikelse" (walk-through of 2026-12-06)."""
    _code_login(app_client, session, ANNA["personal_number"])
    trip = _booked(app_client, session, datum="2026-11-20", tid="11:30")
    cancelled = app_client.post(
        f"/mina-resor/resor/{trip.id}/avboka",
        data={"csrf_token": app_client.cookies[CSRF_COOKIE], "version": str(trip.version)},
    )
    assert cancelled.status_code == 200
    clock.current = NOW + timedelta(hours=2)  # its time has come and gone
    home = app_client.get("/mina-resor").text
    earlier = home.split(trip.reference)[0].rsplit('<li class="card trip">', 1)[1]
    assert "Hämtning var bokad runt 11:30." in earlier
    assert "kommer när resan planeras" not in earlier and "Bilen kommer" not in earlier
    assert f"/mina-resor/resor/{trip.id}/avvikelse" not in home
