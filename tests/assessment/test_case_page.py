"""The assessor's case on /bedomning says what the assessor needs in Swedish, on SQLite and
PostgreSQL: a trip approved before and changed says so (what changed, the mode and fee
approved before, the companions by kind) and is marked in the queue; payers and homes by
name, the rules in words (not TOML keys), the traveller in the third person.

A keyboard walk-through found the case silent on an earlier approval ("Medresenärer 4"),
raw codes ("huvudman 23 … från kommun 2380", "versions[1].modes[3]") and the letter's
"Du reser till närmaste vårdenhet av sitt slag." on the assessor's page."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from assessment_fixtures import WEDNESDAY, book, jh_trip
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.orm import Session
from test_words_sv import CODES

import samfard.rules
from helpers import auth, iso, login_form, place_id
from samfard.assessment.case_view import approval_before
from samfard.assessment.words_sv import (
    REASONS_SV,
    RULE_FIELDS_SV,
    RULE_SECTIONS_SV,
    companions_sv,
    reason_about_sv,
    reason_sv,
    rule_part_sv,
    summary_sv,
)
from samfard.booking.models import Booking, BookingEvent
from samfard.money import format_kr
from samfard.rules import engine, schema

SECOND_PERSON = re.compile(r"\b(du|din|ditt|dina|dig)\b", re.IGNORECASE)
KEY_LIKE = re.compile(r"versions\[|\w\[\d+\]|\b[a-z]+_[a-z_]+\b|rulebooks/|\.toml")
COMPANIONS = [
    {"kind": "escort"},
    {"kind": "fellow_passenger"},
    {"kind": "fellow_passenger"},
    {"kind": "child", "age": 8},
    {"kind": "child", "age": 5},
]


def _case_text(html: str) -> str:
    """The case's section as a reader sees it (tags out, entities read)."""
    found = re.search(r'<section class="case".*?</section>', html, re.S)
    assert found is not None, "a case is open"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0))))


def _queue_text(html: str) -> str:
    found = re.search(r'<section class="queue".*?</section>', html, re.S)
    assert found is not None
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found.group(0))))


def _open_case(client: TestClient, booking_id: int) -> str:
    """The assessor (the `assessor` fixture's account) logs in on the page and opens it."""
    client.cookies.clear()
    logged_in = client.post(
        "/login", data=login_form("assessor-user", client), follow_redirects=False
    )
    assert logged_in.status_code == 303, logged_in.text
    page = client.get(f"/bedomning?arende={booking_id}")
    assert page.status_code == 200, page.text
    return page.text


def _approved_then_changed(
    client: TestClient, operator: str, assessor: str, traveller: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A taxi approved by an assessor, then given a wheelchair and five companions: back in
    the queue. Returns the booking as approved and as changed."""
    booking = book(client, operator, jh_trip(client, operator, traveller))
    approved = client.post(
        f"/api/v1/bookings/{booking['id']}/assessment",
        json={"action": "approve", "reason": "kan inte åka buss efter behandlingen"},
        headers=auth(assessor),
    ).json()
    assert approved["status"] == "approved", approved
    changed = client.patch(
        f"/api/v1/bookings/{booking['id']}",
        json={"version": approved["version"], "needs": ["wheelchair"], "companions": COMPANIONS},
        headers=auth(operator),
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["status"] == "requested", "the rules ask an assessor again"
    return approved, changed.json()


def test_a_changed_trip_says_it_was_approved_before_and_what_changed(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    approved, changed = _approved_then_changed(app_client, operator, assessor, far_anna)
    assert changed["decision"]["changed"] == ["needs", "companions"]
    case = _case_text(_open_case(app_client, approved["id"]))
    assert "Ändrad efter beviljande." in case
    assert "av handläggaren assessor-user och har ändrats sedan dess: behov och medföljande" in (
        case
    )
    fee = format_kr(approved["decision"]["fee_ore"]).replace("\u00a0", " ")
    assert f"Beviljat tidigare: taxi, egenavgift {fee}." in case.replace("\u00a0", " ")
    assert "Medresenärer 1 ledsagare, 2 medföljande vuxna och 2 barn (5 och 8 år)" in case

    queue = _queue_text(app_client.get("/bedomning").text)
    row = queue.split(approved["reference"], 1)[1].split("SF-", 1)[0]
    assert "Ändrad efter beviljande" in row, "the queue marks the change"


def test_a_case_names_payers_homes_and_rules_in_words_about_the_traveller(
    app_client: TestClient, session: Session, operator: str, assessor: str, far_anna: int
) -> None:
    booking = book(app_client, operator, jh_trip(app_client, operator, far_anna))
    assert booking["status"] == "requested"
    html = _open_case(app_client, booking["id"])
    case = _case_text(html)
    assert "som Region Jämtland Härjedalen betalar" in case and "huvudman 23" not in case
    assert "från Östersunds kommun" in case and "kommun 2380" not in case
    assert "Regler för sjukresa, Region Jämtland Härjedalen, från 2021-05-01" in case
    assert "färdsätt (taxi): intyg eller beslut som krävs" in case
    assert "Resmålet är närmaste vårdenhet av sitt slag." in case
    assert not KEY_LIKE.search(case), KEY_LIKE.search(case)
    assert not SECOND_PERSON.search(case), SECOND_PERSON.search(case)
    assert "Ändrad" not in case and "Ändrad" not in _queue_text(html), "not a change"


def test_a_case_the_rules_could_not_assess_says_what_they_lacked(
    app_client: TestClient,
    session: Session,
    operator: str,
    assessor: str,
    anna: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Östersund's färdtjänst fee is a multiple of the bus fare; without a fare table the
    rules cannot price the trip. The case said only "Färdsätt: inget förslag."."""
    monkeypatch.setattr(engine, "county_fare", lambda *_: None)
    permit = app_client.post(
        f"/api/v1/travellers/{anna}/permits",
        json={"kind": "fardtjanst", "principal": "2380", "valid_from": "2025-01-01"},
        headers=auth(operator),
    )
    assert permit.status_code == 201, permit.text
    town = place_id(app_client, operator, "Brunflo")
    waiting = book(app_client, operator, {
        "traveller_id": anna, "service": "fardtjanst", "principal": "2380",
        "legs": [{"origin": {"home": True}, "destination": {"place_id": town},
                  "pickup_at": iso(WEDNESDAY, "10:00")}],
    })  # fmt: skip
    assert waiting["decided"]["outcome"] == "needs_assessor" and not waiting["decision"].get(
        "reasons"
    )
    case = _case_text(_open_case(app_client, waiting["id"]))
    assert "Väntar på handläggare eftersom: Avgiften räknas på bussens taxa" in case
    assert "utan regelmotorns förslag; ingen avgift tas ut enligt regel" in case
    assert "bus_fare" not in case and "the rules" not in case


# The words behind the page, for every reason and every rule the rules can cite.


@pytest.mark.parametrize("code", CODES)
def test_every_reason_is_said_about_the_traveller_to_the_assessor(code: str) -> None:
    english = "leg 1: some english text, 12.5 km: 4500 öre"
    for effect in ("allow", "needs_assessor", "refuse", "info"):
        said = reason_about_sv({"code": code, "text": english, "effect": effect, "facts": []})
        assert not SECOND_PERSON.search(said), (code, said)
        assert said != english and said[:1].isupper(), said


def test_the_letter_still_speaks_to_the_traveller() -> None:
    nearest = {"code": "destination.nearest", "text": "the destination is the nearest"}
    assert reason_sv(nearest) == "Du reser till närmaste vårdenhet av sitt slag."
    assert reason_about_sv(nearest) == "Resmålet är närmaste vårdenhet av sitt slag."
    assert any(SECOND_PERSON.search(sv) for sv in REASONS_SV.values())


def _keys() -> set[str]:
    """Every rulebook key the rules' source cites (key=…, and names assigned to `key`),
    an index in an f-string read as 0."""

    def text(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(
                str(part.value) if isinstance(part, ast.Constant) else "0" for part in node.values
            )
        return None

    found: set[str | None] = set()
    for path in Path(samfard.rules.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "key":
                found.add(text(node.value))
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Tuple):
                names = [getattr(t, "id", "") for t in node.targets[0].elts]
                values = [node.value] if not isinstance(node.value, ast.IfExp) else [
                    node.value.body, node.value.orelse
                ]  # fmt: skip
                for value in values:
                    if isinstance(value, ast.Tuple) and "key" in names:
                        found.add(text(value.elts[names.index("key")]))
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in (
                "key",
                "KEY",
            ):
                found.add(text(node.value))
    return {key for key in found if key}


KEYS = sorted(_keys())


def test_the_rules_cite_the_keys_this_test_knows() -> None:
    assert len(KEYS) > 30 and "modes[0].authorisation" in KEYS and "public_transport" in KEYS


@pytest.mark.parametrize("key", KEYS)
def test_every_cited_rule_is_said_in_words(key: str) -> None:
    for file in ("rulebooks/23/sjukresa.toml", "rulebooks/2380/fardtjanst.toml", "unknown"):
        said = rule_part_sv(file, f"versions[0].{key}", "2017-01-01")
        assert said and not KEY_LIKE.search(said), (key, said)
        assert said.count(":") == key.count("."), ("every part of the key has words", said)


def _names(model: type[BaseModel], depth: int, seen: set[type]) -> set[tuple[int, str]]:
    names: set[tuple[int, str]] = set()
    for name, field in model.model_fields.items():
        names.add((min(depth, 1), field.alias or name))
        stack: list[Any] = [field.annotation]
        while stack:
            kind = stack.pop()
            stack.extend(getattr(kind, "__args__", ()))
            if isinstance(kind, type) and issubclass(kind, BaseModel) and kind not in seen:
                names |= _names(kind, depth + 1, seen | {kind})
    return names


def test_every_name_a_rulebook_may_hold_has_words() -> None:
    """A rulebook's sections and fields, from its schema: a key the rules will cite
    tomorrow is said in words too."""
    versions = (
        schema.SjukresaVersion,
        schema.FardtjanstVersion,
        schema.RiksfardtjanstVersion,
        schema.NartrafikVersion,
        schema.BookedLineVersion,
    )
    names = set().union(*(_names(v, 0, {v}) for v in versions))
    missing = {(d, n) for d, n in names if n not in (RULE_FIELDS_SV if d else RULE_SECTIONS_SV)}
    assert not missing, missing


def test_the_facts_line_names_payer_and_home_when_it_can() -> None:
    summary = (
        "sjukresa paid by 23 on 2026-12-06: 2 leg(s), 5.8 km, purpose doctor_visit, "
        "mode wheelchair_vehicle, traveller aged 76 from 2380, 4 companion(s)"
    )
    names = {"23": "Region Jämtland Härjedalen", "2380": "Östersunds kommun"}
    assert summary_sv(summary, names) == (
        "Sjukresa som Region Jämtland Härjedalen betalar, 2026-12-06: 2 resor, 5,8 km, syfte "
        "läkarbesök, färdsätt rullstolsfordon, resenären 76 år från Östersunds kommun, "
        "4 medresenärer."
    )
    elsewhere = summary.replace("from 2380", "from 0180")
    assert "från kommun 0180" in summary_sv(elsewhere, names), "a code without a name stays"


def test_companions_are_said_by_kind() -> None:
    assert companions_sv(COMPANIONS) == "1 ledsagare, 2 medföljande vuxna och 2 barn (5 och 8 år)"
    assert companions_sv([{"kind": "fellow_passenger"}]) == "1 medföljande vuxen"
    assert companions_sv([]) == "inga"


def test_a_changed_time_is_not_taken_for_the_last_approval() -> None:
    """A time changed on an approved trip is kept in its history as approved -> approved;
    a case sent back to an assessor named that change as the rules' last approval."""
    approved_at = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    booking = Booking(
        events=[
            BookingEvent(
                seq=0,
                from_status=None,
                to_status="requested",
                at=approved_at,
                actor="desk",
                reason="booked",
                late=False,
            ),
            BookingEvent(
                seq=1,
                from_status="requested",
                to_status="approved",
                at=approved_at,
                actor="assessor-1",
                reason="assessor: ok",
                late=False,
            ),
            BookingEvent(
                seq=2,
                from_status="approved",
                to_status="approved",
                at=datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
                actor="desk",
                reason="time changed: leg 0 pickup ... -> ...",
                late=False,
            ),
        ]  # fmt: skip
    )
    assert approval_before(booking) == {"at": approved_at, "by_sv": "handläggaren assessor-1"}
