"""The users admin API: the password policy, a principal administrator confined to their
own principals, deactivation revoking tokens at once, and the `samfard user create` CLI."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, auth, token_for
from samfard.access.permissions import Role


@pytest.fixture
def admin(session: Session) -> str:
    return token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="root")


@pytest.fixture
def ostersund_admin(session: Session) -> str:
    return token_for(
        session, Role.PRINCIPAL_ADMIN, now=NOW, username="ost-admin", principals=["2380"]
    )


def new_user(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "username": "kalle",
        "password": STRONG_PASSWORD,
        "role": "operator",
        "principal_codes": ["2380"],
    }
    body.update(changes)
    return body


def test_admin_creates_lists_and_the_new_user_can_log_in(
    app_client: TestClient, admin: str
) -> None:
    created = app_client.post("/api/v1/users", json=new_user(), headers=auth(admin))
    assert created.status_code == 201, created.text
    assert "password" not in created.text and "hash" not in created.text
    listed = app_client.get("/api/v1/users", headers=auth(admin)).json()
    assert "kalle" in [u["username"] for u in listed["items"]]
    login = app_client.post(
        "/api/v1/auth/token", json={"username": "kalle", "password": STRONG_PASSWORD}
    )
    assert login.status_code == 200


@pytest.mark.parametrize(
    ("password", "why"), [("short-1", "at least 12"), ("onlyletterslong", "mix letters")]
)
def test_password_policy_is_enforced_with_a_message_naming_the_rule(
    app_client: TestClient, admin: str, password: str, why: str
) -> None:
    response = app_client.post(
        "/api/v1/users", json=new_user(password=password), headers=auth(admin)
    )
    assert response.status_code == 422
    assert response.json()["field"] == "password"
    assert why in response.json()["detail"]


def test_duplicate_username_is_a_conflict(app_client: TestClient, admin: str) -> None:
    """Also a name that differs only in capitals: the audit trail names accounts by it."""
    assert app_client.post("/api/v1/users", json=new_user(), headers=auth(admin)).status_code == 201
    assert app_client.post("/api/v1/users", json=new_user(), headers=auth(admin)).status_code == 409
    shouted = app_client.post("/api/v1/users", json=new_user(username="KALLE"), headers=auth(admin))
    assert shouted.status_code == 409, shouted.text


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"role": "system_admin", "principal_codes": ["22"]}, "administers every principal"),
        ({"role": "system_admin", "principal_codes": ["22", "23"]}, "administers every"),
        ({"principal_codes": ["2380", "2380"]}, "once"),
        ({"principal_codes": ["*", "2380"]}, "alone"),
    ],
)
def test_a_scope_is_each_principal_once_and_a_system_administrator_is_everyones(
    app_client: TestClient, admin: str, changes: dict[str, Any], said: str
) -> None:
    """A system administrator of principal 22 could still make a `*` system administrator
    and hand out carriers' accounts (the probe of the seventh session of 2026-12-06)."""
    response = app_client.post("/api/v1/users", json=new_user(**changes), headers=auth(admin))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "principal_codes"
    assert said in response.json()["detail"]


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "system_admin", "principal_codes": ["*"]},
        {"role": "driver", "principal_codes": [], "carrier_id": 1, "vehicle_id": 1},
        {"principal_codes": ["23"]},
    ],
)
def test_a_system_administrator_of_one_principal_grants_only_within_it(
    app_client: TestClient, session: Session, changes: dict[str, Any]
) -> None:
    """Such an account, made before its scope was refused, grants as a principal
    administrator of its principals does."""
    narrow = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="root22", principals=["22"])
    response = app_client.post("/api/v1/users", json=new_user(**changes), headers=auth(narrow))
    assert response.status_code == 403, response.text
    within = app_client.post(
        "/api/v1/users", json=new_user(principal_codes=["22"]), headers=auth(narrow)
    )
    assert within.status_code == 201, within.text


def test_a_principal_administrator_never_sees_a_system_administrator(
    app_client: TestClient, session: Session, admin: str
) -> None:
    """Not even one scoped inside their principals: the probe deactivated one."""
    padmin = token_for(
        session, Role.PRINCIPAL_ADMIN, now=NOW, username="admin22", principals=["22"]
    )
    token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="root22", principals=["22"])
    listed = app_client.get("/api/v1/users", headers=auth(padmin)).json()["items"]
    assert "root22" not in [u["username"] for u in listed]
    root22 = next(
        u["id"]
        for u in app_client.get("/api/v1/users", headers=auth(admin)).json()["items"]
        if u["username"] == "root22"
    )
    off = app_client.post(f"/api/v1/users/{root22}/deactivate", headers=auth(padmin))
    assert off.status_code == 404, off.text


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principal_codes": ["2281"]}, "principal_codes"),
        ({"principal_codes": ["*"]}, "principal_codes"),
        ({"principal_codes": []}, "principal_codes"),
        ({"role": "system_admin"}, "role"),
        ({"may_see_protected": True}, "may_see_protected"),
    ],
)
def test_principal_admin_cannot_grant_beyond_their_own_scope(
    app_client: TestClient, ostersund_admin: str, changes: dict[str, Any], field: str
) -> None:
    response = app_client.post(
        "/api/v1/users", json=new_user(**changes), headers=auth(ostersund_admin)
    )
    assert response.status_code == 403, response.text
    assert response.json()["field"] == field


def test_principal_admin_sees_and_deactivates_only_their_principals_users(
    app_client: TestClient, session: Session, admin: str, ostersund_admin: str
) -> None:
    mine = app_client.post("/api/v1/users", json=new_user(), headers=auth(ostersund_admin)).json()
    theirs = app_client.post(
        "/api/v1/users",
        json=new_user(username="sune", principal_codes=["2281"]),
        headers=auth(admin),
    ).json()
    names = [
        u["username"]
        for u in app_client.get("/api/v1/users", headers=auth(ostersund_admin)).json()["items"]
    ]
    assert "kalle" in names and "sune" not in names and "root" not in names
    outside = app_client.post(
        f"/api/v1/users/{theirs['id']}/deactivate", headers=auth(ostersund_admin)
    )
    assert outside.status_code == 404  # the same answer as for an id that does not exist
    done = app_client.post(f"/api/v1/users/{mine['id']}/deactivate", headers=auth(ostersund_admin))
    assert done.status_code == 200 and done.json()["active"] is False


def test_deactivation_revokes_existing_tokens_and_refuses_new_logins(
    app_client: TestClient, session: Session, admin: str
) -> None:
    token = token_for(session, Role.OPERATOR, now=NOW, username="leaving")
    assert app_client.get("/api/v1/travellers?q=Anna", headers=auth(token)).status_code == 200
    user_id = next(
        u["id"]
        for u in app_client.get("/api/v1/users", headers=auth(admin)).json()["items"]
        if u["username"] == "leaving"
    )
    assert (
        app_client.post(f"/api/v1/users/{user_id}/deactivate", headers=auth(admin)).status_code
        == 200
    )
    assert app_client.get("/api/v1/travellers?q=Anna", headers=auth(token)).status_code == 401
    login = app_client.post(
        "/api/v1/auth/token", json={"username": "leaving", "password": STRONG_PASSWORD}
    )
    assert login.status_code == 401


def test_scoped_roles_must_name_their_scope(app_client: TestClient, admin: str) -> None:
    for role, field in (
        ("driver", "carrier_id"),
        ("carrier_dispatcher", "carrier_id"),
        ("care_issuer", "care_unit"),
        ("traveller", "traveller_id"),
    ):
        response = app_client.post(
            "/api/v1/users", json=new_user(username=f"u-{role}", role=role), headers=auth(admin)
        )
        assert response.status_code == 422, role
        assert response.json()["field"] == field
