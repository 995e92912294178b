"""The days of /trafik, /trafik/larm and /utforare over HTTP, and the pages that name a
run or a leg: a keyboard walk-through (Chromium, 2026-12) found

* a date typed as the booking desk takes it ("23/11") answered with the bare 422 page
  "Uppgifterna behöver rättas", its message folded away and the form gone;
* /trafik/korning/{id} without `?datum=` the same 422, although the run has one day;
* no way past the timeline to the unplanned trips (85 Tabs to the first move), and the
  move's confirmation not focused, so a screen reader did not read it;
* the move form's runs listed by vehicle name across both regions: six tries to find one
  that could take the trip (now nearest the trip first, tests/web/test_trafik_move_browser.py).

The clock of these tests is Friday 2026-11-20 (helpers.NOW); the planned day is Monday
2026-11-23 (dispatch_fixtures.DAY). The planned day and the controller's account are built
once per database (`planned_day`); each test logs in and runs in a savepoint of it.
"""

from __future__ import annotations

import re

import pytest
from dispatch_fixtures import CONTROLLER_LOGIN, DAY, PlannedDay, add_controller, plan_demo_day
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, login_form
from samfard.access.models import AuditEntry
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.vehicle_names import vehicle_name_sv
from samfard.planning.engine import NOT_INSERTED

FIELD_ERROR = re.compile(r'<span class="field-error" id="datum-error">.*?</span>(.*?)</span>', re.S)


pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def planned_day(module_session: Session) -> PlannedDay:
    """The demo day planned and a controller's account, built once per database; each
    test runs in a savepoint of it."""
    planned = plan_demo_day(module_session)
    add_controller(module_session)
    module_session.commit()
    return planned


@pytest.fixture
def controller(app_client: TestClient, planned_day: PlannedDay) -> None:
    """The controller logged in on the test's own client."""
    app_client.cookies.clear()
    app_client.post("/login", data=login_form(CONTROLLER_LOGIN, app_client))


def _main(html: str) -> str:
    return html.split("<main", 1)[1]


PICKERS = ["/trafik", "/trafik/larm", "/utforare"]
UNREADABLE = {
    "i morgon": "Skriv datumet som ÅÅÅÅ-MM-DD, eller dag och månad som 3/12",
    "31/2": "Datumet finns inte; kontrollera dag och månad",
}


@pytest.mark.parametrize("path", PICKERS)
def test_a_day_is_read_as_the_booking_desk_reads_it(
    app_client: TestClient, controller: None, path: str
) -> None:
    for typed in ("23/11", "23/11/2026", "2026-11-23", " 23/11 "):
        page = app_client.get(path, params={"datum": typed})
        assert page.status_code == 200, (typed, page.text[:500])
        assert "23 november 2026" in page.text and 'id="datum-error"' not in page.text


@pytest.mark.parametrize("path", PICKERS)
def test_a_day_that_cannot_be_read_is_said_at_the_field_on_the_page(
    app_client: TestClient, controller: None, path: str
) -> None:
    for typed, message in UNREADABLE.items():
        page = app_client.get(path, params={"datum": typed})
        assert page.status_code == 200, (typed, page.text[:500])
        assert "Uppgifterna behöver rättas" not in page.text
        main = _main(page.text)
        assert "Det finns problem" in main and f'<a href="#datum">{message}</a>' in main
        said = FIELD_ERROR.search(main)
        assert said is not None and said.group(1).strip() == message
        assert f'value="{typed}"' in main and 'aria-invalid="true"' in main  # kept as typed
        assert '<form method="get"' in main  # the form is there to write it again


def test_a_day_and_month_is_the_nearest_such_day_on_a_day_picker(
    app_client: TestClient, controller: None
) -> None:
    """Yesterday typed as "19/11" is yesterday, not 2027 (the desk, booking ahead, takes
    the next 19/11)."""
    assert NOW.date().isoformat() == "2026-11-20"
    page = app_client.get("/trafik", params={"datum": "19/11"})
    assert "<h1>Trafik torsdag 19 november 2026</h1>" in page.text


def test_a_run_and_a_leg_find_their_own_day(
    app_client: TestClient, session: Session, controller: None
) -> None:
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    run = next(r for r in plan.runs if any(s.booking_id for s in r.stops))
    page = app_client.get(f"/trafik/korning/{run.id}")
    assert page.status_code == 200, page.text[:500]
    assert "Stopp i tur och ordning" in page.text and "23 november 2026" in page.text
    assert app_client.get(f"/trafik/korning/{run.id}?datum=i+morgon").status_code == 200
    missing = app_client.get("/trafik/korning/999999")
    assert missing.status_code == 404 and "Hittades inte" in missing.text
    pickup = next(s for s in run.stops if s.kind == "pickup" and s.booking_id)
    leg = f"booking_id={pickup.booking_id}&leg_seq={pickup.leg_seq}"
    move = app_client.get(f"/trafik/flytta?{leg}")
    assert move.status_code == 200 and "Till körning" in move.text
    assert f'href="/trafik/flytta?{leg.replace("&", "&amp;")}"' in page.text  # no date


def test_skip_links_lead_past_the_timeline_to_the_unplanned_trips_and_the_alerts(
    app_client: TestClient, controller: None
) -> None:
    main = _main(app_client.get(f"/trafik?datum={DAY}").text)
    first = re.search(r"<(a|button|input|select)\b[^>]*>", main)
    assert first is not None
    assert first.group(0) == '<a class="skip-link" href="#unplanned-title">'
    assert '<a class="skip-link" href="#alerts-title">Till larmen</a>' in main
    assert '<h2 id="unplanned-title" tabindex="-1">' in main  # focus moves there
    assert '<h2 id="alerts-title" tabindex="-1">' in main


def test_the_moves_confirmation_takes_focus_and_says_only_the_plans_words(
    app_client: TestClient, session: Session, controller: None
) -> None:
    """The move's redirect names the leg (booking-leg) and the page says where it rides
    now; words in the address are never shown (a link could put any there)."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    run = plan.runs[0]
    stop = next(s for s in run.stops if s.booking_id and s.kind == "pickup")
    page = app_client.get(f"/trafik?datum={DAY}&flyttad={stop.booking_id}-{stop.leg_seq}")
    done = re.search(r'<p class="success"[^>]*>', page.text)
    assert done is not None and 'tabindex="-1"' in done.group(0)
    assert "autofocus" in done.group(0)
    assert f"resa {stop.leg_seq + 1} går nu med {vehicle_name_sv(run.vehicle.code)}" in page.text
    forged = app_client.get(f"/trafik?datum={DAY}&flyttad=SF-ABC resa 1 går nu med Bil 1")
    assert forged.status_code == 200 and "SF-ABC" not in forged.text
    assert 'id="flyttad"' not in forged.text


def test_the_move_form_lists_every_other_run(
    app_client: TestClient, session: Session, controller: None
) -> None:
    """Every run but the one the trip rides on; their order (nearest the trip in place and
    time first) is tests/web/test_trafik_move_browser.py's."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None and len(plan.runs) > 3
    runs = {r.id: r for r in plan.runs}
    run = max(plan.runs, key=lambda r: len(r.stops))
    pickup = next(s for s in run.stops if s.kind == "pickup" and s.booking_id)
    assert pickup.booking_id is not None and pickup.leg_seq is not None
    page = app_client.get(f"/trafik/flytta?booking_id={pickup.booking_id}&leg_seq={pickup.leg_seq}")
    offered = [int(i) for i in re.findall(r'<option value="(\d+)"', page.text)]
    assert sorted(offered) == sorted(i for i in runs if i != run.id)
    assert "passerar närmast resans hämtning kring resans tid står först" in page.text


def test_the_unplanned_trips_shown_are_audited_as_read(
    app_client: TestClient, controller: None, session: Session
) -> None:
    """The overview audited the travellers on runs; an unplanned trip's addresses were
    shown with no entry (the probe of the seventh session of 2026-12-06)."""
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    stop = next(s for r in plan.runs for s in r.stops if s.booking_id is not None)
    booking = session.get(Booking, stop.booking_id)
    assert booking is not None
    with transaction(session):
        store.drop_stops(plan, "booking_id", booking.id)
        store.note_unserved(plan, [{"request_id": f"b{booking.id}.{stop.leg_seq}",
                                    "booking_id": booking.id, "leg_seq": stop.leg_seq,
                                    "reason": NOT_INSERTED}])  # fmt: skip
    page = app_client.get(f"/trafik?datum={DAY}")
    assert page.status_code == 200 and booking.reference in page.text
    read = session.scalars(
        select(AuditEntry).where(
            AuditEntry.traveller_id == booking.traveller_id,
            AuditEntry.purpose == "day plan: unplanned trips (/trafik)",
        )
    ).all()
    assert [(e.record_type, e.record_id, e.username) for e in read] == [
        ("booking", str(booking.id), "trafikledare")
    ]
