"""Page sessions (secure HTTP-only SameSite=Strict cookie, CSRF double submit), logout,
login rate limiting per address and per username (429 with Retry-After), and the lockout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, auth, token_for
from samfard.access.deps import CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.permissions import Role
from samfard.access.ratelimit import RateLimit, RateLimitExceeded, SlidingWindowLimiter
from samfard.clock import FixedClock
from samfard.config import Settings
from samfard.errors import InputError


@pytest.fixture
def operator(session: Session) -> str:
    return token_for(session, Role.OPERATOR, now=NOW, username="desk")


def login_page(client: TestClient, **body: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/session", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_page_login_sets_a_secure_http_only_strict_cookie_and_a_csrf_token(
    app_client: TestClient, operator: str, settings: Settings
) -> None:
    app_client.get("/login")  # a form needs the login page's token (login CSRF)
    response = app_client.post(
        "/api/v1/auth/session",
        data={  # an HTML form
            "username": "desk",
            "password": STRONG_PASSWORD,
            "csrf_token": app_client.cookies[LOGIN_CSRF_COOKIE],
        },
    )
    assert response.status_code == 200, response.text
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    session_cookie = next(c for c in cookies if c.startswith(SESSION_COOKIE + "="))
    csrf_cookie = next(c for c in cookies if c.startswith(CSRF_COOKIE + "="))
    assert "httponly" in session_cookie.lower()
    assert "samesite=strict" in session_cookie.lower()
    assert "httponly" not in csrf_cookie.lower()  # the page script must read it
    assert response.json()["csrf_token"] in csrf_cookie
    assert response.json()["role"] == "operator"
    # Secure is on by default; the test settings turn it off for plain-HTTP TestClient.
    app_client.app.state.settings = Settings(database_url=settings.database_url)  # type: ignore[attr-defined]
    secure = app_client.post(
        "/api/v1/auth/session", json={"username": "desk", "password": STRONG_PASSWORD}
    )
    assert "secure" in secure.headers["set-cookie"].lower()


def test_cookie_session_reads_freely_but_writes_only_with_the_csrf_header(
    app_client: TestClient, operator: str
) -> None:
    csrf = login_page(app_client, username="desk", password=STRONG_PASSWORD)["csrf_token"]
    assert app_client.get("/api/v1/travellers?q=Anna").status_code == 200  # GET: no CSRF
    refused = app_client.post("/api/v1/travellers", json=ANNA)
    assert refused.status_code == 403
    assert refused.json()["field"] == CSRF_HEADER
    wrong = app_client.post("/api/v1/travellers", json=ANNA, headers={CSRF_HEADER: "0" * 64})
    assert wrong.status_code == 403
    accepted = app_client.post("/api/v1/travellers", json=ANNA, headers={CSRF_HEADER: csrf})
    assert accepted.status_code == 201, accepted.text


def test_bearer_requests_need_no_csrf_token(app_client: TestClient, operator: str) -> None:
    response = app_client.post("/api/v1/travellers", json=ANNA, headers=auth(operator))
    assert response.status_code == 201, response.text


def test_logout_revokes_the_session_and_clears_the_cookies(
    app_client: TestClient, operator: str
) -> None:
    csrf = login_page(app_client, username="desk", password=STRONG_PASSWORD)["csrf_token"]
    assert app_client.post("/api/v1/auth/logout").status_code == 403  # CSRF applies here too
    kept = app_client.cookies.get(SESSION_COOKIE)
    assert app_client.post("/api/v1/auth/logout", headers={CSRF_HEADER: csrf}).status_code == 204
    assert app_client.cookies.get(SESSION_COOKIE) is None
    assert kept is not None
    app_client.cookies.set(SESSION_COOKIE, kept)
    replay = app_client.get("/api/v1/travellers")
    assert replay.status_code == 401


def test_bearer_logout_revokes_the_token(app_client: TestClient, operator: str) -> None:
    assert app_client.post("/api/v1/auth/logout", headers=auth(operator)).status_code == 204
    assert app_client.get("/api/v1/travellers", headers=auth(operator)).status_code == 401


def test_lockout_after_five_failures_refuses_even_the_right_password_for_15_minutes(
    app_client: TestClient, operator: str, clock: FixedClock
) -> None:
    for _ in range(5):
        wrong = app_client.post(
            "/api/v1/auth/token", json={"username": "desk", "password": "wrong-password-1"}
        )
        assert wrong.status_code == 401
    right = {"username": "desk", "password": STRONG_PASSWORD}
    locked = app_client.post("/api/v1/auth/token", json=right)
    assert locked.status_code == 401
    assert "locked" in locked.json()["detail"]
    clock.advance(timedelta(minutes=16))
    assert app_client.post("/api/v1/auth/token", json=right).status_code == 200


def test_rate_limit_per_username_answers_429_with_retry_after(
    app_client: TestClient, operator: str, clock: FixedClock
) -> None:
    """Ten attempts a minute for one username, then 429 whatever the password; the
    window slides, so a minute later logins work again."""
    body = {"username": "nobody-here", "password": "whatever-123"}
    for _ in range(10):
        assert app_client.post("/api/v1/auth/token", json=body).status_code == 401
    limited = app_client.post("/api/v1/auth/token", json=body)
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.json()["field"] == "username"
    # Another username from the same address is still served.
    other = {"username": "desk", "password": STRONG_PASSWORD}
    assert app_client.post("/api/v1/auth/token", json=other).status_code == 200
    clock.advance(timedelta(seconds=61))
    assert app_client.post("/api/v1/auth/token", json=body).status_code == 401


def test_rate_limit_per_address_covers_every_username(
    app_client: TestClient, operator: str
) -> None:
    for i in range(20):
        body = {"username": f"guess-{i}", "password": "whatever-123"}
        assert app_client.post("/api/v1/auth/session", json=body).status_code == 401
    limited = app_client.post(
        "/api/v1/auth/session", json={"username": "desk", "password": STRONG_PASSWORD}
    )
    assert limited.status_code == 429
    assert limited.json()["field"] == "address"


def test_right_passwords_do_not_use_up_the_windows(app_client: TestClient, operator: str) -> None:
    """A centre's operators log in from the office's one address: 25 logins within a minute
    (beyond both the address's 20 and the username's 10) all succeed, while wrong
    passwords are still limited."""
    right = {"username": "desk", "password": STRONG_PASSWORD}
    answers = [app_client.post("/api/v1/auth/session", json=right).status_code for _ in range(25)]
    assert answers == [200] * 25
    wrong = {"username": "nobody-here", "password": "whatever-123"}
    for _ in range(10):
        assert app_client.post("/api/v1/auth/token", json=wrong).status_code == 401
    assert app_client.post("/api/v1/auth/token", json=wrong).status_code == 429


def test_sliding_window_forgets_attempts_older_than_the_window() -> None:
    limiter = SlidingWindowLimiter(RateLimit(2, timedelta(seconds=10)))
    limiter.hit("k", now=NOW, what="address")
    limiter.hit("k", now=NOW + timedelta(seconds=5), what="address")
    with pytest.raises(RateLimitExceeded) as refused:
        limiter.hit("k", now=NOW + timedelta(seconds=6), what="address")
    assert refused.value.retry_after == 4  # the first attempt leaves the window at 10 s
    limiter.hit("k", now=NOW + timedelta(seconds=10), what="address")
    limiter.hit("other", now=NOW + timedelta(seconds=10), what="address")


def test_a_taken_back_attempt_frees_its_place_in_the_window() -> None:
    limiter = SlidingWindowLimiter(RateLimit(1, timedelta(seconds=10)))
    limiter.hit("k", now=NOW, what="address")
    limiter.take_back("k", at=NOW + timedelta(seconds=1))  # no attempt then: nothing changes
    with pytest.raises(RateLimitExceeded):
        limiter.hit("k", now=NOW + timedelta(seconds=2), what="address")
    limiter.take_back("k", at=NOW)
    limiter.hit("k", now=NOW + timedelta(seconds=2), what="address")


def test_rate_limit_parameters_are_validated() -> None:
    with pytest.raises(InputError, match="attempts"):
        RateLimit(0, timedelta(seconds=1))
    with pytest.raises(InputError, match="window"):
        RateLimit(1, timedelta(0))


def test_login_with_a_malformed_body_is_a_422_naming_the_field(app_client: TestClient) -> None:
    response = app_client.post(
        "/api/v1/auth/session", content=b"not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "username"


@pytest.mark.parametrize("path", ["/api/v1/auth/session", "/api/v1/auth/token"])
@pytest.mark.parametrize(
    "media", ["text/plain", "application/vnd.api+json", "multipart/form-data", None]
)
def test_a_login_sent_as_another_site_could_send_it_is_refused(
    app_client: TestClient, operator: str, path: str, media: str | None
) -> None:
    """A form of enctype text/plain on another site writes `{"username": ..., "password":
    ...}` and posts it without any CORS consent: taken as JSON, it logged the visitor into
    the other site's account (login CSRF). Only application/json and the login page's own
    form are read; multipart was a 500 (its stream was used up before the login read it)."""
    document = b'{"username": "desk", "password": "' + STRONG_PASSWORD.encode() + b'"}'
    if media == "multipart/form-data":
        response = app_client.post(path, files={"username": (None, "desk")})
    else:
        headers = {"content-type": media} if media else {}
        response = app_client.post(path, content=document, headers=headers)
    assert response.status_code == 422, response.text
    assert "application/json" in response.json()["detail"]
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
