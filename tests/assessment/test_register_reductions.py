"""Reductions and permit conditions the rules had and the register never handed them:
students pay 70 % of riksfärdtjänst, companions of a patient with a specified disability
travel free on sjukresor, a fellow passenger the färdtjänst permit does not grant goes to
an assessor (it was approved at 63 kr), and the permit's allergy-cleaned vehicle and guide
dog reach the decision's conditions for the planner and driver."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessment_fixtures import STINA, WEDNESDAY, book, certificate, issuer, vn_trip
from fastapi.testclient import TestClient

from helpers import auth, iso, place_id, register
from samfard.money import times

HARNOSAND_HOME = {"street": "Nybrogatan 2", "postal_code": "871 30", "city": "Härnösand",
                  "municipality_code": "2280", "lat": 62.632, "lon": 17.938}  # fmt: skip
# 17.7 km by road from that home, inside Härnösand: the 63 kr band.
HARNOSAND_ADDRESS = {"address": "Bondsjövägen 5, Härnösand", "lat": 62.70, "lon": 17.75}


def _traveller(client: TestClient, token: str, **changes: Any) -> int:
    return register(client, token, {**STINA, **changes})


def _permit(client: TestClient, token: str, traveller: int, **body: Any) -> None:
    answer = client.post(
        f"/api/v1/travellers/{traveller}/permits",
        json={"valid_from": "2026-01-01", **body},
        headers=auth(token),
    )
    assert answer.status_code == 201, answer.text


def _trial(client: TestClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post("/api/v1/assessments", json=body, headers=auth(token))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _riks(client: TestClient, token: str, traveller: int) -> dict[str, Any]:
    frosön = {"place_id": place_id(client, token, "Frösön")}
    return {
        "traveller_id": traveller,
        "service": "riksfardtjanst",
        "principal": "2281",
        "purpose": "visit",
        "legs": [
            {
                "origin": {"home": True},
                "destination": frosön,
                "pickup_at": iso(WEDNESDAY, "09:00"),
            }
        ],
    }


def test_a_student_pays_70_percent_of_riksfardtjanst_while_a_student(
    app_client: TestClient, operator: str
) -> None:
    """Stina is 76: only her student status (until the day before the trip, then until
    June) reduces the national fee."""
    stina = _traveller(app_client, operator, student_until="2026-11-24")
    _permit(app_client, operator, stina, kind="riksfardtjanst", principal="2281")
    before = _trial(app_client, operator, _riks(app_client, operator, stina))
    leg = before["legs"][0]
    assert leg["fee_ore"] == leg["list_fee_ore"] > 0
    version = app_client.get(f"/api/v1/travellers/{stina}", headers=auth(operator)).json()
    changed = app_client.patch(
        f"/api/v1/travellers/{stina}",
        json={"version": version["version"], "student_until": "2027-06-15"},
        headers=auth(operator),
    )
    assert changed.status_code == 200, changed.text
    student = _trial(app_client, operator, _riks(app_client, operator, stina))
    leg = student["legs"][0]
    assert leg["fee_ore"] == times(leg["list_fee_ore"], Decimal("0.7"))
    assert "fee.reduced" in {r["code"] for r in student["reasons"]}


def test_companions_of_a_patient_with_a_specified_disability_travel_free(
    app_client: TestClient, admin: str, operator: str
) -> None:
    """A medresenär pays 125 kr a leg beside Stina (76) in Västernorrland; nothing when
    the register says she has a specified disability."""
    issuer_id = issuer(app_client, admin)
    for number, disabled, paid in (
        ("19500505-1239", False, 25000),
        ("19500606-1237", True, 0),
    ):
        stina = _traveller(app_client, operator, personal_number=number,
                           specified_disability=disabled)  # fmt: skip
        certificate(app_client, admin, stina, issuer_id)
        body = vn_trip(app_client, operator, stina, companions=[{"kind": "fellow_passenger"}])
        booking = book(app_client, operator, body)
        assert booking["decided"]["companion_fee_ore"] == paid, disabled
        codes = {r["code"] for r in booking["decision"]["reasons"]}
        assert ("companion.free_disability" in codes) is disabled


def _harnosand_ride(traveller: int, companions: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "traveller_id": traveller,
        "service": "fardtjanst",
        "principal": "2280",
        "purpose": "visit",
        "companions": companions,
        "legs": [
            {
                "origin": {"home": True},
                "destination": HARNOSAND_ADDRESS,
                "pickup_at": iso(WEDNESDAY, "10:00"),
            }
        ],
    }


def test_a_fellow_passenger_the_permit_does_not_grant_goes_to_an_assessor(
    app_client: TestClient, operator: str
) -> None:
    fellow = [{"kind": "fellow_passenger"}]
    without = _traveller(app_client, operator, address=HARNOSAND_HOME)
    _permit(app_client, operator, without, kind="fardtjanst", principal="2280")
    waiting = book(app_client, operator, _harnosand_ride(without, fellow))
    assert waiting["status"] == "requested"
    assert waiting["decision"]["legs"][0]["list_fee_ore"] == 6300
    assert "companion.fellow_passenger_not_in_permit" in {
        r["code"] for r in waiting["decision"]["reasons"] if r["effect"] == "needs_assessor"
    }
    granted = _traveller(
        app_client, operator, personal_number="19500606-1237", address=HARNOSAND_HOME
    )
    _permit(app_client, operator, granted, kind="fardtjanst", principal="2280",
            fellow_passenger=True)  # fmt: skip
    approved = book(app_client, operator, _harnosand_ride(granted, fellow))
    assert approved["status"] == "approved", approved["decision"]["needs_assessor_because"]
    assert approved["decided"]["companion_fee_ore"] == 6300


def test_allergy_cleaned_vehicle_and_guide_dog_reach_the_stored_conditions(
    app_client: TestClient, operator: str
) -> None:
    traveller = _traveller(app_client, operator, address=HARNOSAND_HOME)
    _permit(app_client, operator, traveller, kind="fardtjanst", principal="2280",
            allergy_free=True, guide_dog=True)  # fmt: skip
    booking = book(app_client, operator, _harnosand_ride(traveller, []))
    assert booking["status"] == "approved"
    assert booking["decision"]["conditions"] == ["allergy_free", "guide_dog"]
