"""What the centre works out from a protected person reaches only those who may see them.

One test per finding of the second probe of protected identities (2026-12-05): not the
name, number or address themselves (tests/access/test_access_privacy.py), but what is
derived from them. An error that names the resolved home, a trial assessment whose
distances from the home locate it when the caller picks the destinations, the driver's
notes and messages, the event that says why the rules denied a trip. The rules are in
docs/security.md ("Protected identity")."""

from __future__ import annotations

import json
from typing import Any

from access_world import MONDAY, PROTECTED, PROTECTED_SECRETS, book, sjukresa
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, auth, iso, register, token_for
from samfard.access.permissions import Role

NOTE = "Portkod 4711, tredje våningen"


def _tokens(session: Session) -> tuple[str, str]:
    """An operator of every principal without the right, and one with it."""
    desk = token_for(session, Role.OPERATOR, now=NOW, username="derived-desk")
    trusted = token_for(
        session, Role.OPERATOR, now=NOW, username="derived-trusted", may_see_protected=True
    )
    return desk, trusted


def _trial(client: TestClient, token: str, traveller: int, lat: float, lon: float) -> Any:
    """A trial by own car from the home to a point the caller picks."""
    body = sjukresa(client, token, traveller, "22") | {"mode": "own_car"}
    body["legs"][0]["destination"] = {"address": "Punkt, Sundsvall", "lat": lat, "lon": lon}
    answer = client.post("/api/v1/assessments", json=body, headers=auth(token))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _facts(decision: dict[str, Any]) -> str:
    """The decision as text without the rules' citations (whose sources name km limits)."""
    reasons = [{k: v for k, v in r.items() if k != "citation"} for r in decision["reasons"]]
    return json.dumps(decision | {"reasons": reasons}, ensure_ascii=False)


def test_a_trip_that_starts_where_it_ends_names_no_address(
    app_client: TestClient, session: Session
) -> None:
    desk, _ = _tokens(session)
    hidden = register(app_client, desk, PROTECTED)
    body = sjukresa(app_client, desk, hidden, "22")
    body["legs"][0]["destination"] = {"home": True}
    for path in ("/api/v1/bookings", "/api/v1/assessments"):
        answer = app_client.post(path, json=body, headers=auth(desk))
        assert answer.status_code == 422, answer.text
        assert "starts where it ends" in answer.text
        assert [s for s in PROTECTED_SECRETS if s in answer.text] == []


def test_a_trial_assessment_tells_no_distance_from_a_hidden_home(
    app_client: TestClient, session: Session
) -> None:
    """Distances to points of the caller's choosing would locate the home: the summary,
    the reasons' texts and facts, the input's hash and the reimbursement per km stay out
    for a caller without the right; one with it sees them all."""
    desk, trusted = _tokens(session)
    hidden = register(app_client, desk, PROTECTED)
    shown = [_trial(app_client, desk, hidden, 63.17 + i / 100, 14.64) for i in range(3)]
    for decision in shown:
        assert decision["input_summary"] == "hidden: protected identity"
        assert decision["input_hash"] is None and decision["reimbursement_ore"] is None
        assert all(leg["reimbursement_ore"] is None for leg in decision["legs"])
        assert all(r["facts"] == [] and r["text"] == r["code"] for r in decision["reasons"])
        assert " km" not in _facts(decision) and "aged" not in _facts(decision)
    assert shown[0]["chosen_mode"] == "own_car"  # what was decided stays
    seen = _trial(app_client, trusted, hidden, 63.17, 14.64)  # beyond 75 km
    assert " km" in seen["input_summary"] and "aged 46" in seen["input_summary"]
    assert seen["reimbursement_ore"] > 0
    assert any(r["facts"] for r in seen["reasons"])


def test_a_stored_decision_is_shown_as_the_trial_is(
    app_client: TestClient, session: Session
) -> None:
    desk, trusted = _tokens(session)
    hidden = register(app_client, desk, PROTECTED)
    booking = book(app_client, desk, hidden, "22")
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="derived-admin")
    for token, path in (
        (desk, f"/api/v1/bookings/{booking}"),
        (admin, f"/api/v1/bookings/{booking}"),
        (admin, f"/api/v1/travellers/{hidden}/extract"),  # the registerutdrag
    ):
        answer = app_client.get(path, headers=auth(token))
        assert answer.status_code == 200, answer.text
        body = answer.json()
        for decision in [b["decision"] for b in body.get("bookings", [body])]:
            assert decision["input_summary"] == "hidden: protected identity"
            assert " km" not in _facts(decision) and "aged" not in _facts(decision)
    seen = app_client.get(f"/api/v1/bookings/{booking}", headers=auth(trusted)).json()
    assert " km" in seen["decision"]["input_summary"]


def test_notes_and_messages_to_the_driver_are_hidden_with_the_identity(
    app_client: TestClient, session: Session
) -> None:
    """A door code or a floor says where the person lives: free text about them is shown
    to those who may see the identity (and to the driver of the run, on the manifest)."""
    desk, trusted = _tokens(session)
    hidden = register(app_client, desk, PROTECTED | {"driver_notes": NOTE})
    booking = book(app_client, desk, hidden, "22")
    for token, visible in ((desk, False), (trusted, True)):
        card = app_client.get(f"/api/v1/travellers/{hidden}", headers=auth(token)).json()
        trip = app_client.get(f"/api/v1/bookings/{booking}", headers=auth(token)).json()
        assert (card["driver_notes"] == NOTE) is visible
        assert (trip["message_to_driver"] == "Ring på porttelefonen") is visible
        listed = app_client.get(
            "/api/v1/bookings", params={"traveller_id": hidden}, headers=auth(token)
        )
        assert ("Ring på porttelefonen" in listed.text) is visible


def test_a_denial_by_the_rules_is_logged_by_rule_not_by_the_persons_facts(
    app_client: TestClient, session: Session
) -> None:
    """The booking's event log, read by anyone with the booking in scope, says which rules
    refused it; the texts with the facts (km, ages) stay in the decision, masked there."""
    desk, _ = _tokens(session)
    hidden = register(app_client, desk, PROTECTED)
    body = sjukresa(app_client, desk, hidden, "22") | {"purpose": "vaccination"}
    body["legs"][0]["appointment_at"] = iso(MONDAY, "10:30")
    answer = app_client.post("/api/v1/bookings", json=body, headers=auth(desk))
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "denied", answer.json()["decision"]
    events = app_client.get(f"/api/v1/bookings/{answer.json()['id']}/events", headers=auth(desk))
    denial = [e for e in events.json() if e["to_status"] == "denied"]
    assert denial and denial[0]["reason"].startswith("denied automatically: purpose.")
    assert "[rulebooks/22/sjukresa.toml" in denial[0]["reason"]


def test_the_person_sees_their_own_trip_in_full(app_client: TestClient, session: Session) -> None:
    """The mask is for others: the protected person's own account reads their booking
    with its message and the reasons for its decision (their right of access)."""
    desk, _ = _tokens(session)
    hidden = register(app_client, desk, PROTECTED)
    booking = book(app_client, desk, hidden, "22")
    own = token_for(session, Role.TRAVELLER, now=NOW, username="derived-own", traveller_id=hidden)
    trip = app_client.get(f"/api/v1/bookings/{booking}", headers=auth(own))
    assert trip.status_code == 200, trip.text
    assert trip.json()["message_to_driver"] == "Ring på porttelefonen"
    assert " km" in trip.json()["decision"]["input_summary"]
    assert "Dolda gränd" in trip.json()["legs"][0]["origin_address"]


def _trip_from_home(
    client: TestClient, token: str, traveller: int, to: tuple[float, float], back: str
) -> dict[str, Any]:
    """Picked up at home at 10:00 for a point the caller picks, and back from it at `back`."""
    there = {"address": "Punkt, Sundsvall", "lat": to[0], "lon": to[1]}
    return {
        "traveller_id": traveller,
        "service": "sjukresa",
        "principal": "22",
        "purpose": "treatment",
        "legs": [
            {"origin": {"home": True}, "destination": there, "pickup_at": iso(MONDAY, "10:00")},
            {"origin": there, "destination": {"home": True}, "pickup_at": iso(MONDAY, back),
             "return_of": 0},
        ],
    }  # fmt: skip


def test_no_check_of_a_booking_measures_a_protected_home_against_a_chosen_point(
    app_client: TestClient, session: Session
) -> None:
    """Refused or not, and the drive named in the refusal, would each tell how far the home
    is from a point of the caller's choosing: 39 tries located one within 81 m. For an
    ordinary home the same bookings are refused, as before."""
    desk, _ = _tokens(session)
    hidden = register(app_client, desk, PROTECTED)
    ordinary = register(app_client, desk, PROTECTED | {
        "personal_number": "19121212-1212", "protected_identity": False})  # fmt: skip
    home = (PROTECTED["address"]["lat"], PROTECTED["address"]["lon"])  # type: ignore[index]
    beside = (home[0] + 0.0002, home[1])  # 22 m away
    far = (62.63, 17.94)  # Härnösand, about 50 km: a return at 10:01 cannot be
    for traveller, refused in ((ordinary, True), (hidden, False)):
        for to, back, words in ((beside, "12:00", "starts where it ends"),
                                (far, "10:01", "can arrive")):  # fmt: skip
            answer = app_client.post(
                "/api/v1/bookings",
                json=_trip_from_home(app_client, desk, traveller, to, back),
                headers=auth(desk),
            )
            assert (answer.status_code == 422) is refused, answer.text
            assert (words in answer.text) is refused
    series = _trip_from_home(app_client, desk, hidden, far, "10:01")
    legs = [{k: v for k, v in leg.items() if k != "pickup_at"} for leg in series.pop("legs")]
    legs[0]["pickup_time"], legs[1]["pickup_time"] = "10:00", "10:01"
    answer = app_client.post(
        "/api/v1/series",
        json=series
        | {
            "legs": legs,
            "weekdays": ["mon"],
            "start_date": MONDAY.isoformat(),
            "end_date": MONDAY.isoformat(),
        },  # fmt: skip
        headers=auth(desk),
    )
    assert answer.status_code == 201, answer.text  # a series is checked by the same rules
    home_to_home = _trip_from_home(app_client, desk, hidden, far, "12:00")
    home_to_home["legs"] = home_to_home["legs"][:1]
    home_to_home["legs"][0]["destination"] = {"home": True}
    answer = app_client.post("/api/v1/bookings", json=home_to_home, headers=auth(desk))
    assert answer.status_code == 422 and "starts where it ends" in answer.text
