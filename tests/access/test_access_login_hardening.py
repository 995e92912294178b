"""Login against guessing and tricks: forwarded addresses believed only from configured
proxies, the same password work for unknown and known usernames, a login-CSRF token on
login forms, and bearer tokens that live a working day (a setting)."""

from __future__ import annotations

import dataclasses
import re
from datetime import timedelta
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, token_for
from samfard.access import service
from samfard.access.deps import SESSION_COOKIE
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.models import ApiToken, User
from samfard.access.permissions import Role
from samfard.access.ratelimit import LoginLimiter, RateLimit, SlidingWindowLimiter
from samfard.cli.core import uvicorn_proxy_options
from samfard.config import Settings
from samfard.errors import InputError

PER_ADDRESS = 3  # a small window keeps the test short; the default is 20 a minute


def _served_as_by_samfard_serve(client: TestClient, settings: Settings) -> TestClient:
    """The application wrapped the way `samfard serve` has uvicorn wrap it, called from
    127.0.0.1 (a process on the same machine, which uvicorn's own default trusts)."""
    window = timedelta(minutes=1)
    client.app.state.login_limiter = LoginLimiter(  # type: ignore[attr-defined]
        per_address=SlidingWindowLimiter(RateLimit(PER_ADDRESS, window)),
        per_username=SlidingWindowLimiter(RateLimit(PER_ADDRESS, window)),
    )
    config = uvicorn.Config(client.app, **uvicorn_proxy_options(settings))
    config.load()
    return TestClient(config.loaded_app, client=("127.0.0.1", 50000))


def _attempts(client: TestClient, forwarded: list[str]) -> list[int]:
    return [
        client.post(
            "/api/v1/auth/token",
            json={"username": f"guess{i}", "password": "wrong-password-1"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for i, address in enumerate(forwarded)
    ]


def test_rotating_x_forwarded_for_does_not_dodge_the_address_limit(
    app_client: TestClient, settings: Settings
) -> None:
    client = _served_as_by_samfard_serve(app_client, settings)  # no trusted proxies
    rotating = [f"203.0.113.{i}" for i in range(PER_ADDRESS + 1)]
    assert _attempts(client, rotating) == [401] * PER_ADDRESS + [429]


def test_a_configured_proxy_is_believed(app_client: TestClient, settings: Settings) -> None:
    proxied = dataclasses.replace(settings, trusted_proxies=("127.0.0.1",))
    client = _served_as_by_samfard_serve(app_client, proxied)
    rotating = [f"203.0.113.{i}" for i in range(PER_ADDRESS + 1)]
    assert _attempts(client, rotating) == [401] * (PER_ADDRESS + 1)  # distinct clients
    assert _attempts(client, ["198.51.100.7"] * (PER_ADDRESS + 1))[-1] == 429


def test_proxies_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMFARD_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")
    settings = Settings.from_env()
    assert settings.trusted_proxies == ("10.0.0.5", "10.0.0.6")
    assert uvicorn_proxy_options(settings)["forwarded_allow_ips"] == "10.0.0.5,10.0.0.6"
    monkeypatch.delenv("SAMFARD_TRUSTED_PROXIES")
    assert uvicorn_proxy_options(Settings.from_env())["proxy_headers"] is False


def test_every_login_attempt_costs_one_password_hash(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unknown, inactive, locked and known usernames do the same work, so the time of the
    answer does not tell which usernames exist (measured: 2-9 ms against 215-292 ms)."""
    token_for(session, Role.OPERATOR, now=NOW, username="known")
    token_for(session, Role.OPERATOR, now=NOW, username="gone")
    token_for(session, Role.OPERATOR, now=NOW, username="locked")
    gone = session.scalars(select(User).where(User.username == "gone")).one()
    gone.active = False
    locked = session.scalars(select(User).where(User.username == "locked")).one()
    locked.locked_until = NOW + timedelta(minutes=5)
    session.flush()
    hashed: list[str] = []
    real = service.verify_password

    def counting(stored: str, password: str) -> bool:
        hashed.append(stored)
        return real(stored, password)

    monkeypatch.setattr(service, "verify_password", counting)
    for username in ("nobody", "gone", "locked", "known"):
        with pytest.raises(service.Unauthenticated):
            service.login(
                session=session,
                username=username,
                password="wrong-password-1",
                kind="bearer",
                now=NOW,
            )
    assert len(hashed) == 4
    assert all(h.startswith("$argon2id$") for h in hashed)  # the same algorithm and cost
    assert len({h.split("$")[3] for h in hashed}) == 1


def _login_page(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the login form carries a csrf_token field"
    assert client.cookies.get(LOGIN_CSRF_COOKIE) == match.group(1)
    return match.group(1)


def test_login_form_needs_the_token_of_this_sites_login_page(
    app_client: TestClient, session: Session
) -> None:
    token_for(session, Role.OPERATOR, now=NOW, username="desk")
    form = {"username": "desk", "password": STRONG_PASSWORD}
    forged = app_client.post("/login", data=form, follow_redirects=False)
    assert forged.status_code == 403
    assert SESSION_COOKIE not in forged.cookies
    token = _login_page(app_client)
    wrong = app_client.post(
        "/login", data=form | {"csrf_token": token + "x"}, follow_redirects=False
    )
    assert wrong.status_code == 403
    good = app_client.post("/login", data=form | {"csrf_token": token}, follow_redirects=False)
    assert good.status_code == 303, good.text
    assert SESSION_COOKIE in good.cookies


def test_api_session_login_by_form_needs_the_token_too(
    app_client: TestClient, session: Session
) -> None:
    token_for(session, Role.OPERATOR, now=NOW, username="desk")
    form = {"username": "desk", "password": STRONG_PASSWORD}
    app_client.cookies.clear()
    forged = app_client.post("/api/v1/auth/session", data=form)
    assert forged.status_code == 403
    assert forged.headers["content-type"] == "application/problem+json"
    assert forged.json()["field"] == "csrf_token"
    token = _login_page(app_client)
    good = app_client.post("/api/v1/auth/session", data=form | {"csrf_token": token})
    assert good.status_code == 200, good.text
    as_json = app_client.post("/api/v1/auth/session", json=form)  # JSON cannot be forged
    assert as_json.status_code == 200


def _bearer(client: TestClient) -> dict[str, Any]:
    answer = client.post(
        "/api/v1/auth/token", json={"username": "desk", "password": STRONG_PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_bearer_tokens_live_twelve_hours_or_as_configured(
    app_client: TestClient, session: Session, settings: Settings
) -> None:
    token_for(session, Role.OPERATOR, now=NOW, username="desk")
    assert _bearer(app_client)["expires_in"] == 12 * 3600
    app_client.app.state.settings = dataclasses.replace(settings, bearer_token_hours=2)  # type: ignore[attr-defined]
    assert _bearer(app_client)["expires_in"] == 2 * 3600
    stored = session.scalars(select(ApiToken).where(ApiToken.kind == "bearer")).all()
    lifetimes = {t.expires_at - t.created_at for t in stored}
    assert {timedelta(hours=2), timedelta(hours=12)} <= lifetimes
    with pytest.raises(InputError):
        dataclasses.replace(settings, bearer_token_hours=24 * 31)


DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/auth/session"])
@pytest.mark.parametrize("body", [DEEP, DEEP.replace("][", '["\\u0000"][', 1)])
def test_json_nested_thousands_deep_is_refused_as_bad_input(
    app_client: TestClient, path: str, body: str
) -> None:
    """Parsing it ran out of stack: a 500 in plain text (the probe of the seventh session of
    2026-12-06); also with a NUL inside, which the application-wide check reads first."""
    answer = app_client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert "send username and password as JSON" in answer.json()["detail"]
