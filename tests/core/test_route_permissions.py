"""Every route declares the permission it needs; only login, health and the API document
are public. Walks the live route table, so a new route cannot be forgotten."""

from __future__ import annotations

from fastapi.testclient import TestClient

from samfard.access.deps import Public, Require
from samfard.access.routes import api_routes, document_paths

# Logging in and out needs no permission: logout only revokes the token it is sent with.
PUBLIC_PATHS = {
    "/api/v1/auth/token",
    "/api/v1/auth/session",
    "/api/v1/auth/logout",
    "/health",
    "/login",
    "/logout",
    "/mina-resor/logga-in",  # a traveller asks for a one-time code
    "/mina-resor/kod",  # and logs in with it
}
DOCUMENT_PATHS = {"/api/v1/openapi.json", "/api/v1/docs", "/static"}


def test_every_route_declares_exactly_one_permission_or_is_public(app_client: TestClient) -> None:
    routes = api_routes(app_client.app)  # type: ignore[arg-type]
    assert len(routes) > 20
    for route in routes:
        assert len(route.declarations) == 1, f"{route.methods} {route.path}: {route.declarations}"
        if route.path in PUBLIC_PATHS:
            assert isinstance(route.declarations[0], Public), route.path
        else:
            assert isinstance(route.declarations[0], Require), f"{route.path} is public by mistake"
    assert document_paths(app_client.app) == DOCUMENT_PATHS  # type: ignore[arg-type]
