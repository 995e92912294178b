"""The booking desk's pages over HTTP, on SQLite and PostgreSQL: a booking from the form
is the API's booking, the preview stores nothing, errors link to their fields, protected
identities stay masked, travellers are found by phone."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, login_form, register, token_for
from samfard.access.actor import SYSTEM, Actor
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.access.service import actor_for_user, create_user
from samfard.assessment.service import decide
from samfard.assessment.words_sv import UNASSESSABLE_SV
from samfard.booking.clashes import clashes
from samfard.booking.lifecycle import BookingStatus
from samfard.booking.models import Booking
from samfard.booking.pages import changed_notice
from samfard.booking.transitions import transition
from samfard.rules import engine
from samfard.timeutil import STOCKHOLM

MONDAY = date(2026, 11, 23)
REFERENCE = re.compile(r"SF-[A-Z2-9]{8}")


@pytest.fixture
def desk(app_client: TestClient, session: Session) -> TestClient:
    """The client logged in to the pages as an operator (session and CSRF cookies)."""
    create_user(session=session, username="desk-operator", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    answer = app_client.post(
        "/login",
        data=login_form("desk-operator", app_client),
        follow_redirects=False,
    )
    assert answer.status_code == 303
    return app_client


@pytest.fixture
def anna(app_client: TestClient, session: Session) -> int:
    return register(app_client, token_for(session, Role.OPERATOR, now=NOW, username="api-op"))


def form(traveller_id: int, client: TestClient, **fields: str) -> dict[str, str]:
    values = {
        "csrf_token": client.cookies[CSRF_COOKIE],
        "resenar_id": str(traveller_id),
        "tjanst": "sjukresa",
        "syfte": "treatment",
        "fran": "Hemma: Storgatan 1, Östersund",
        "fran_val": "home",
        "till": "Östersunds sjukhus",
        "till_val": "",
        "datum": MONDAY.isoformat(),
        "besok": "09:30",
        "retur": "1",
        "retur_tid": "12:00",
        "rullstol": "1",
        "ledsagare": "1",
    }
    values.update(fields)
    return values


def count(session: Session) -> int:
    return session.scalar(select(func.count(Booking.id))) or 0


def test_a_booking_made_at_the_desk_is_the_apis_booking(
    desk: TestClient, anna: int, session: Session
) -> None:
    answer = desk.post("/bokning", data=form(anna, desk))
    assert answer.status_code == 200
    found = REFERENCE.search(answer.text.split('id="kvitto"')[1])
    assert found, "the receipt shows the reference to read back"
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    assert (booking.traveller_id, booking.service, booking.principal_code) == (
        anna,
        "sjukresa",
        "23",
    )
    assert booking.channel == "phone" and booking.needs == ["wheelchair"]
    assert booking.companions == [{"kind": "escort", "age": None}]
    out, back = sorted(booking.legs, key=lambda leg: leg.seq)
    assert out.origin_address == "Storgatan 1, Östersund"
    assert out.destination_address.startswith("Östersunds sjukhus")
    assert out.appointment_at is not None
    assert out.appointment_at.astimezone(STOCKHOLM).isoformat() == "2026-11-23T09:30:00+01:00"
    assert back.return_of_seq == 0 and back.destination_address == "Storgatan 1, Östersund"
    assert back.requested_pickup_at is not None
    assert back.requested_pickup_at.astimezone(STOCKHOLM).strftime("%H:%M") == "12:00"
    assert booking.decision is not None, "assessed in the same transaction, as by the API"


def test_the_preview_stores_nothing_but_the_audit_of_its_read(
    desk: TestClient, anna: int, session: Session
) -> None:
    before = count(session)
    answer = desk.post("/bokning/forhandsgranska", data=form(anna, desk))
    assert answer.status_code == 200
    assert "Egenavgift" in answer.text and "Utresa" in answer.text
    assert any(
        verdict in answer.text
        for verdict in ("Beviljas enligt reglerna", "Går till handläggare", "Avslås enligt")
    )
    assert count(session) == before
    purposes = session.scalars(
        select(AuditEntry.purpose).where(AuditEntry.traveller_id == anna)
    ).all()
    assert "booking preview" in purposes


@pytest.mark.parametrize(
    "service", [{"tjanst": "sjukresa"}, {"tjanst": "fardtjanst", "syfte": "shopping"}]
)
def test_a_traveller_outside_the_register_is_previewed_as_one_that_does_not_exist(
    app_client: TestClient, anna: int, session: Session, service: dict[str, str]
) -> None:
    """Östersund's desk previewing a person in no register of its own: the rules' refusals
    told it the person exists and which principal pays (probe, seventh session of
    2026-12-06). Now the answer is the 404 of an id that does not exist, and no read."""
    create_user(session=session, username="desk-2380", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["2380"])  # fmt: skip
    app_client.cookies.clear()
    assert app_client.post("/login", data=login_form("desk-2380", app_client),
                           follow_redirects=False).status_code == 303  # fmt: skip
    answers = [
        app_client.post("/bokning/forhandsgranska", data=form(who, app_client, **service))
        for who in (anna, 99999)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].text == answers[1].text
    read = session.scalars(select(AuditEntry.purpose).where(AuditEntry.traveller_id == anna))
    assert "booking preview" not in read.all()


def test_errors_are_summarised_with_links_to_their_fields(
    desk: TestClient, anna: int, session: Session
) -> None:
    before = count(session)
    answer = desk.post("/bokning", data=form(anna, desk, till="", besok="", retur=""))
    assert answer.status_code == 200
    summary = answer.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#till"' in summary and 'href="#besok"' in summary
    assert 'aria-invalid="true"' in answer.text
    assert count(session) == before


def test_a_service_refusal_lands_on_its_field(desk: TestClient, anna: int) -> None:
    """Färdtjänst without a permit: the service refuses, the form says so at Tjänst."""
    answer = desk.post("/bokning", data=form(anna, desk, tjanst="fardtjanst"))
    summary = answer.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#tjanst"' in summary and "saknar tillstånd för färdtjänst" in summary


def _selected_purpose(page: str) -> str:
    field = page.split('id="syfte-falt"')[1].split("</select>")[0]
    found = re.search(r'<option value="(\w+)" selected>', field)
    assert found, field
    return found.group(1)


def test_syfte_follows_tjanst_so_no_care_purpose_is_left_on_a_fardtjanst_trip(
    desk: TestClient, anna: int, session: Session
) -> None:
    """A new booking starts as a sjukresa to the doctor; switching Tjänst to färdtjänst
    brings an errand (fritid) with the errands listed first, since färdtjänst refuses a
    trip to care; an errand chosen stays when switching among errand services, and a
    purpose not on the list is refused at Syfte."""
    page = desk.get(f"/bokning?resenar={anna}").text
    assert _selected_purpose(page) == "doctor_visit"
    assert 'hx-get="/bokning/syfte"' in page.split('id="tjanst"')[1].split(">")[0]
    swapped = desk.get("/bokning/syfte", params={"tjanst": "fardtjanst", "syfte": "doctor_visit"})
    assert _selected_purpose(swapped.text) == "leisure"
    groups = re.findall(r'<optgroup label="([^"]+)"', swapped.text)
    assert groups == ["Ärenden", "Vård (sjukresa)"]
    kept = desk.get("/bokning/syfte", params={"tjanst": "riksfardtjanst", "syfte": "work"})
    assert _selected_purpose(kept.text) == "work"
    back = desk.get("/bokning/syfte", params={"tjanst": "sjukresa", "syfte": "work"})
    assert _selected_purpose(back.text) == "doctor_visit"
    assert re.findall(r'<optgroup label="([^"]+)"', back.text)[0] == "Vård (sjukresa)"
    before = count(session)
    refused = desk.post("/bokning", data=form(anna, desk, syfte="bingo"))
    summary = refused.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#syfte"' in summary and "Välj ett syfte i listan" in summary
    assert count(session) == before


def test_a_visit_time_and_a_pickup_time_together_are_refused(
    desk: TestClient, anna: int, session: Session
) -> None:
    """Both given, the promised window shrank to a moment ("mellan 08:45 och 08:45")."""
    before = count(session)
    answer = desk.post("/bokning", data=form(anna, desk, besok="10:30", hamtning="09:00"))
    assert answer.status_code == 200 and 'id="kvitto"' not in answer.text
    assert "Ange antingen tid för besök eller hämtningstid, inte båda" in answer.text
    assert 'href="#hamtning"' in answer.text and count(session) == before


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("barn", "fem", "Skriv barnens åldrar"),
        ("barn", "5, 18", "Skriv barnens åldrar"),
        ("medfoljande", "-1", "Ange ett heltal från 0 till 4"),
        ("medfoljande", "99", "Ange ett heltal från 0 till 4"),
        ("medfoljande", "1,5", "Ange ett heltal från 0 till 4"),
        ("ledsagare", "3", "Ange ett heltal från 0 till 2"),
        ("ledsagare", "1,5", "Ange ett heltal från 0 till 2"),
    ],
)
def test_a_wrong_companion_count_is_marked_where_it_was_typed(
    desk: TestClient, anna: int, session: Session, field: str, typed: str, says: str
) -> None:
    before = count(session)
    answer = desk.post("/bokning", data=form(anna, desk, **{field: typed})).text
    assert says in answer and f'href="#{field}"' in answer
    others = {"barn", "medfoljande", "ledsagare"} - {field}
    assert not any(f'href="#{other}"' in answer for other in others)
    assert count(session) == before


def test_a_past_time_is_refused_in_swedish(desk: TestClient, anna: int) -> None:
    answer = desk.post("/bokning", data=form(anna, desk, datum="2026-11-19", retur=""))
    assert "Tiden har redan passerat" in answer.text


def test_a_return_before_the_outward_can_arrive_is_refused_with_the_time_to_offer(
    desk: TestClient, anna: int, session: Session
) -> None:
    """Östersund to Sveg takes over two hours: a return at 09:00 after an 08:00 pickup is
    refused at the return's field, saying the earliest time the operator can offer."""
    before = count(session)
    answer = desk.post(
        "/bokning",
        data=form(anna, desk, tjanst="sjukresa", till="Sveg", besok="", hamtning="08:00",
                  retur_tid="09:00"),
    )  # fmt: skip
    summary = answer.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#retur_tid"' in summary
    offer = r"Returen hämtas innan utresan hinner fram: boka returen kl\. 1\d:\d\d eller senare"
    assert re.search(offer, summary)
    assert count(session) == before


def test_a_return_without_a_time_after_a_pickup_counts_the_stay_from_the_arrival(
    desk: TestClient, anna: int, session: Session
) -> None:
    """Returresa left without a time: two hours after the visit. After a pickup time the
    visit starts when the drive there ends (2 h 36 min to Sveg by the model, to 2 h 40)."""
    answer = desk.post(
        "/bokning",
        data=form(anna, desk, till="Sveg", besok="", hamtning="08:00", retur_tid=""),
    )
    found = REFERENCE.search(answer.text.split('id="kvitto"')[1])
    assert found, answer.text
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    back = max(booking.legs, key=lambda leg: leg.seq)
    assert back.requested_pickup_at is not None
    assert back.requested_pickup_at.astimezone(STOCKHOLM).strftime("%H:%M") == "12:40"


def _booked(answer_text: str) -> str:
    found = REFERENCE.search(answer_text.split('id="kvitto"')[1])
    assert found, "the receipt shows the reference"
    return found.group()


def test_a_second_trip_at_the_same_time_is_named_as_a_likely_double_booking(
    desk: TestClient, anna: int, session: Session
) -> None:
    """The same visit booked twice: the preview and the receipt name the first trip; a
    trip later that day does not clash, nor does a cancelled one."""
    first = _booked(desk.post("/bokning", data=form(anna, desk)).text)
    preview = desk.post("/bokning/forhandsgranska", data=form(anna, desk)).text
    assert "Resenären har redan en resa samtidigt" in preview and first in preview
    assert "Bedömt efter regler för sjukresa, Region Jämtland Härjedalen" in preview
    assert "rulebooks/" not in preview
    again = desk.post("/bokning", data=form(anna, desk)).text
    second = _booked(again)
    receipt = again.split('id="kvitto"')[1]
    assert second != first and "dubbelbokning" in receipt and first in receipt
    assert (
        "samtidigt"
        not in desk.post(
            "/bokning/forhandsgranska", data=form(anna, desk, besok="18:00", retur="")
        ).text
    )
    # Between the visit at 09:30 and the return at 12:00 the traveller is away from home.
    away = form(anna, desk, fran="Hemma: Storgatan 1, Östersund", till="Brunflo", besok="",
                hamtning="11:00", retur="")  # fmt: skip
    during = desk.post("/bokning/forhandsgranska", data=away).text
    assert "Resenären har redan 2 resor samtidigt" in during and first in during
    shown = session.scalars(select(Booking).where(Booking.reference == first)).one()
    audited = session.scalars(
        select(AuditEntry).where(
            AuditEntry.purpose == "double booking check", AuditEntry.record_id == str(shown.id)
        )
    ).all()
    assert len(audited) == 3, "each preview's and the receipt's showing are audited"
    later = session.scalars(select(Booking).where(Booking.reference == second)).one()
    elsewhere = Actor(user_id=None, username="vn-op", role=Role.OPERATOR,
                      principal_codes=frozenset({"22"}))  # fmt: skip
    assert clashes(session, later, elsewhere) == [], "only trips the user may read"
    for reference in (first, second):
        booking = session.scalars(select(Booking).where(Booking.reference == reference)).one()
        transition(session=session, booking_id=booking.id, target=BookingStatus.CANCELLED,
                   actor=SYSTEM, now=NOW, reason="dubbelbokad", version=None,
                   late_notice=timedelta(0))  # fmt: skip
    assert "samtidigt" not in desk.post("/bokning/forhandsgranska", data=form(anna, desk)).text


def test_the_same_form_sent_twice_books_one_trip(
    desk: TestClient, anna: int, session: Session
) -> None:
    """A second Enter while the first is on its way (htmx queues it), or a resent form,
    carries the form's one-time key: the receipt names the trip already booked."""
    fields = form(anna, desk, engangsnyckel="desk-key-0123456789")
    first = _booked(desk.post("/bokning", data=fields).text)
    again = desk.post("/bokning", data=fields).text
    assert _booked(again) == first
    assert len(session.scalars(select(Booking).where(Booking.traveller_id == anna)).all()) == 1
    changed = desk.post("/bokning", data=fields | {"till": "Krokom"}).text
    assert "Formuläret har redan skickats för en annan resa" in changed


def test_a_form_post_without_the_csrf_field_is_refused(desk: TestClient, anna: int) -> None:
    fields = form(anna, desk)
    del fields["csrf_token"]
    assert desk.post("/bokning", data=fields).status_code == 403


def test_travellers_are_found_by_phone_number_as_written(
    desk: TestClient, anna: int, session: Session
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW, username="phone-op")
    for written in ("070-123 45 67", "0701234567", "+46 70 123 45 67"):
        options = desk.get("/bokning/resenarer", params={"q": written})
        assert f'data-value="{anna}"' in options.text, written
        api = desk.get("/api/v1/travellers", params={"q": written}, headers=auth(token))
        assert [t["id"] for t in api.json()["items"]] == [anna], written


def test_a_protected_identity_stays_masked_on_the_card(desk: TestClient, session: Session) -> None:
    hidden = dict(ANNA, personal_number="19800101-0001", first_name="Hemlig",
                  last_name="Gömdsson", protected_identity=True)  # fmt: skip
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="p-op"), hidden)
    card = desk.get("/bokning", params={"resenar": traveller})
    assert card.status_code == 200
    for secret in ("Hemlig", "Gömdsson", "19800101", "Storgatan", "070-1234567"):
        assert secret not in card.text, secret
    assert "Skyddad identitet" in card.text and "Hemma (skyddad adress)" in card.text
    options = desk.get("/bokning/resenarer", params={"q": "Hemlig"})
    assert "Hemlig" not in options.text and "Skyddad identitet" not in options.text  # unmatched
    places = desk.get("/bokning/platser", params={"resenar": traveller, "falt": "fran", "fran": ""})
    assert "Storgatan" not in places.text


@pytest.mark.parametrize("typed", ["Storgatan 1", "storgatan 1 b"])
def test_a_hidden_home_address_typed_answers_as_any_other_address(
    desk: TestClient, session: Session, typed: str
) -> None:
    """Were the typed text matched against the hidden street, the preview would confirm a
    guess: taken as the home, where another number without a town is not found."""
    hidden = dict(ANNA, personal_number="19800101-0001", protected_identity=True)
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="p-op"), hidden)
    guesses = [typed, typed.replace("1", "3")]  # the hidden home is Storgatan 1
    previews = [
        desk.post(
            "/bokning/forhandsgranska", data=form(traveller, desk, fran=g, fran_val="")
        ).text.replace(g, "<typed>")
        for g in guesses
    ]
    assert previews[0] == previews[1]
    chosen = desk.post(
        "/bokning/forhandsgranska",
        data=form(traveller, desk, fran="Hemma (skyddad adress)", fran_val="home"),
    )
    assert "Egenavgift" in chosen.text


def test_the_return_suggested_from_a_protected_home_tells_no_drive(
    desk: TestClient, session: Session
) -> None:
    """After a pickup time the desk suggests the return two hours after arrival; from a
    protected home the drive is left out, so the time is the same wherever the trip goes."""
    hidden = dict(ANNA, personal_number="19800101-0001", protected_identity=True)
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="p-op"), hidden)
    ordinary = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="o-op"))
    returns = {}
    for who, home in (
        (traveller, "Hemma (skyddad adress)"),
        (ordinary, "Hemma: Storgatan 1, Östersund"),
    ):
        for place in ("Östersunds sjukhus", "Krokom"):
            fields = form(
                who, desk, fran=home, till=place, besok="", hamtning="09:00", retur_tid=""
            )
            preview = desk.post("/bokning/forhandsgranska", data=fields).text
            returns[who, place] = re.findall(r"<dt>Retur</dt>\s*<dd>([^;<]+)", preview)
    assert returns[traveller, "Östersunds sjukhus"] == returns[traveller, "Krokom"] != []
    assert returns[ordinary, "Östersunds sjukhus"] != returns[ordinary, "Krokom"]


def test_a_hidden_persons_message_to_the_driver_is_written_but_not_read(
    desk: TestClient, session: Session
) -> None:
    hidden = dict(ANNA, personal_number="19800101-0001", protected_identity=True)
    traveller = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="p-op"), hidden)
    found = REFERENCE.search(
        desk.post(
            "/bokning",
            data=form(
                traveller, desk, fran="Hemma (skyddad adress)", retur="", meddelande="Portkod 4711"
            ),
        ).text  # fmt: skip
    )
    assert found
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    assert booking.message_to_driver == "Portkod 4711"
    card = desk.get("/bokning", params={"resenar": traveller}).text
    assert "Portkod" not in card and "Ett sparat meddelande visas inte för dig" in card
    # The server knows the note was not shown: a form that does not say so (crafted, or
    # from before) keeps it too (the probe of 2026-12-06 erased a door code so).
    change = {"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(traveller),
              "version": str(booking.version), f"meddelande_{booking.id}": ""}  # fmt: skip
    assert desk.post(f"/bokning/resor/{booking.id}/andra", data=change).status_code == 200
    session.refresh(booking)
    assert booking.message_to_driver == "Portkod 4711", "a blank field keeps what it did not show"
    change |= {"version": str(booking.version), f"meddelande_{booking.id}": "Ring två gånger"}
    desk.post(f"/bokning/resor/{booking.id}/andra", data=change)
    session.refresh(booking)
    assert booking.message_to_driver == "Ring två gånger"
    # The rollator ticked, the field blank: the note unseen is kept after its sentence.
    change |= {"version": str(booking.version), f"meddelande_{booking.id}": "",
               f"rollator_{booking.id}": "1"}  # fmt: skip
    desk.post(f"/bokning/resor/{booking.id}/andra", data=change)
    session.refresh(booking)
    assert booking.message_to_driver == "Resenären har rollator. Ring två gånger"


def test_a_trip_the_rules_refuse_is_not_read_back_as_booked(
    desk: TestClient, session: Session
) -> None:
    """Riksfärdtjänst inside the home municipality is refused by the rules: the receipt
    says it is registered but not granted, not "Resan är bokad"."""
    staff = token_for(session, Role.OPERATOR, now=NOW, username="riks-op")
    anna = register(desk, staff)
    permit = {"kind": "riksfardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    added = desk.post(f"/api/v1/travellers/{anna}/permits", json=permit, headers=auth(staff))
    assert added.status_code == 201, added.text
    fields = form(anna, desk, tjanst="riksfardtjanst", syfte="visit", retur="", rullstol="",
                  ledsagare="", besok="", hamtning="10:00", till="Brunflo")  # fmt: skip
    # The preview says what booking it does, not a fee and a vehicle it will never have.
    preview = desk.post("/bokning/forhandsgranska", data=fields).text
    assert "Avslås enligt reglerna" in preview and "beslutsbrev" in preview
    assert "Egenavgift" not in preview and "Färdsätt" not in preview
    assert "hämtningsfönster ges" not in preview
    answer = desk.post("/bokning", data=fields).text
    assert 'id="kvitto"' in answer, re.findall(r"Fel: </span>([^<]*)", answer)
    receipt = answer.split('id="kvitto"')[1].split("</div>")[0]
    assert "Resan är registrerad men beviljas inte" in receipt, receipt
    assert "Resan är bokad" not in receipt
    assert "Riksfärdtjänst gäller resor mellan kommuner" in receipt
    found = REFERENCE.search(receipt)
    assert found
    card = desk.get("/bokning", params={"resenar": anna}).text
    row = card.split(f'data-ref="{found.group()}"')[1].split("</tr>")[0]
    assert "/andra" not in row and "Omprövning" in row, "a denied trip is reconsidered, not changed"


def test_a_denied_trip_offers_no_cancellation_and_a_refused_one_is_explained_in_swedish(
    desk: TestClient, anna: int, session: Session
) -> None:
    """A denied trip cannot be cancelled or changed (it may only be reconsidered): the card
    says so under "Omprövning", and a cancellation sent anyway (an old page) is refused in
    Swedish."""
    answer = desk.post("/bokning", data=form(anna, desk, rullstol="", retur=""))
    found = REFERENCE.search(answer.text.split('id="kvitto"')[1])
    assert found
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    assessor = actor_for_user(
        create_user(session=session, username="desk-assessor", password=STRONG_PASSWORD,
                    role=Role.ASSESSOR, now=NOW, principal_codes=["*"])
    )  # fmt: skip
    decide(session=session, booking_id=booking.id, action="deny", reason="familjen kör",
           mode=None, version=None, actor=assessor, now=NOW)  # fmt: skip
    card = desk.get(f"/bokning?resenar={anna}").text
    row = card.split(f'data-ref="{booking.reference}"')[1].split("</tr>")[0]
    assert "Avslagen" in row and "<summary>Omprövning <span" in row
    assert "/avbestall" not in row and "/andra" not in row and "begära omprövning" in row
    sent = desk.post(
        f"/bokning/resor/{booking.id}/avbestall",
        data={"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna), "orsak": "x",
              "version": str(booking.version)},
    )  # fmt: skip
    assert sent.status_code == 200
    assert "Resan kan inte avbeställas: den är avslagen" in sent.text
    assert "cannot go from" not in sent.text
    session.refresh(booking)
    assert booking.status == "denied"


def test_a_need_added_at_the_desk_says_how_the_trip_stands_after_it(
    desk: TestClient, session: Session
) -> None:
    """A wheelchair added to a trip is decided again: the desk's notice says what the
    rules made of it."""
    anna = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="need-op"))
    booked = form(anna, desk, retur="", rullstol="", ledsagare="")
    found = REFERENCE.search(desk.post("/bokning", data=booked).text)
    assert found
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    change = {"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna),
              "version": str(booking.version), f"rullstol_{booking.id}": "1",
              f"meddelande_{booking.id}": ""}  # fmt: skip
    answer = desk.post(f"/bokning/resor/{booking.id}/andra", data=change)
    assert answer.status_code == 200
    session.refresh(booking)
    assert booking.needs == ["wheelchair"] and booking.decision is not None
    assert booking.status == "requested", (
        "approved as a taxi; a wheelchair vehicle needs a decision"
    )
    assert "approved automatically" in (booking.events[-2].reason or "")
    notice = html.unescape(answer.text)
    assert (
        f"Resan {booking.reference} är ändrad. Ändringen behöver en handläggares prövning "
        "innan resan gäller. Färdsättet kräver ett beslut av en handläggare."
    ) in notice


def test_another_principals_trip_is_changed_as_one_that_does_not_exist(
    desk: TestClient, app_client: TestClient, session: Session
) -> None:
    """A time that cannot be read was checked before the scope: region 22's desk got no
    message for region 23's trip and "Resan finns inte" for a missing one, which told the
    two apart (the probe of the seventh session of 2026-12-06)."""
    anna = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="far-op"))
    found = REFERENCE.search(desk.post("/bokning", data=form(anna, desk, retur="")).text)
    assert found
    theirs = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    assert theirs.principal_code == "23"
    version = theirs.version
    create_user(session=session, username="desk-22", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["22"])  # fmt: skip
    bo = dict(ANNA, personal_number="19550303-1238", first_name="Bo")
    ours = register(app_client, token_for(session, Role.OPERATOR, now=NOW, username="api-22",
                                          principals=["22"]), bo)  # fmt: skip
    app_client.cookies.clear()
    assert app_client.post("/login", data=login_form("desk-22", app_client),
                           follow_redirects=False).status_code == 303  # fmt: skip
    for booking_id in (theirs.id, 99999):
        change = {"csrf_token": app_client.cookies[CSRF_COOKIE], "resenar_id": str(ours),
                  "version": str(version), f"tid_{booking_id}_0": "25:99"}  # fmt: skip
        answer = app_client.post(f"/bokning/resor/{booking_id}/andra", data=change)
        assert "Resan finns inte" in html.unescape(answer.text), booking_id
    session.refresh(theirs)
    assert theirs.version == version


def test_companions_are_changed_at_the_desk_and_a_finished_trip_is_not(
    desk: TestClient, session: Session
) -> None:
    anna = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="comp-op"))
    booked = form(anna, desk, retur="", rullstol="", ledsagare="")
    found = REFERENCE.search(desk.post("/bokning", data=booked).text)
    assert found
    booking = session.scalars(select(Booking).where(Booking.reference == found.group())).one()
    card = desk.get("/bokning", params={"resenar": anna}).text
    assert f'id="ledsagare_{booking.id}"' in card and f'for="barn_{booking.id}"' in card

    def change(**fields: str) -> str:
        session.refresh(booking)
        values = {"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna),
                  "version": str(booking.version), f"ledsagare_{booking.id}": "0",
                  f"medfoljande_{booking.id}": "0", f"barn_{booking.id}": "",
                  f"meddelande_{booking.id}": ""}  # fmt: skip
        answer = desk.post(f"/bokning/resor/{booking.id}/andra", data=values | fields)
        assert answer.status_code == 200
        return html.unescape(answer.text)

    page = change(**{f"medfoljande_{booking.id}": "1", f"barn_{booking.id}": "7"})
    assert f"Resan {booking.reference} är ändrad." in page
    session.refresh(booking)
    assert booking.companions == [
        {"kind": "fellow_passenger", "age": None},
        {"kind": "child", "age": 7},
    ]
    assert booking.decision is not None and booking.decision["changed"] == ["companions"]

    page = change(**{f"barn_{booking.id}": "sju"})
    assert "Skriv barnens åldrar i år (0 till 17)" in page
    many = {f"ledsagare_{booking.id}": "2", f"medfoljande_{booking.id}": "4",
            f"barn_{booking.id}": "7"}  # fmt: skip
    assert "Högst 6 medföljande på en resa, barn medräknade" in change(**many)
    session.refresh(booking)
    assert len(booking.companions) == 2, "nothing changed by a field that cannot be read"
    crowded = form(anna, desk, retur="", ledsagare="2", medfoljande="4", barn="7")
    answer = html.unescape(desk.post("/bokning", data=crowded).text)
    assert "Högst 6 medföljande på en resa, barn medräknade" in answer
    assert "List should have" not in answer

    cancelled = desk.post(
        f"/api/v1/bookings/{booking.id}/cancel",
        json={"reason": "besöket är inställt", "version": booking.version},
        headers=auth(token_for(session, Role.OPERATOR, now=NOW, username="comp-op2")),
    )
    assert cancelled.status_code == 200, cancelled.text
    page = change(**{f"ledsagare_{booking.id}": "1"})
    assert f"Resan {booking.reference} har redan börjat, är utförd eller avbeställd" in page
    session.refresh(booking)
    assert [c["kind"] for c in booking.companions] == ["fellow_passenger", "child"]


def test_the_change_notice_says_the_new_mode_and_fee() -> None:
    decided = {"changed": ["needs"], "decided_at": NOW.isoformat(), "fee_ore": 0,
               "fee_before_ore": 40000, "mode_before": "wheelchair_vehicle"}  # fmt: skip
    booking = Booking(
        reference="SF-ABCDEFGH", status="approved", mode="public_transport", decision=decided
    )
    assert changed_notice(booking, now=NOW) == (
        "Resan SF-ABCDEFGH är ändrad. Färdsättet är nu buss eller tåg (var rullstolsfordon). "
        "Egenavgiften är nu 0,00 kr (var 400,00 kr)."
    )
    earlier = Booking(reference="SF-ABCDEFGH", status="approved", decision=decided)
    later = NOW.replace(hour=11)
    assert changed_notice(earlier, now=later) == "Resan SF-ABCDEFGH är ändrad.", "not this change"


def test_the_receipt_reads_back_the_return_and_no_fee_while_an_assessor_decides(
    desk: TestClient, session: Session
) -> None:
    anna = register(desk, token_for(session, Role.OPERATOR, now=NOW, username="back-op"))
    answer = html.unescape(desk.post("/bokning", data=form(anna, desk)).text)
    receipt = answer.split('id="kvitto"')[1].split("</div>")[0]
    assert "Går till handläggare" not in receipt and "Status: <strong>Inkommen" in receipt
    assert "Returen hämtas 12:00" in receipt
    assert "Egenavgiften beräknas när resan är bedömd." in receipt
    assert "Egenavgift 0,00" not in receipt


def test_a_trip_the_rules_cannot_assess_says_why_in_swedish(
    desk: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a fare table for the county, a färdtjänst fee that is a multiple of the
    bus fare cannot be priced: the receipt says so, not an empty list of reasons."""
    monkeypatch.setattr(engine, "county_fare", lambda *_: None)
    staff = token_for(session, Role.OPERATOR, now=NOW, username="fare-op")
    anna = register(desk, staff)
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    added = desk.post(f"/api/v1/travellers/{anna}/permits", json=permit, headers=auth(staff))
    assert added.status_code == 201, added.text
    fields = form(anna, desk, tjanst="fardtjanst", syfte="leisure", retur="", rullstol="",
                  ledsagare="", besok="", hamtning="10:00", till="Brunflo")  # fmt: skip
    receipt = html.unescape(desk.post("/bokning", data=fields).text).split('id="kvitto"')[1]
    assert UNASSESSABLE_SV in receipt


def test_a_travellers_places_are_not_suggested_outside_the_operators_register(
    app_client: TestClient, session: Session, anna: int
) -> None:
    """Anna lives in Region Jämtland Härjedalen's register; an operator of Region
    Västernorrland gets the answer a traveller who does not exist gets, at the desk's
    place suggestions as at the API, and not her home or the clinics she travels to."""
    create_user(session=session, username="desk-22", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["22"])  # fmt: skip
    app_client.post("/login", data=login_form("desk-22", app_client), follow_redirects=False)
    for traveller in (anna, 999999):
        places = app_client.get(
            "/bokning/platser", params={"resenar": traveller, "falt": "till", "till": ""}
        )
        assert places.status_code == 404, places.text
        assert "Storgatan" not in places.text and "Hemma" not in places.text
    token = token_for(session, Role.OPERATOR, now=NOW, username="api-22", principals=["22"])
    outside = app_client.get(f"/api/v1/travellers/{anna}", headers=auth(token)).json()
    missing = app_client.get("/api/v1/travellers/999999", headers=auth(token)).json()
    assert outside["detail"].replace(str(anna), "N") == missing["detail"].replace("999999", "N")


@pytest.mark.parametrize("version", ["abc", "", "²"])
def test_a_cancellation_whose_version_cannot_be_read_is_stale_not_unchecked(
    desk: TestClient, anna: int, session: Session, version: str
) -> None:
    """The card sends the version it showed; a form whose version cannot be read is
    treated as out of date, as a change is, so nothing is cancelled unchecked."""
    booked = desk.post("/bokning", data=form(anna, desk))
    reference = REFERENCE.search(booked.text)
    assert reference
    booking = session.scalars(select(Booking).where(Booking.reference == reference[0])).one()
    sent = desk.post(
        f"/bokning/resor/{booking.id}/avbestall",
        data={"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna), "orsak": "x",
              "version": version},
    )  # fmt: skip
    assert sent.status_code == 200
    assert "avbeställd" not in sent.text.split('id="arbetsyta"')[-1].split("<h2")[0]
    session.refresh(booking)
    assert booking.status != "cancelled"


def test_a_change_to_a_trip_cancelled_meanwhile_says_it_was_cancelled(
    desk: TestClient, anna: int, session: Session
) -> None:
    """Two operators on one card: one cancels, the other saves a change and was told to
    redo it, on a trip gone from the card (walk-through, seventh session of 2026-12-06)."""
    reference = REFERENCE.search(desk.post("/bokning", data=form(anna, desk, retur="")).text)
    assert reference
    booking = session.scalars(select(Booking).where(Booking.reference == reference[0])).one()
    shown = str(booking.version)
    cancelled = desk.post(
        f"/bokning/resor/{booking.id}/avbestall",
        data={"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna), "orsak": "x",
              "version": shown},
    )  # fmt: skip
    assert "är avbeställd" in cancelled.text
    for path, fields in (
        ("andra", {f"meddelande_{booking.id}": "Ring på"}),
        ("avbestall", {"orsak": "x"}),
    ):
        late = desk.post(
            f"/bokning/resor/{booking.id}/{path}",
            data={"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna),
                  "version": shown, **fields},
        )  # fmt: skip
        said = html.unescape(late.text)
        assert "Resan har avbeställts av någon annan sedan sidan visades" in said, path
        assert "gör om ändringen" not in said


def test_a_message_to_the_driver_over_the_limit_is_refused_not_cut(
    desk: TestClient, anna: int, session: Session
) -> None:
    """The desk used to keep the first 500 characters without a word; with the rollator
    mentioned for the driver there is less room, and the page says how much."""
    before = count(session)
    plain = desk.post("/bokning", data=form(anna, desk, meddelande="x" * 501))
    summary = plain.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#meddelande"' in summary and "högst 500 tecken" in summary
    rollator = desk.post("/bokning", data=form(anna, desk, meddelande="x" * 480, rollator="1"))
    summary = rollator.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "högst 476 tecken (rollatorn nämns för föraren)" in summary
    assert count(session) == before
    fits = desk.post("/bokning", data=form(anna, desk, meddelande="x" * 476, rollator="1"))
    assert REFERENCE.search(fits.text), "476 characters and the rollator fit"


def test_an_empty_fran_and_till_each_name_their_field(desk: TestClient, anna: int) -> None:
    answer = desk.post("/bokning", data=form(anna, desk, fran="", fran_val="", till=""))
    summary = answer.text.split('class="error-summary"')[1].split("</div>")[0]
    assert "Ange var resan börjar (Från)" in summary and "Ange resmålet (Till)" in summary


def test_a_series_receipt_counts_its_trips_in_the_plural(desk: TestClient, anna: int) -> None:
    """ "(6 avslagen)" was read back for a series; several trips take the plural."""
    answer = desk.post(
        "/bokning",
        data=form(anna, desk, serie="1", man="1", ons="1", fre="1",
                  forsta=MONDAY.isoformat(), sista=(MONDAY + timedelta(days=4)).isoformat()),
    )  # fmt: skip
    counts = re.findall(r"(\d+) (inkomna?|inkommen|beviljade?|beviljad|avslagna?|avslagen)",
                        answer.text)  # fmt: skip
    assert counts, answer.text
    singular = {"inkommen", "beviljad", "avslagen"}
    assert all((int(n) == 1) == (word in singular) for n, word in counts), counts


def _desk_booking(desk: TestClient, session: Session, anna: int, **fields: str) -> Booking:
    """A one-way trip booked at the desk on MONDAY, as stored."""
    answer = desk.post("/bokning", data=form(anna, desk, retur="", ledsagare="", **fields))
    found = REFERENCE.search(answer.text.split('id="kvitto"')[1])
    assert found, re.findall(r"Fel: </span>([^<]*)", answer.text)
    return session.scalars(select(Booking).where(Booking.reference == found.group())).one()


def test_the_cards_coming_trips_are_in_time_order_and_counted_as_shown(
    desk: TestClient, session: Session, anna: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kommande resor lists the trips in the order they are made (the pickup, or the
    visit's time), not in the order they were booked, and "Visar 2 av 3" counts only the
    trips the card can show: a cancelled one is not shown, so not counted ("Visar 2 av 4"
    after one cancellation). Each time says what it is: "hämtas" only for a pickup time,
    "framme senast" for a visit's."""
    afternoon = _desk_booking(desk, session, anna, besok="", hamtning="14:30")
    visit = _desk_booking(desk, session, anna, besok="08:00")
    morning = _desk_booking(desk, session, anna, besok="", hamtning="10:00")
    gone = _desk_booking(desk, session, anna, besok="", hamtning="09:00")
    transition(session=session, booking_id=gone.id, target=BookingStatus.CANCELLED,
               actor=SYSTEM, now=NOW, reason="ångrad", version=None,
               late_notice=timedelta(0))  # fmt: skip
    card = desk.get("/bokning", params={"resenar": anna}).text
    listed = re.findall(r'<tr data-ref="(SF-[A-Z2-9]{8})"', card)
    assert listed == [visit.reference, morning.reference, afternoon.reference], listed
    assert "Visar" not in card, "all three shown trips are shown"
    row = card.split(f'data-ref="{visit.reference}"')[1].split("</td>")[0]
    assert "framme senast 08:00 (besök)" in row and "hämtas" not in row, row
    row = card.split(f'data-ref="{morning.reference}"')[1].split("</td>")[0]
    assert "hämtas 10:00" in row and "besök" not in row, row
    monkeypatch.setattr("samfard.booking.desk.COMING_TRIPS", 2)
    card = desk.get("/bokning", params={"resenar": anna}).text
    assert re.findall(r'<tr data-ref="(SF-[A-Z2-9]{8})"', card) == [
        visit.reference,
        morning.reference,
    ]
    assert "Visar 2 av 3." in card


def test_the_card_names_the_permits_principal(desk: TestClient, session: Session) -> None:
    """A permit reads "Färdtjänst (Östersunds kommun)", not the principal's code."""
    staff = token_for(session, Role.OPERATOR, now=NOW, username="permit-op")
    anna = register(desk, staff)
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    added = desk.post(f"/api/v1/travellers/{anna}/permits", json=permit, headers=auth(staff))
    assert added.status_code == 201, added.text
    card = desk.get("/bokning", params={"resenar": anna}).text
    assert "Färdtjänst (Östersunds kommun)" in card
    assert "(2380)" not in card


def test_a_revoked_certificate_is_not_listed_as_valid_on_the_card(
    desk: TestClient, session: Session
) -> None:
    """The card's Intyg lists the certificates a trip may rest on: a revoked one, though
    its period has not ended, is gone from it ("Inga giltiga sjukreseintyg")."""
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="revoke-admin")
    anna = register(desk, admin)
    issuer = desk.post("/api/v1/issuers", headers=auth(admin), json={
        "hsa_id": "SE2321000180-REV1", "name": "Doktor Åter", "unit": "Medicin Östersund",
        "principal": "23", "course_passed_on": "2025-01-10", "certified_until": "2027-01-10",
    }).json()["id"]  # fmt: skip
    issued = desk.post(f"/api/v1/travellers/{anna}/certificates", headers=auth(admin), json={
        "principal": "23", "kind": "period", "modes": ["taxi"], "valid_from": "2026-11-20",
        "valid_until": "2027-02-28", "issuer_id": issuer,
    })  # fmt: skip
    assert issued.status_code == 201, issued.text
    card = desk.get("/bokning", params={"resenar": anna}).text
    assert "Medicin Östersund" in card and "Inga giltiga sjukreseintyg" not in card
    revoked = desk.post(f"/api/v1/care/certificates/{issued.json()['id']}/revocation",
                        json={"reason": "Besöket är inställt"}, headers=auth(admin))  # fmt: skip
    assert revoked.status_code == 200, revoked.text
    card = desk.get("/bokning", params={"resenar": anna}).text
    assert "Inga giltiga sjukreseintyg" in card
    assert "Medicin Östersund" not in card


def test_the_preview_says_a_visits_time_is_the_arrival_and_a_pickup_time_the_pickup(
    desk: TestClient, anna: int
) -> None:
    """Before booking, a visit's time is when the traveller must be there ("framme
    senast … (besök)"), never read out as the pickup; a pickup time is "hämtas"."""
    visit = desk.post("/bokning/forhandsgranska", data=form(anna, desk, besok="10:30")).text
    outward = visit.split("<dt>Utresa</dt>")[1].split("</dd>")[0]
    assert "framme senast måndag 23 november 2026 kl. 10:30 (besök)" in outward, outward
    assert "hämtas" not in outward and "hämtningsfönster" not in outward, outward
    pickup = desk.post(
        "/bokning/forhandsgranska", data=form(anna, desk, besok="", hamtning="10:30", retur="")
    ).text
    outward = pickup.split("<dt>Utresa</dt>")[1].split("</dd>")[0]
    assert "hämtas måndag 23 november 2026 kl. 10:30" in outward, outward
    assert "framme" not in outward


def test_a_trips_time_is_changed_at_the_desk_and_the_notice_says_how_it_stands(
    desk: TestClient, session: Session, anna: int
) -> None:
    """ "My appointment moved to 10:30": the card's Ändra has the visit's time, as it is
    timed, prefilled; the new time keeps the booking and the notice says the new time and
    that the trip waits for a vehicle (the day is not planned yet)."""
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    token = token_for(session, Role.OPERATOR, now=NOW, username="time-op")
    answer = desk.post(f"/api/v1/travellers/{anna}/permits", json=permit, headers=auth(token))
    assert answer.status_code == 201, answer.text
    booking = _desk_booking(
        desk, session, anna, tjanst="fardtjanst", syfte="leisure", till="Brunflo", rullstol=""
    )
    field = f"tid_{booking.id}_0"
    card = html.unescape(desk.get("/bokning", params={"resenar": anna}).text)
    assert f'<label for="{field}">Framme senast</label>' in card
    assert re.search(rf'id="{field}" name="{field}" type="text" value="09:30"', card)
    change = {"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna),
              "version": str(booking.version), field: "1030"}  # fmt: skip
    answer = desk.post(f"/bokning/resor/{booking.id}/andra", data=change)
    assert answer.status_code == 200
    session.refresh(booking)
    assert booking.legs[0].appointment_at == datetime(2026, 11, 23, 10, 30, tzinfo=STOCKHOLM)
    assert booking.decision is not None and booking.decision["changed"] == [
        "legs[0].appointment_at"
    ]
    assert (
        f"Resan {booking.reference} är ändrad. Utresan är framme senast nu 10:30 (var 09:30). "
        "Resan väntar på ett fordon: dagen är inte planerad än; hämtningsfönstret ges när den "
        "planeras."
    ) in html.unescape(answer.text)
    assert f'id="{field}" name="{field}" type="text" value="10:30"' in answer.text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("25:99", "Klockslaget finns inte; skriv till exempel 10:30"),
        ("2026-11-24 10:30", "Den nya tiden är en annan dag (24 november 2026) än resans "
         "(20 november 2026): avbeställ resan och boka den nya dagen."),
        ("kl 7", "Tiden har redan passerat"),
    ],
)  # fmt: skip
def test_a_new_time_that_cannot_be_used_is_said_at_its_field_and_the_summary_takes_focus(
    desk: TestClient, session: Session, anna: int, typed: str, said: str
) -> None:
    booking = _desk_booking(desk, session, anna, rullstol="", datum="2026-11-20", besok="12:00")
    field = f"tid_{booking.id}_0"
    change = {"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna),
              "version": str(booking.version), field: typed}  # fmt: skip
    answer = desk.post(
        f"/bokning/resor/{booking.id}/andra", data=change, headers={"HX-Request": "true"}
    )
    assert answer.status_code == 200
    page = html.unescape(answer.text)
    form = page.split(f'action="/bokning/resor/{booking.id}/andra"')[1].split("</form>")[0]
    summary = form.split("data-error-summary")[0]
    assert "autofocus" in summary and page.count("autofocus") == 1, "the summary takes focus"
    assert f'<a href="#{field}">{said}' in form
    error = f'id="{field}-error"><span class="visually-hidden">Fel: </span>{said}'
    assert error in form
    described = f'aria-describedby="{field}-hint {field}-error" aria-invalid="true"'
    assert f'id="{field}" name="{field}" type="text" value="{typed}" {described}' in form
    assert "<details open>" in page.split(f'data-ref="{booking.reference}"')[1]
    session.refresh(booking)
    assert booking.legs[0].appointment_at == datetime(2026, 11, 20, 12, 0, tzinfo=STOCKHOLM)


def test_the_desk_says_why_about_the_traveller_not_to_the_operator(
    desk: TestClient, anna: int, session: Session
) -> None:
    """The operator reads the rules' reasons at the desk, in the preview and the receipt:
    about the traveller ("Resan går utanför resenärens färdtjänstområde"), never to the
    reader ("… utanför ditt färdtjänstområde", the traveller's words in a letter)."""
    staff = token_for(session, Role.OPERATOR, now=NOW, username="area-op")
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    added = desk.post(f"/api/v1/travellers/{anna}/permits", json=permit, headers=auth(staff))
    assert added.status_code == 201, added.text
    fields = form(anna, desk, tjanst="fardtjanst", syfte="leisure", retur="", rullstol="",
                  ledsagare="", besok="", hamtning="10:00", till="Sundsvalls sjukhus")  # fmt: skip
    preview = desk.post("/bokning/forhandsgranska", data=fields).text
    answer = desk.post("/bokning", data=fields).text
    assert 'id="kvitto"' in answer, re.findall(r"Fel: </span>([^<]*)", answer)
    receipt = answer.split('id="kvitto"')[1].split("</div>")[0]
    for page in (preview, receipt):
        reasons = html.unescape(page.split('class="reasons"')[1].split("</ul>")[0])
        assert "utanför resenärens färdtjänstområde" in reasons, reasons
        assert not re.search(r"\b(du|din|ditt|dina|dig)\b", reasons, re.IGNORECASE), reasons


ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def visible_text(page: str) -> str:
    """What a reader sees of a page: no script, no tags and so no attribute values (where
    a date is ISO on purpose, datetime= and a date field's value=). A field's hint may show
    the typed format ("datum och tid 2026-11-21 10:30"): a card has none."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]*>", " ", page))


def test_the_card_says_its_dates_in_words_not_iso(
    desk: TestClient, session: Session, anna: int
) -> None:
    """The traveller's card says "måndag 23 november 2026 hämtas 10:00" and a permit from
    "1 november 2026", as the preview and the receipt do; it showed "2026-11-23"."""
    staff = token_for(session, Role.OPERATOR, now=NOW, username="dates-op")
    permit = {"kind": "fardtjanst", "principal": "2380", "valid_from": "2026-11-01"}
    added = desk.post(f"/api/v1/travellers/{anna}/permits", json=permit, headers=auth(staff))
    assert added.status_code == 201, added.text
    _desk_booking(desk, session, anna, besok="", hamtning="10:00")
    _desk_booking(desk, session, anna, besok="08:00")
    page = desk.get("/bokning", params={"resenar": anna}).text
    card = page.split('<section aria-labelledby="kort-rubrik">')[1].split("</section>")[0]
    card = visible_text(card)
    assert not ISO_DAY.findall(card), ISO_DAY.findall(card)
    said = " ".join(card.split())
    assert "måndag 23 november 2026 hämtas 10:00" in said
    assert "måndag 23 november 2026 framme senast 08:00 (besök)" in said
    assert "1 november 2026–tills vidare" in said


def test_a_rollator_is_added_and_taken_off_a_trip_from_its_change_form(
    desk: TestClient, session: Session, anna: int
) -> None:
    """A new booking says the rollator in the note to the driver ("Resenären har
    rollator."); a trip's change form has the same box, ticked by that note, and the note's
    field shows only what was typed. Ticked or cleared, the note follows, the rest kept."""
    booking = _desk_booking(desk, session, anna, rollator="1", meddelande="Ring på")
    assert booking.message_to_driver == "Resenären har rollator. Ring på"
    card = desk.get("/bokning", params={"resenar": anna}).text
    box = re.search(rf'<input[^>]*id="rollator_{booking.id}"[^>]*>', card)
    assert box and "checked" in box.group(), "ticked by the stored note"
    assert f'<label for="rollator_{booking.id}"' in card, "a visible label"
    field = re.search(rf'<input[^>]*id="meddelande_{booking.id}"[^>]*>', card)
    assert field and 'value="Ring på"' in field.group()

    def change(**fields: str) -> None:
        session.refresh(booking)
        values = {"csrf_token": desk.cookies[CSRF_COOKIE], "resenar_id": str(anna),
                  "version": str(booking.version), f"meddelande_{booking.id}": "Ring på",
                  f"rullstol_{booking.id}": "1"}  # fmt: skip
        answer = desk.post(f"/bokning/resor/{booking.id}/andra", data=values | fields)
        assert f"Resan {booking.reference} är ändrad." in html.unescape(answer.text)
        session.refresh(booking)

    change()
    assert booking.message_to_driver == "Ring på", "cleared: the rollator is gone"
    change(**{f"rollator_{booking.id}": "1", f"meddelande_{booking.id}": ""})
    assert booking.message_to_driver == "Resenären har rollator."
    assert booking.needs == ["wheelchair"], "the other aids as they were"
