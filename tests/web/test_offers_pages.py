"""The carriers' run offers over HTTP: /utforare and the controller's "Erbjud körningarna
till utförarna" on /trafik. A walk-through of a working day (2026-12) found

* the day offered for by POST /api/v1/offers/{day} only: no page for the centre;
* /utforare opening on today although the runs to answer were tomorrow's;
* Avböj declining at once, although it takes the vehicle out of the whole day for good;
* a reason over the column's 300 characters answered with a dead-end 422 page, the
  typed text lost;
* no word of what was answered, and focus at the top of the page after each answer;
* "1 öppna larm" and "1 oplanerade".

The clock of these tests is Friday 2026-11-20 (helpers.NOW); the planned day is Monday
2026-11-23.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from live_day_pages import DAY, EVENING, page_login, plan_live_day
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW
from samfard.access.actor import SYSTEM
from samfard.access.permissions import Role
from samfard.dates_sv import date_sv
from samfard.db import transaction
from samfard.dispatch import alerts, handoff
from samfard.dispatch.jobs import REPLAN
from samfard.dispatch.live_models import RunOffer
from samfard.dispatch.models import Vehicle
from samfard.dispatch.offer_notes import sent_note
from samfard.dispatch.offer_states import ACCEPTED, DECLINED, OFFERED
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.jobs import Job
from samfard.timeutil import STOCKHOLM

pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned(module_session: Session) -> None:
    """The small planned day of live_day_pages (tests/web/conftest.py gives it per test):
    built once per database, and each test runs in a savepoint of it."""
    plan_live_day(module_session)
    module_session.commit()


def _main(html: str) -> str:
    return html.split("<main", 1)[1]


def _carrier_with_offers(session: Session) -> tuple[int, list[handoff.OfferPublic]]:
    """Offer the day; the carrier with the most runs waiting for its answer, and those."""
    offers = handoff.offer_day(session=session, day=DAY, actor=SYSTEM, now=EVENING)
    waiting = [o for o in offers if o.state == OFFERED and o.carrier_id is not None]
    carrier = max(
        {o.carrier_id for o in waiting}, key=lambda c: sum(o.carrier_id == c for o in waiting)
    )
    assert carrier is not None
    return carrier, [o for o in waiting if o.carrier_id == carrier]


def _state(session: Session, offer_id: int) -> str:
    session.expire_all()
    offer = session.get(RunOffer, offer_id)
    assert offer is not None
    return offer.state


def test_the_page_opens_on_the_next_day_with_offers(
    app_client: TestClient, session: Session, planned: None
) -> None:
    carrier, mine = _carrier_with_offers(session)
    page_login(app_client, session, "utforare", Role.CARRIER_DISPATCHER, carrier_id=carrier)
    page = app_client.get("/utforare")  # today is Friday 20 November: nothing offered
    assert page.status_code == 200
    main = _main(page.text)
    assert "Körningar att ta måndag 23 november 2026" in main, main[:300]
    assert vehicle_name_sv(mine[0].vehicle_code) in main
    # A day typed is that day, offers or none.
    empty = _main(app_client.get("/utforare", params={"datum": "2026-11-20"}).text)
    assert "fredag 20 november 2026" in empty and "Inga körningar är erbjudna" in empty


def test_a_decline_is_asked_about_first_and_its_reason_kept(
    app_client: TestClient, session: Session, planned: None
) -> None:
    carrier, mine = _carrier_with_offers(session)
    csrf = page_login(app_client, session, "utforare", Role.CARRIER_DISPATCHER, carrier_id=carrier)
    offer = mine[0]
    name = vehicle_name_sv(offer.vehicle_code)
    form = {"datum": DAY.isoformat(), "svar": "avboj", "csrf_token": csrf}
    reason = "Bilen är på verkstad hela dagen"

    asked = app_client.post(f"/utforare/{offer.id}/svar", data={**form, "skal": reason})
    assert asked.status_code == 200 and _state(session, offer.id) == OFFERED
    main = _main(asked.text)
    heading = re.search(r"<h2 id=\"question-title\"[^>]*>(.*?)</h2>", main)
    assert heading is not None and heading.group(1) == f"Avböja körningen med {name}?"
    assert "autofocus" in re.search(r"<h2 id=\"question-title\"[^>]*>", main).group(0)  # type: ignore[union-attr]
    assert "hela dagens trafik" in main and "Det går inte att ångra" in main
    assert f'name="skal" value="{reason}"' in main  # carried to the answer

    kept = app_client.post(
        f"/utforare/{offer.id}/svar", data={**form, "skal": reason, "bekraftat": "nej"}
    )
    assert kept.status_code == 200 and _state(session, offer.id) == OFFERED
    field = re.search(rf'<input id="skal-{offer.id}"[^>]*>', kept.text)
    assert field is not None and f'value="{reason}"' in field.group(0)
    assert "autofocus" in field.group(0)

    done = app_client.post(
        f"/utforare/{offer.id}/svar",
        data={**form, "skal": reason, "bekraftat": "ja"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and _state(session, offer.id) == DECLINED
    assert f"svarat={offer.id}" in done.headers["location"]
    shown = _main(app_client.get(done.headers["location"]).text)
    said = re.search(r'<p class="success" role="status" id="svarat"[^>]*>(.*?)</p>', shown, re.S)
    assert said is not None and "autofocus" in said.group(0)
    assert f"Körningen med {name} är avböjd" in said.group(1)


def test_an_overlong_reason_is_said_at_the_field_with_the_text_kept(
    app_client: TestClient, session: Session, planned: None
) -> None:
    carrier, mine = _carrier_with_offers(session)
    csrf = page_login(app_client, session, "utforare", Role.CARRIER_DISPATCHER, carrier_id=carrier)
    offer = mine[0]
    page = _main(app_client.get(f"/utforare?datum={DAY}").text)
    field = re.search(rf'<input id="skal-{offer.id}"[^>]*>', page)
    assert field is not None and 'maxlength="300"' in field.group(0)
    assert f'<span class="hint" id="skal-{offer.id}-hint">Högst 300 tecken.</span>' in page

    reason = "Föraren är sjuk och ingen ersättare finns. " * 8  # 343 characters, trimmed
    for svar in ("avboj", "acceptera"):
        answer = app_client.post(
            f"/utforare/{offer.id}/svar",
            data={"datum": DAY.isoformat(), "svar": svar, "skal": reason, "csrf_token": csrf},
        )
        assert answer.status_code == 200, answer.text[:300]
        main = _main(answer.text)
        assert "Det finns problem" in main
        message = "Skälet får vara högst 300 tecken, nu är det 343. Korta det och svara igen."
        assert f'<a href="#skal-{offer.id}">{message}</a>' in main
        assert f'id="skal-{offer.id}-error"' in main
        field = re.search(rf'<input id="skal-{offer.id}"[^>]*>', main)
        assert field is not None and f'value="{reason}"' in field.group(0)
        assert 'aria-invalid="true"' in field.group(0)
        assert _state(session, offer.id) == OFFERED


def test_an_answer_is_said_in_its_row_with_the_way_on(
    app_client: TestClient, session: Session, planned: None
) -> None:
    carrier, mine = _carrier_with_offers(session)
    assert len(mine) >= 2, "the carrier needs two runs to answer"
    csrf = page_login(app_client, session, "utforare", Role.CARRIER_DISPATCHER, carrier_id=carrier)
    first, second = mine[0], mine[1]
    accepted = app_client.post(
        f"/utforare/{first.id}/svar",
        data={"datum": DAY.isoformat(), "svar": "acceptera", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert accepted.status_code == 303 and _state(session, first.id) == ACCEPTED
    main = _main(app_client.get(accepted.headers["location"]).text)
    row = re.search(rf'<tr id="korning-{first.id}">(.*?)</tr>', main, re.S)
    assert row is not None
    said = re.search(
        r'<p class="success" role="status" id="svarat" tabindex="-1" autofocus>(.*?)</p>',
        row.group(1),
        re.S,
    )
    assert said is not None
    text = " ".join(said.group(1).split())
    assert f"Körningen med {vehicle_name_sv(first.vehicle_code)} är accepterad." in text
    assert f'href="#skal-{second.id}"' in text  # the next run to answer, a link away
    assert main.count("autofocus") == 1


def test_the_controller_offers_the_days_runs_from_trafik(
    app_client: TestClient, session: Session, planned: None
) -> None:
    csrf = page_login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    main = _main(app_client.get(f"/trafik?datum={DAY}").text)
    form = re.search(r'<form method="post" action="/trafik/erbjud"[^>]*>', main, re.S)
    assert form is not None and 'hx-confirm="Erbjuda dagens körningar' in form.group(0)
    assert ">Erbjud körningarna till utförarna</button>" in main
    assert '<label for="svarstid">Svar senast om</label>' in main
    assert '<div id="erbjud-svar" role="status">' in main

    sent = app_client.post(
        "/trafik/erbjud",
        data={"datum": DAY.isoformat(), "svarstid": "60", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert sent.status_code == 200 and "<html" not in sent.text
    offers = session.scalars(select(RunOffer).where(RunOffer.service_date == DAY)).all()
    assert offers, "nothing was offered"
    runs = len(offers)
    text = " ".join(sent.text.split())
    assert f"{runs} körningar erbjöds nu" in text and "svarar senast" in text
    waiting = sum(o.state == OFFERED for o in offers)
    assert f"Hos utförarna: {waiting} väntar på svar" in text
    assert f'href="/utforare?datum={DAY}"' in text
    assert all(o.answer_by == NOW + timedelta(minutes=60) for o in offers if o.state == OFFERED)
    due = f"{(NOW + timedelta(minutes=60)).astimezone(STOCKHOLM):%H:%M}"
    assert f"utförarna svarar senast {due}." in text, "the offers' own deadline"

    again = app_client.post(
        "/trafik/erbjud",
        data={"datum": DAY.isoformat(), "svarstid": "60", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert again.status_code == 303 and "erbjudet=0" in again.headers["location"]
    shown = _main(app_client.get(again.headers["location"]).text)
    note = re.search(
        r'<div id="erbjud-svar" role="status"><p class="success" tabindex="-1" autofocus>(.*?)</p>',
        shown,
        re.S,
    )
    assert note is not None and "inga nya erbjudanden skickades" in note.group(1)


def test_one_principals_operator_is_not_offered_the_days_runs(
    app_client: TestClient, session: Session, planned: None
) -> None:
    csrf = page_login(app_client, session, "op-2380", Role.OPERATOR, principal_codes=["2380"])
    assert "/trafik/erbjud" not in app_client.get(f"/trafik?datum={DAY}").text
    refused = app_client.post(
        "/trafik/erbjud", data={"datum": DAY.isoformat(), "svarstid": "120", "csrf_token": csrf}
    )
    assert refused.status_code == 403
    assert session.scalars(select(RunOffer)).first() is None


def test_counts_of_one_are_in_the_singular(
    app_client: TestClient, session: Session, planned: None
) -> None:
    with transaction(session):
        alerts.raise_alert(
            session, kind="run_declined", day=DAY, subject="vehicle 1",
            message="Testbil: utföraren avböjde körningen.", at=NOW,
        )  # fmt: skip
        session.add(
            Job(
                id=uuid.uuid4().hex, kind=REPLAN, subject=DAY.isoformat(), args={},
                state="done", done=1.0, message="Klar", step_expected_s=0.0, attempts=1,
                started_by="controller", created_at=NOW,
                result={
                    "version": 2, "requests": 1, "served": 0, "unserved": 1, "vehicles_used": 1
                },
            )
        )  # fmt: skip
    page_login(app_client, session, "controller", Role.OPERATOR, principal_codes=["*"])
    section = app_client.get(f"/trafik/larm?datum={DAY}", headers={"HX-Request": "true"}).text
    assert "<caption>1 öppet larm, nyast först</caption>" in section
    job = session.scalars(select(Job)).one()
    done = " ".join(app_client.get(f"/trafik/jobb/{job.id}").text.split())
    assert "0 av 1 resa planerade på 1 fordon, 1 oplanerad." in done


def test_who_answered_is_named_by_carrier_or_role_never_by_login_name(
    app_client: TestClient, session: Session, planned: None
) -> None:
    """/utforare said "Accepterad (utf4)": the account's login name. Now the carrier's
    name, the centre's traffic control answering for it, or the region's own fleet, and
    when."""
    carrier, mine = _carrier_with_offers(session)
    assert len(mine) >= 2, "the carrier needs two runs to answer"
    csrf = page_login(app_client, session, "utf4", Role.CARRIER_DISPATCHER, carrier_id=carrier)
    app_client.post(
        f"/utforare/{mine[0].id}/svar",
        data={"datum": DAY.isoformat(), "svar": "acceptera", "csrf_token": csrf},
    )
    csrf = page_login(app_client, session, "tl7", Role.OPERATOR, principal_codes=["*"])
    app_client.post(
        f"/utforare/{mine[1].id}/svar",
        data={"datum": DAY.isoformat(), "svar": "acceptera", "csrf_token": csrf},
    )
    main = _main(app_client.get(f"/utforare?datum={DAY}").text)
    offer_row = session.get(RunOffer, mine[0].id)
    assert offer_row is not None
    vehicle = session.get(Vehicle, offer_row.vehicle_id)
    assert vehicle is not None
    at = NOW.astimezone(STOCKHOLM)
    when = f"{date_sv(at, 'long')} kl. {at:%H:%M}"  # answered the Friday before the day

    def state(offer_id: int) -> str:
        row = re.search(rf'<tr id="korning-{offer_id}">(.*?)</tr>', main, re.S)
        assert row is not None
        return " ".join(re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[4].split())

    assert state(mine[0].id) == f"Accepterad av {vehicle.carrier_name}, {when}"
    assert state(mine[1].id) == f"Accepterad av trafikledningen, {when}"
    # The region's own vehicles (none in this small fleet): accepted when offered.
    own_fleet = RunOffer(
        service_date=DAY, state=ACCEPTED, answered_by=handoff.OWN_FLEET, answered_at=EVENING
    )
    said = handoff._answer_sv(own_fleet, None, {})
    assert said == f"Accepterad direkt i egen regi, {date_sv(EVENING, 'long')} kl. 18:00"
    table = main.split("<table", 1)[1]
    assert "utf4" not in table and "tl7" not in table, "never the login name"


def test_the_note_gives_the_offers_own_deadlines() -> None:
    """A run's answer is due no later than it starts; the note said the chosen time from
    now for every run (walk-through of the seventh session of 2026-12-06)."""
    early, late = NOW + timedelta(minutes=10), NOW + timedelta(minutes=60)
    sent = [
        handoff.OfferPublic(id=n, service_date=DAY, vehicle_code="x", carrier_id=1,
                            contract_code=None, run_id=n, stops=2, first_stop_at=None,
                            last_stop_at=None, state=OFFERED, state_sv="Erbjuden",
                            answer_by=when, answered_by=None, reason=None)
        for n, when in enumerate((late, early))
    ]  # fmt: skip
    said = sent_note(sent)
    first, last = (f"{t.astimezone(STOCKHOLM):%H:%M}" for t in (early, late))
    assert said == (
        f"2 körningar erbjöds nu, utförarna svarar senast {last}, och före körningens start "
        f"för körningar som börjar tidigare (den första {first})."
    )
