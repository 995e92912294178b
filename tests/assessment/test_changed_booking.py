"""A booking changed before it is travelled is decided again, on SQLite and PostgreSQL: no
approval, fee or mode stands for the trip as it was (assessment.changed)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from assessment_fixtures import (
    STINA,
    WEDNESDAY,
    book,
    certificate,
    issuer,
    jh_trip,
    ledger_rows,
    vn_trip,
)
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, iso, place_id, plan_fixed
from samfard.access.models import AuditEntry
from samfard.db import transaction
from samfard.dispatch import service
from samfard.dispatch.fleet import load_demo_fleet

TWO_LEGS_AT_200_KR = [(20000, 20000), (20000, 20000)]


def change(client: TestClient, token: str, booking: dict[str, Any], **fields: Any) -> Any:
    return client.patch(
        f"/api/v1/bookings/{booking['id']}",
        json={"version": booking["version"], **fields},
        headers=auth(token),
    )


def approved_taxi(
    client: TestClient, admin: str, operator: str, traveller: int, *, modes: list[str] | None = None
) -> dict[str, Any]:
    """Stina's taxi to Sundsvall, approved by the rules on a certificate for `modes`."""
    if modes is None:
        certificate(client, admin, traveller, issuer(client, admin))
    else:
        issued = client.post(
            f"/api/v1/travellers/{traveller}/certificates",
            json={"principal": "22", "kind": "period", "modes": modes,
                  "valid_from": "2026-11-20", "valid_until": "2027-02-28",
                  "issuer_id": issuer(client, admin)},
            headers=auth(admin),
        )  # fmt: skip
        assert issued.status_code == 201, issued.text
    booking = book(client, operator, vn_trip(client, operator, traveller))
    assert booking["status"] == "approved" and booking["mode"] == "taxi"
    return booking


def history(client: TestClient, token: str, booking_id: int) -> list[dict[str, Any]]:
    answer = client.get(f"/api/v1/bookings/{booking_id}/events", headers=auth(token))
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_a_companion_added_is_priced_again_and_the_fees_recorded_once(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    booking = approved_taxi(app_client, admin, operator, stina)
    assert booking["decision"]["companions"] == []
    answer = change(app_client, operator, booking, companions=[{"kind": "fellow_passenger"}])
    assert answer.status_code == 200, answer.text
    changed = answer.json()
    assert changed["status"] == "approved"
    decision = changed["decision"]
    assert decision["changed"] == ["companions"] and decision["decided_at"] == NOW.isoformat()
    assert [c["fee_ore_per_leg"] for c in decision["companions"]] == [[12500, 12500]]
    assert ledger_rows(session, booking["id"]) == TWO_LEGS_AT_200_KR, "replaced, not added"


def test_a_wheelchair_added_sends_the_vehicle_the_needs_call_for(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    booking = approved_taxi(
        app_client, admin, operator, stina, modes=["taxi", "wheelchair_vehicle"]
    )
    answer = change(app_client, operator, booking, needs=["wheelchair"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "approved"
    assert answer.json()["mode"] == "wheelchair_vehicle"
    assert answer.json()["decision"]["chosen_mode"] == "wheelchair_vehicle"
    assert ledger_rows(session, booking["id"]) == TWO_LEGS_AT_200_KR


def test_a_change_the_rules_refuse_is_undone_and_says_why(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    booking = approved_taxi(app_client, admin, operator, stina)
    refusals = {
        "purpose": ("mammography", "mammography is not a reimbursed purpose"),
        "needs": (["wheelchair"], "no certificate for wheelchair_vehicle"),
    }
    for field, (value, why) in refusals.items():
        answer = change(app_client, operator, booking, **{field: value})
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert why in problem["detail"] and "rulebooks/22/sjukresa.toml" in problem["detail"]
        assert problem["field"] == field
        assert problem["detail_sv"].startswith("Reglerna godtar inte resan")
        assert problem["detail_sv"].endswith("Resan står kvar som den beviljades.")
        kept = app_client.get(f"/api/v1/bookings/{booking['id']}", headers=auth(operator)).json()
        assert (kept["status"], kept["purpose"], kept["needs"], kept["version"]) == (
            "approved",
            "treatment",
            [],
            booking["version"],
        )
        assert kept["decision"] == booking["decision"]
        assert ledger_rows(session, booking["id"]) == TWO_LEGS_AT_200_KR


def test_a_trip_an_assessor_approved_goes_back_to_an_assessor_when_changed(
    app_client: TestClient,
    session: Session,
    operator: str,
    assessor: str,
    far_anna: int,
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    approved = app_client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "approve", "reason": "cannot take the bus after the treatment"},
        headers=auth(assessor),
    ).json()
    assert approved["status"] == "approved" and ledger_rows(session, booking["id"])

    answer = change(app_client, operator, approved, companions=[{"kind": "escort"}])
    assert answer.status_code == 200, answer.text
    waiting = answer.json()
    assert waiting["status"] == "requested"
    assert waiting["decision"]["outcome"] == "needs_assessor"
    assert waiting["decision"]["changed"] == ["companions"]
    assert ledger_rows(session, booking["id"]) == [], "no fee stands while it waits"
    last = history(app_client, operator, booking["id"])[-1]
    assert (last["from_status"], last["to_status"]) == ("approved", "requested")
    assert "changed (companions)" in last["reason"]
    queue = app_client.get("/api/v1/assessments/queue", headers=auth(assessor)).json()
    assert booking["id"] in [item["booking"]["id"] for item in queue]

    again = app_client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "approve", "reason": "the escort helps her out of the car"},
        headers=auth(assessor),
    )
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "approved"
    assert len(ledger_rows(session, booking["id"])) == 2


def test_a_waiting_trip_changed_is_decided_as_a_new_one(
    app_client: TestClient, operator: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    assert booking["status"] == "requested"
    answer = change(app_client, operator, booking, purpose="vaccination")
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "denied"
    assert any("vaccination" in why for why in answer.json()["decision"]["refused_because"])


def test_a_trip_denied_or_done_is_not_changed(
    app_client: TestClient, admin: str, operator: str, stina: int, far_anna: int
) -> None:
    booking = approved_taxi(app_client, admin, operator, stina)
    cancelled = app_client.post(
        f"/api/v1/bookings/{booking['id']}/cancel",
        json={"reason": "well again"},
        headers=auth(operator),
    )
    assert cancelled.status_code == 200, cancelled.text
    answer = change(app_client, operator, cancelled.json(), needs=["wheelchair"])
    assert answer.status_code == 409, answer.text
    assert answer.json()["field"] == "status" and "is cancelled" in answer.json()["detail"]

    denied = book(
        app_client, operator, jh_trip(app_client, operator, far_anna, purpose="vaccination")
    )
    assert denied["status"] == "denied"
    answer = change(app_client, operator, denied, purpose="treatment")
    assert answer.status_code == 409, answer.text
    assert "an assessor reconsiders it" in answer.json()["detail"]


def test_only_a_change_sends_a_trip_back_to_requested(
    app_client: TestClient, admin: str, operator: str, stina: int
) -> None:
    booking = approved_taxi(app_client, admin, operator, stina)
    answer = app_client.post(
        f"/api/v1/bookings/{booking['id']}/transitions",
        json={"to": "requested", "version": booking["version"]},
        headers=auth(operator),
    )
    assert answer.status_code == 409, answer.text
    assert "PATCH" in answer.json()["detail"]


def test_a_message_to_the_driver_alone_decides_nothing_again(
    app_client: TestClient, admin: str, operator: str, stina: int
) -> None:
    booking = approved_taxi(app_client, admin, operator, stina)
    answer = change(app_client, operator, booking, message_to_driver="Ring på porttelefonen")
    assert answer.status_code == 200, answer.text
    assert answer.json()["decision"] == booking["decision"]


def planned_trip(
    client: TestClient, session: Session, admin: str, operator: str, traveller: int, **trip: Any
) -> dict[str, Any]:
    """Stina's trip on a planned Wednesday, carried by the demo fleet."""
    with transaction(session):
        load_demo_fleet(session, scale=0.2)
    booking = book(client, operator, vn_trip(client, operator, traveller) | trip)
    plan_fixed(session, WEDNESDAY, now=NOW)
    booking = client.get(f"/api/v1/bookings/{booking['id']}", headers=auth(operator)).json()
    assert booking["status"] == "scheduled" and stops_of(client, admin, booking["id"])
    return dict(booking)


def stops_of(client: TestClient, token: str, booking_id: int) -> list[dict[str, Any]]:
    plan = client.get(f"/api/v1/plans/{WEDNESDAY}", headers=auth(token)).json()
    return [s for run in plan["runs"] for s in run["stops"] if s.get("booking_id") == booking_id]


def test_a_planned_trip_changed_to_the_bus_leaves_the_plan(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    """Certified for a wheelchair vehicle only: without the wheelchair the rules send
    Stina by bus, and no car may still come for her."""
    issued = app_client.post(
        f"/api/v1/travellers/{stina}/certificates",
        json={"principal": "22", "kind": "period", "modes": ["wheelchair_vehicle"],
              "valid_from": "2026-11-20", "valid_until": "2027-02-28",
              "issuer_id": issuer(app_client, admin)},
        headers=auth(admin),
    )  # fmt: skip
    assert issued.status_code == 201, issued.text
    booking = planned_trip(app_client, session, admin, operator, stina, needs=["wheelchair"])
    answer = change(app_client, operator, booking, needs=[])
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["mode"]) == ("approved", "public_transport")
    assert answer.json()["decision"]["mode_before"] == "wheelchair_vehicle"
    assert stops_of(app_client, admin, booking["id"]) == []
    assert service.verify_stored(session=session, day=WEDNESDAY)[1].ok


def test_a_purpose_that_allows_less_extra_ride_places_the_trip_again(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    """Dialysis allows 45 minutes of extra ride in region 22, not 90: the trip is placed
    again under the new limit, and the stored plan still verifies."""
    certificate(app_client, admin, stina, issuer(app_client, admin))
    booking = planned_trip(app_client, session, admin, operator, stina)
    answer = change(app_client, operator, booking, purpose="dialysis")
    assert answer.status_code == 200, answer.text
    assert answer.json()["decision"]["tolerance"]["max_extra_ride_min"] == 45
    events = [e["reason"] for e in history(app_client, operator, booking["id"])]
    assert "taken out of the plan to be placed again: its purpose changed" in events
    assert answer.json()["status"] in ("scheduled", "approved")
    assert service.verify_stored(session=session, day=WEDNESDAY)[1].ok


def test_a_new_time_on_a_planned_day_is_decided_and_placed_again_with_a_new_promise(
    app_client: TestClient, session: Session, admin: str, operator: str, stina: int
) -> None:
    """ "Can she go home an hour later?": the return moves from 13:00 to 14:00, keeps its
    booking, is decided again by the rules and placed again, promised around 14:00; its
    history and the audit trail say from what time to what time."""
    certificate(app_client, admin, stina, issuer(app_client, admin))
    booking = planned_trip(app_client, session, admin, operator, stina)
    later = iso(WEDNESDAY, "14:00")
    answer = change(app_client, operator, booking, legs=[{"seq": 1, "pickup_at": later}])
    assert answer.status_code == 200, answer.text
    changed = answer.json()
    assert (changed["id"], changed["reference"]) == (booking["id"], booking["reference"])
    assert changed["decision"]["changed"] == ["legs[0].pickup_at"]
    assert changed["decision"]["decided_at"] == NOW.isoformat(), "decided again"
    assert changed["status"] == "scheduled"
    leg = changed["legs"][1]
    assert leg["requested_pickup_at"] == later
    window = [
        datetime.fromisoformat(leg[k]) for k in ("promised_pickup_from", "promised_pickup_until")
    ]
    assert window[0] <= datetime.fromisoformat(later) <= window[1], window
    outward = [
        datetime.fromisoformat(leg[k])
        for leg in (booking["legs"][0], changed["legs"][0])
        for k in ("promised_pickup_from", "promised_pickup_until")
    ]
    assert outward[0] <= outward[2] <= outward[3] <= outward[1], "the outward keeps its promise"
    reasons = [e["reason"] for e in history(app_client, operator, booking["id"])]
    said = "leg 1 pickup 2026-11-25 13:00 -> pickup 2026-11-25 14:00"
    assert f"time changed: {said}" in reasons
    assert "taken out of the plan to be placed again: its legs[0].pickup_at changed" in reasons
    assert session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.record_id == str(booking["id"]),
            AuditEntry.purpose == f"change booking: time {said}",
        )
    )
    assert service.verify_stored(session=session, day=WEDNESDAY)[1].ok


def test_a_new_time_the_rules_refuse_is_undone_and_says_why(
    app_client: TestClient, operator: str
) -> None:
    """Örnsköldsvik's färdtjänst does not run at night: a trip moved from 22:00 to 23:30 is
    refused by the rules, at the time's field, and stands as it was approved."""
    home = {"street": "Storgatan 3", "postal_code": "891 33", "city": "Örnsköldsvik",
            "municipality_code": "2284", "lat": 63.2905, "lon": 18.7160}  # fmt: skip
    body = {**STINA, "personal_number": "19480808-8886", "address": home}
    created = app_client.post("/api/v1/travellers", json=body, headers=auth(operator))
    assert created.status_code == 201, created.text
    traveller = created.json()["id"]
    permit = {"kind": "fardtjanst", "principal": "2284", "valid_from": "2026-01-01"}
    answer = app_client.post(
        f"/api/v1/travellers/{traveller}/permits", json=permit, headers=auth(operator)
    )
    assert answer.status_code == 201, answer.text
    trip = {
        "traveller_id": traveller,
        "service": "fardtjanst",
        "principal": "2284",
        "purpose": "leisure",
        "legs": [
            {
                "origin": {"home": True},
                "destination": {"place_id": place_id(app_client, operator, "Husum")},
                "pickup_at": iso(WEDNESDAY, "22:00"),
            }
        ],
    }
    booking = book(app_client, operator, trip)
    assert booking["status"] == "approved", booking["decision"]
    answer = change(
        app_client, operator, booking, legs=[{"seq": 0, "pickup_at": iso(WEDNESDAY, "23:30")}]
    )
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["field"] == "legs[0].pickup_at"
    assert "no service between 23:00 and 06:00" in problem["detail"]
    assert problem["detail_sv"].startswith(f"Reglerna godtar inte resan {booking['reference']}")
    kept = app_client.get(f"/api/v1/bookings/{booking['id']}", headers=auth(operator)).json()
    assert (kept["status"], kept["version"], kept["decision"]) == (
        "approved",
        booking["version"],
        booking["decision"],
    )
    pickup = kept["legs"][0]["requested_pickup_at"]
    assert datetime.fromisoformat(pickup) == datetime.fromisoformat(iso(WEDNESDAY, "22:00"))
    assert not any(
        "time changed" in (e["reason"] or "") for e in history(app_client, operator, booking["id"])
    )
