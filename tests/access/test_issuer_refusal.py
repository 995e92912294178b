"""A certificate from an uncertified issuer is refused by the issuer's id, not by their
name and HSA id: the register of issuers is read only with issuers:admin, and an assessor
who walked the ids through the register API read the names, HSA ids and lapse dates of
another region's staff (probe of 2026-12-07). SQLite and PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, auth, register, token_for
from samfard.access.permissions import Role

HSA = "SE2321000065-LAPSED"
NAME = "Doktor Förfluten"


def test_an_uncertified_issuer_is_refused_without_their_name_or_hsa_id(
    app_client: TestClient, session: Session
) -> None:
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="issuer-admin")
    assessor = token_for(session, Role.ASSESSOR, now=NOW, username="issuer-walker")
    operator = token_for(session, Role.OPERATOR, now=NOW, username="issuer-desk")
    lapsed = app_client.post(
        "/api/v1/issuers",
        json={"hsa_id": HSA, "name": NAME, "unit": "Sundsvalls sjukhus", "principal": "22",
              "course_passed_on": "2024-01-10", "certified_until": "2025-01-10"},
        headers=auth(admin),
    )  # fmt: skip
    assert lapsed.status_code == 201, lapsed.text
    issuer_id = lapsed.json()["id"]
    assert app_client.get("/api/v1/issuers", headers=auth(assessor)).status_code == 403
    traveller = register(app_client, operator)
    refused = app_client.post(
        f"/api/v1/travellers/{traveller}/certificates",
        json={"principal": "22", "kind": "single_trip", "modes": ["taxi"],
              "valid_from": "2026-11-20", "valid_until": "2026-11-21", "issuer_id": issuer_id},
        headers=auth(assessor),
    )  # fmt: skip
    assert refused.status_code == 403, refused.text
    assert f"issuer {issuer_id} certification lapsed on 2025-01-10" in refused.json()["detail"]
    assert NAME not in refused.text and HSA not in refused.text
