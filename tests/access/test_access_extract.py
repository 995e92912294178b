"""The registerutdrag holds what later steps keep about the person, not only the register
and the bookings: deviations about their trips with their handling, aids delivered to
them, the messages sent to them (never a login code), what drivers reported at their
stops and the plans' stops of their trips. A protected person's extract stays masked for
a reader without the right (docs/security.md, "Registerutdrag")."""

from __future__ import annotations

import json
import uuid
from datetime import time
from typing import Any

import pytest
from access_world import CARE_UNIT, MONDAY, PROTECTED_SECRETS
from fastapi.testclient import TestClient
from scope_world import CARRIER_23, ScopeWorld, aid_body, build_scope_world, deviation_body
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, token_for
from samfard import events
from samfard.access.actor import SYSTEM
from samfard.access.login_codes import request_code
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.clock import FixedClock
from samfard.costs.models import SettledTrip
from samfard.db import transaction
from samfard.dispatch.models import Run, Stop
from samfard.notify.models import OutboxMessage
from samfard.notify.service import SECRETS
from samfard.quality.views import HIDDEN_TEXT
from samfard.timeutil import local

pytestmark = pytest.mark.world_per_module

# When the drivers report: Monday morning, after the world's first pickups (07:10).
REPORTED_AT = local(MONDAY, time(8, 0))


@pytest.fixture(scope="module")
def world(module_client: TestClient, module_session: Session) -> ScopeWorld:
    """Built once per database through the API; each test runs in a savepoint of it."""
    built = build_scope_world(module_client, module_session)
    module_session.commit()
    return built


def extract_of(client: TestClient, token: str, traveller_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/travellers/{traveller_id}/extract", headers=auth(token))
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def pickup_of(session: Session, run_id: int, booking_id: int) -> Stop:
    run = session.get(Run, run_id)
    assert run is not None
    return next(s for s in run.stops if s.booking_id == booking_id and s.kind == "pickup")


def report(
    client: TestClient, token: str, run_id: int, kind: str, at: str, **extra: Any
) -> dict[str, Any]:
    body = {"client_event_id": uuid.uuid4().hex, "run_id": run_id, "kind": kind, "at": at}
    body |= extra
    response = client.post("/api/v1/driver/events", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_deviations_about_the_persons_trips_with_every_step_and_the_carriers_answer(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    url = f"/api/v1/deviations/{world.anna_deviation}/steps"
    step = {"action": "investigate", "note": "Utförarens förklaring begärd"}
    assert app_client.post(url, json=step, headers=auth(world.desk)).status_code == 200
    carrier = token_for(session, Role.CARRIER_DISPATCHER, now=NOW, username="disp-jt", carrier_id=1)
    answer = {"action": "answer", "note": "Föraren fastnade i en olycka på E14"}
    answered = app_client.post(url, json=answer, headers=auth(carrier))
    assert answered.status_code == 200, answered.text
    data = extract_of(app_client, world.admin, world.anna)
    (deviation,) = data["deviations"]
    assert deviation["id"] == world.anna_deviation
    assert deviation["booking_id"] == world.anna_booking
    assert deviation["description"] == "Bilen kom 30 minuter sent"
    assert (deviation["kind"], deviation["severity"]) == ("late", "moderate")
    assert deviation["carrier"] == CARRIER_23
    assert deviation["carrier_answer"] == "Föraren fastnade i en olycka på E14"
    assert deviation["status"] == "investigating"
    steps = [(e["action"], e["actor"], e["note"]) for e in deviation["events"]]
    assert steps == [
        ("report", "scope-desk", None),
        ("investigate", "scope-desk", "Utförarens förklaring begärd"),
        ("answer", "disp-jt", "Föraren fastnade i en olycka på E14"),
    ]
    other = extract_of(app_client, world.admin, world.bo)
    assert other["deviations"] == [], "Anna's deviation is not Bo's, though they rode together"


def test_an_aid_delivered_to_the_persons_home(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    created = app_client.post(
        "/api/v1/goods",
        json=aid_body(app_client, world.desk, world.anna, "23"),
        headers=auth(world.desk),
    )
    assert created.status_code == 201, created.text
    data = extract_of(app_client, world.admin, world.anna)
    (aid,) = data["consignments"]
    assert aid["id"] == created.json()["id"]
    assert (aid["kind"], aid["units"], aid["description"]) == ("aid", 2, "Rullstol")
    assert aid["recipient_traveller_id"] == world.anna
    assert aid["dropoff"]["address"].startswith("Skogsvägen 1")
    assert aid["created_by"] == "scope-desk"
    assert extract_of(app_client, world.admin, world.bo)["consignments"] == []


def test_messages_sent_to_the_person_but_never_a_login_code(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    notice = "Bilen är på väg och väntas 07:10."
    with transaction(session):
        events.publish(
            session,
            events.TravellerNotice(
                actor=SYSTEM,
                at=NOW,
                traveller_id=world.anna,
                booking_id=world.anna_booking,
                kind="on_the_way",
                text=notice,
            ),
        )
    token_for(session, Role.TRAVELLER, now=NOW, username="anna-self", traveller_id=world.anna)
    code_message = request_code(session, personal_number=ANNA["personal_number"], now=NOW)
    assert code_message is not None
    pending = session.get(OutboxMessage, code_message)
    assert pending is not None and pending.status == "pending"
    code = pending.text.split(": ")[1][:6]
    assert code.isdigit(), "the code waits in the outbox until it is sent"
    response = app_client.get(f"/api/v1/travellers/{world.anna}/extract", headers=auth(world.admin))
    assert response.status_code == 200
    assert pending.text not in response.text
    sent = response.json()["messages"]
    assert [m["text"] for m in sent if code in m["text"]] == []
    texts = [(m["kind"], m["text"], m["booking_id"]) for m in sent]
    assert texts == [
        ("on_the_way", notice, world.anna_booking),
        ("login_code", SECRETS["login_code"].kept_text, None),
    ]
    assert {m["recipient"] for m in sent} == {ANNA["phone"]}
    assert [a["username"] for a in response.json()["accounts"]] == ["anna-self"]


def test_what_drivers_reported_at_the_persons_stops_but_not_the_vehicles_trail(
    app_client: TestClient, session: Session, world: ScopeWorld, clock: FixedClock
) -> None:
    clock.current = REPORTED_AT
    driver = token_for(
        session,
        Role.DRIVER,
        now=REPORTED_AT,
        username="driver-jt1",
        carrier_id=1,
        vehicle_id=world.vehicles["shared"],
    )
    run = world.runs["shared"]
    stop = pickup_of(session, run, world.anna_booking)
    at = stop.planned_at.isoformat()
    report(app_client, driver, run, "position", at, lat=63.1717, lon=14.6363)
    arrived = report(app_client, driver, run, "arrived", at, stop_id=stop.id)
    data = extract_of(app_client, world.admin, world.anna)
    (reported,) = data["stop_reports"]
    assert reported["id"] == arrived["id"]
    assert (reported["kind"], reported["stop_kind"]) == ("arrived", "pickup")
    assert (reported["booking_id"], reported["leg_seq"]) == (world.anna_booking, 0)
    assert reported["at"] == arrived["at"] and reported["reported_by"] == "driver-jt1"
    assert "63.1717" not in json.dumps(data), "the vehicle's trail is not the traveller's"
    planned = [(p["booking_id"], p["kind"]) for p in data["planned_stops"]]
    assert planned == [(world.anna_booking, "pickup"), (world.anna_booking, "dropoff")]
    assert extract_of(app_client, world.admin, world.bo)["stop_reports"] == []


def test_a_protected_persons_extract_stays_masked_for_a_reader_without_the_right(
    app_client: TestClient, session: Session, world: ScopeWorld, clock: FixedClock
) -> None:
    """Their aid's home end, their phone on a message, where the vehicle stood at their
    door, the distance and cost of their trip (which place the home) and what was written
    about them in a deviation are left out."""
    with transaction(session):
        events.publish(
            session,
            events.TravellerNotice(
                actor=SYSTEM,
                at=NOW,
                traveller_id=world.hidden,
                booking_id=world.hidden_booking,
                kind="on_the_way",
                text="Bilen är på väg.",
            ),
        )
        session.add(
            SettledTrip(
                trip_key=f"b{world.hidden_booking}.0",
                run_ref="s-23",
                booking_id=world.hidden_booking,
                leg_seq=0,
                principal_code="23",
                service="sjukresa",
                day=MONDAY,
                pickup_at=REPORTED_AT,
                passengers=1,
                run_passengers=1,
                direct_m=2895,
                standalone_ore=51_234,
                allocated_ore=41_234,
                fee_ore=10_000,
                stretcher=False,
                dialysis=False,
                wheelchair=False,
                promised_pickup=None,
                actual_pickup=None,
                deviations=0,
                carrier=CARRIER_23,
                contract_code="K-1",
            )
        )
    written = deviation_body(world.hidden_booking) | {
        "description": "Bilen for förbi Dolda gränd 7"
    }
    made = app_client.post("/api/v1/deviations", json=written, headers=auth(world.desk))
    assert made.status_code == 201, made.text
    step = {"action": "investigate", "note": "Hon nås på 070-9998877"}
    stepped = app_client.post(
        f"/api/v1/deviations/{made.json()['id']}/steps", json=step, headers=auth(world.desk)
    )
    assert stepped.status_code == 200, stepped.text
    clock.current = REPORTED_AT
    driver = token_for(
        session,
        Role.DRIVER,
        now=REPORTED_AT,
        username="driver-jt3",
        carrier_id=1,
        vehicle_id=world.vehicles["hidden"],
    )
    stop = pickup_of(session, world.runs["hidden"], world.hidden_booking)
    at = stop.planned_at.isoformat()
    report(
        app_client,
        driver,
        world.runs["hidden"],
        "arrived",
        at,
        stop_id=stop.id,
        lat=62.3908,
        lon=17.3069,
    )
    response = app_client.get(
        f"/api/v1/travellers/{world.hidden}/extract", headers=auth(world.admin)
    )
    assert response.status_code == 200
    assert [s for s in PROTECTED_SECRETS if s in response.text] == []
    data = response.json()
    # The audit entries' request ids are random hex, which may hold any four digits.
    shown = json.dumps({k: v for k, v in data.items() if k != "audit_entries"})
    for figure in ("62.3908", "17.3069", "2895", "51234", "41234"):
        assert figure not in shown, figure
    (aid,) = data["consignments"]
    assert aid["id"] == world.hidden_aid and aid["dropoff"]["address"] == "Skyddad adress"
    (message,) = data["messages"]
    assert message["recipient"] is None and message["text"] == "Bilen är på väg."
    (reported,) = data["stop_reports"]
    assert reported["kind"] == "arrived" and reported["lat"] is None
    (trip,) = data["settled_trips"]
    assert trip["fee_ore"] == 10_000 and trip["direct_m"] is None
    (deviation,) = data["deviations"]
    assert deviation["description"] == HIDDEN_TEXT
    assert [e["note"] for e in deviation["events"]] == [None, HIDDEN_TEXT]
    dpo = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="dpo", may_see_protected=True)
    whole = extract_of(app_client, dpo, world.hidden)
    assert whole["consignments"][0]["dropoff"]["address"].startswith("Dolda gränd 7")
    assert whole["messages"][0]["recipient"] == "070-9998877"
    assert whole["stop_reports"][0]["lat"] == 62.3908
    assert whole["settled_trips"][0]["direct_m"] == 2895
    assert whole["deviations"][0]["description"] == "Bilen for förbi Dolda gränd 7"


def test_the_register_side_is_whole_too(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    """Who registered the person, the certificate's issuing, the series' template and the
    booking's care unit were stored but left out of the extract."""
    ostersund = token_for(session, Role.OPERATOR, now=NOW, username="op-2380", principals=["2380"])
    linked = app_client.post("/api/v1/travellers", json=ANNA, headers=auth(ostersund))
    assert linked.status_code == 200, linked.text  # named exactly: into 2380's register
    data = extract_of(app_client, world.admin, world.anna)
    registered = [(r["principal"], r["registered_by"]) for r in data["registrations"]]
    assert registered == [("2380", "op-2380")]
    (certificate,) = data["certificates"]
    assert certificate["id"] == world.anna_certificate and certificate["issued_at"]
    (series,) = data["series"]
    assert series["id"] == world.anna_series and series["template"]["legs"]
    assert series["created_by"] == "scope-desk"
    units = {b["id"]: b["care_unit"] for b in data["bookings"]}
    assert units[world.anna_care_booking] == CARE_UNIT and units[world.anna_booking] is None


def test_the_extract_is_one_audited_export(
    app_client: TestClient, session: Session, world: ScopeWorld
) -> None:
    extract_of(app_client, world.admin, world.anna)
    last = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.traveller_id == world.anna)
        .order_by(AuditEntry.id.desc())
    ).first()
    assert last is not None
    assert (last.username, last.action, last.purpose) == ("scope-admin", "export", "registerutdrag")
