"""Rules meet places by identity: a Norway referral booked through the API gets its cost
centre and object, whatever the gazetteer calls the hospital; every place a rulebook names
exists in the gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest
from assessment_fixtures import book, round_trip
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from helpers import ANNA, register
from samfard.errors import RuleError
from samfard.geo.models import Place
from samfard.geo.places import packaged_rows, search_key
from samfard.rules.loader import check_places, load_rulebooks, shipped_rulebooks

FUNASDALEN_HOME = {
    **ANNA,
    "personal_number": "19600303-3138",
    "first_name": "Fjällbo",
    "address": {
        "street": "Rörosvägen 12",
        "postal_code": "840 95",
        "city": "Funäsdalen",
        "municipality_code": "2361",
        "lat": 62.5450,
        "lon": 12.5520,
    },
}


@pytest.mark.parametrize(
    ("hospital", "cost_object"), [("Røros sykehus", "3523"), ("Tynset sykehus", "3524")]
)
def test_norway_referral_booked_through_the_api_gets_cost_centre_and_object(
    app_client: TestClient, operator: str, hospital: str, cost_object: str
) -> None:
    traveller = register(app_client, operator, FUNASDALEN_HOME)
    body = round_trip(
        app_client,
        operator,
        traveller,
        principal="23",
        hospital=hospital,
        purpose="treatment+referral",
    )
    decision = book(app_client, operator, body)["decision"]
    assert decision["cost_object"] == {"cost_centre": "1600", "cost_object": cost_object}
    assert "destination.foreign_referral" in {r["code"] for r in decision["reasons"]}
    assert decision["outcome"] != "refused"


def test_a_renamed_place_keeps_its_rules(
    app_client: TestClient, session: Session, operator: str
) -> None:
    """The display name is for people; the rule follows the key."""
    renamed = "Sykehuset Innlandet Røros"
    session.execute(
        update(Place)
        .where(Place.key == "roros-sykehus")
        .values(name=renamed, search_key=search_key(renamed))
    )
    session.flush()
    traveller = register(app_client, operator, FUNASDALEN_HOME)
    body = round_trip(app_client, operator, traveller, principal="23", hospital=renamed)
    body["purpose"] = "treatment+referral"
    decision = book(app_client, operator, body)["decision"]
    assert decision["cost_object"] == {"cost_centre": "1600", "cost_object": "3523"}


def test_referral_abroad_for_a_patient_listed_elsewhere_is_refused(
    app_client: TestClient, operator: str
) -> None:
    """Listed in Östersund (nearest health centre), not Funäsdalen: the rule does not pay."""
    traveller = register(app_client, operator)
    body = round_trip(
        app_client,
        operator,
        traveller,
        principal="23",
        hospital="Røros sykehus",
        purpose="treatment+referral",
    )
    booking = book(app_client, operator, body)
    assert booking["status"] == "denied"
    assert booking["decision"]["cost_object"] is None


def test_every_place_a_shipped_rulebook_names_is_in_the_gazetteer(session: Session) -> None:
    stored = set(session.scalars(select(Place.key)))
    check_places(shipped_rulebooks(), stored)
    check_places(shipped_rulebooks(), (row["key"] for row in packaged_rows()))


def test_a_rulebook_naming_an_unknown_place_is_refused_with_its_key(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2] / "src" / "samfard" / "rules" / "rulebooks"
    text = (root / "23" / "sjukresa.toml").read_text(encoding="utf-8")
    (tmp_path / "23").mkdir()
    (tmp_path / "23" / "sjukresa.toml").write_text(
        text.replace('"roros-sykehus"', '"roros"'), encoding="utf-8"
    )
    with pytest.raises(RuleError, match=r"foreign_referrals\[0\]\.destination_place.*'roros'"):
        check_places(load_rulebooks(tmp_path), (row["key"] for row in packaged_rows()))
