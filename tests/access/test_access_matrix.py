"""The authorisation matrix, generated from the live route table: for every role and every
route, the answer is 403 exactly when the role lacks the route's permission. A route added
later is covered without touching this file."""

from __future__ import annotations

import re

from access_world import build_world, role_token
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, auth
from samfard.access.permissions import ROLE_PERMISSIONS, Role
from samfard.access.routes import api_routes
from samfard.access.service import create_user

PARAM = re.compile(r"{(\w+)(?::\w+)?}")
LACKS = "lacks the permission"


def test_each_role_is_refused_exactly_the_routes_whose_permission_it_lacks(
    app_client: TestClient, session: Session
) -> None:
    world = build_world(app_client, session)
    victim = create_user(
        session=session,
        username="matrix-victim",
        password=STRONG_PASSWORD,
        role=Role.ANALYST,
        now=NOW,
        principal_codes=["23"],
    )
    ids = {"traveller_id": world.anna, "booking_id": world.anna_booking, "user_id": victim.id}
    routes = [r for r in api_routes(app_client.app) if r.permission is not None]  # type: ignore[arg-type]
    assert len(routes) > 20
    refused = granted = 0
    for role in Role:
        token = role_token(session, role, traveller_id=world.anna)
        for route in routes:
            path = PARAM.sub(lambda m: str(ids.get(m.group(1), 1)), route.path)
            for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                body = {} if method in {"POST", "PUT", "PATCH"} else None
                response = app_client.request(method, path, json=body, headers=auth(token))
                allowed = route.permission in ROLE_PERMISSIONS[role]
                where = f"{role.value} {method} {route.path}: {response.text[:200]}"
                if allowed:
                    assert response.status_code != 403, where
                    granted += 1
                else:
                    assert response.status_code == 403, where
                    # The API answers problem+json; a page answers its error page in the shell.
                    detail = (
                        response.json()["detail"] if path.startswith("/api/") else response.text
                    )
                    assert LACKS in detail, where
                    refused += 1
    # Both outcomes really occur, and every (role, route) pair was called.
    assert refused > 0 and granted > 0
    assert refused + granted >= len(Role) * len(routes)
