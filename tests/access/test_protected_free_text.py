"""What staff write about a traveller with skyddad identitet reaches only those who may see
who the person is (travellers.free_text). A probe typed the person's name, street and
phone into a booking's purpose, a cancellation's reason and an assessor's motivation and
read them back in clear as other operators, a system administrator, in the decision
letter and in the registerutdrag; the address fields beside them were masked."""

from __future__ import annotations

from access_world import PROTECTED_SECRETS, book, build_world
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, auth, token_for
from samfard.access.account_names import SHOWN_AS
from samfard.access.models import AuditEntry
from samfard.access.permissions import Role
from samfard.travellers.free_text import HIDDEN_FREE_TEXT

SECRET = "Hemlig Gömdsson flyttar till Dolda gränd 7, ring 070-9998877"


def test_free_text_about_a_protected_traveller_is_hidden_from_those_not_entitled(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    url = f"/api/v1/bookings/{world.hidden_booking}"
    booking = app_client.get(url, headers=auth(world.operator)).json()
    changed = app_client.patch(
        url, json={"purpose": "Dolda gränd 7", "version": booking["version"]},
        headers=auth(world.operator),
    )  # fmt: skip
    assert changed.status_code == 200, changed.text
    assessor = token_for(session, Role.ASSESSOR, now=NOW, username="fritext-handlaggare")
    decided = app_client.post(
        f"{url}/assessment", json={"action": "deny", "reason": SECRET}, headers=auth(assessor)
    )
    assert decided.status_code == 200, decided.text
    other = f"/api/v1/bookings/{book(app_client, world.operator, world.hidden, '22')}"
    version = app_client.get(other, headers=auth(world.operator)).json()["version"]
    cancelled = app_client.post(
        f"{other}/cancel", json={"reason": SECRET, "version": version},
        headers=auth(world.operator),
    )  # fmt: skip
    assert cancelled.status_code == 200, cancelled.text
    entitled = token_for(
        session, Role.OPERATOR, now=NOW, username="fritext-behorig", may_see_protected=True
    )
    reads = (
        url,
        f"{url}/events",
        f"{url}/decision-letter",
        other,
        f"{other}/events",
        f"/api/v1/travellers/{world.hidden}/extract",
    )
    for path in reads:
        read = 0
        for token in (world.operator, world.admin, assessor):
            answer = app_client.get(path, headers=auth(token))
            if answer.status_code != 200:
                continue  # a role that may not read it at all
            read += 1
            for secret in (*PROTECTED_SECRETS, "Dolda gränd 7"):
                assert secret not in answer.text, (path, secret)
        assert read, f"no account not entitled read {path}"
    shown = app_client.get(url, headers=auth(world.operator)).json()
    assert shown["purpose"] == HIDDEN_FREE_TEXT
    assert shown["decision"]["assessor"]["reason"] == HIDDEN_FREE_TEXT
    events = app_client.get(f"{other}/events", headers=auth(world.operator)).json()
    cancelling = [e for e in events if e["to_status"] == "cancelled"]
    assert [e["reason"] for e in cancelling] == [HIDDEN_FREE_TEXT]
    assert any(e["reason"].startswith("booked via") for e in events if e["reason"]), (
        "the system's own reasons stay"
    )
    seen = app_client.get(url, headers=auth(entitled)).json()
    assert seen["purpose"] == "Dolda gränd 7"
    assert seen["decision"]["assessor"]["reason"] == SECRET
    told = app_client.get(f"{other}/events", headers=auth(entitled)).json()
    assert any(SECRET in (e["reason"] or "") for e in told)


def test_a_permits_notes_and_a_certificates_reason_are_hidden_likewise(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    permits = f"/api/v1/travellers/{world.hidden}/permits"
    permit = {"kind": "fardtjanst", "principal": "2281", "valid_from": "2026-01-01",
              "notes": SECRET}  # fmt: skip
    assert app_client.post(permits, json=permit, headers=auth(world.operator)).status_code == 201
    issuer = app_client.post(
        "/api/v1/issuers",
        json={"hsa_id": "SE2321000065-F01", "name": "Doktor F01", "unit": "Sundsvalls sjukhus",
              "principal": "22", "course_passed_on": "2026-01-01",
              "certified_until": "2027-12-31"},
        headers=auth(world.admin),
    )  # fmt: skip
    assert issuer.status_code == 201, issuer.text
    certificates = f"/api/v1/travellers/{world.hidden}/certificates"
    body = {"principal": "22", "kind": "single_trip", "modes": ["taxi"],
            "valid_from": "2026-11-20", "valid_until": "2026-12-20",
            "issuer_id": issuer.json()["id"], "reason": SECRET}  # fmt: skip
    issued = app_client.post(certificates, json=body, headers=auth(world.admin))
    assert issued.status_code == 201, issued.text
    entitled = token_for(
        session, Role.OPERATOR, now=NOW, username="fritext-behorig2", may_see_protected=True
    )
    for path in (permits, certificates, f"/api/v1/travellers/{world.hidden}/extract"):
        for token in (world.operator, world.admin):
            answer = app_client.get(path, headers=auth(token))
            if answer.status_code == 200:
                assert "Dolda gränd" not in answer.text and "9998877" not in answer.text, path
    assert "Dolda gränd" not in issued.text
    assert app_client.get(permits, headers=auth(world.operator)).json()[0]["notes"] == (
        HIDDEN_FREE_TEXT
    )
    assert app_client.get(permits, headers=auth(entitled)).json()[0]["notes"] == SECRET
    assert app_client.get(certificates, headers=auth(entitled)).json()[0]["reason"] == SECRET


def test_a_protected_travellers_own_account_is_not_named_to_those_not_entitled(
    app_client: TestClient, session: Session
) -> None:
    """An administrator names the person's own account after them: a probe (2026-12-06)
    read "Gömdsson" beside the traveller id in the account list, /admin, the booking's
    history, the deviation it reported, the audit trail and the registerutdrag."""
    world = build_world(app_client, session)
    own = token_for(session, Role.TRAVELLER, now=NOW, username="hemlig.gomdsson.800101",
                    principals=[], traveller_id=world.hidden,
                    display_name="Hemlig Gömdsson")  # fmt: skip
    url = f"/api/v1/bookings/{world.hidden_booking}"
    version = app_client.get(url, headers=auth(own)).json()["version"]
    cancelled = app_client.post(
        f"{url}/cancel", json={"reason": "sjuk", "version": version}, headers=auth(own)
    )
    assert cancelled.status_code == 200, cancelled.text
    entitled = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="konto-behorig",
                         may_see_protected=True)  # fmt: skip
    reads = (
        "/api/v1/users?limit=500",
        f"{url}/events",
        f"/api/v1/audit?traveller_id={world.hidden}",
        f"/api/v1/travellers/{world.hidden}/extract",
    )
    for path in reads:
        answer = app_client.get(path, headers=auth(world.admin))
        assert answer.status_code == 200, (path, answer.text)
        assert "gomdsson" not in answer.text.lower() and "Gömdsson" not in answer.text, path
        assert SHOWN_AS in answer.text, path
        assert "hemlig.gomdsson" in app_client.get(path, headers=auth(entitled)).text, path
    # Listing the traveller's own account is a read of the traveller: audited.
    listed = session.scalars(
        select(AuditEntry).where(
            AuditEntry.traveller_id == world.hidden, AuditEntry.purpose == "account list"
        )
    ).all()
    assert {e.username for e in listed} >= {"world-admin", "konto-behorig"}
