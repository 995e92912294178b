"""Nothing personal stays in a cache: every answer but the static assets carries
`Cache-Control: no-store` (set once, by the application's middleware), so a browser at a
shared desk or a proxy on the way keeps no registerutdrag, card, Mina resor page or
report file. The probe of 2026-12-06 found the header on none of 285 answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, auth, token_for
from samfard.access.permissions import Role
from samfard.app import WEB_STATIC


def _no_store(answer: Response) -> None:
    assert answer.headers.get("cache-control") == "no-store", (
        answer.request.url,
        answer.status_code,
        answer.headers.get("cache-control"),
    )


@pytest.fixture
def admin(session: Session) -> str:
    return token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="cache-admin")


@pytest.fixture
def anna(app_client: TestClient, admin: str) -> int:
    made = app_client.post("/api/v1/travellers", json=ANNA, headers=auth(admin))
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


def test_api_answers_are_not_stored(app_client: TestClient, admin: str, anna: int) -> None:
    for url in (f"/api/v1/travellers/{anna}", f"/api/v1/travellers/{anna}/extract"):
        answer = app_client.get(url, headers=auth(admin))
        assert answer.status_code == 200, answer.text
        _no_store(answer)
    _no_store(app_client.get("/api/v1/travellers/987654", headers=auth(admin)))  # a 404 too
    _no_store(app_client.post("/api/v1/auth/token", json={"username": "x", "password": "y"}))


def test_pages_and_their_redirects_are_not_stored(
    app_client: TestClient, admin: str, anna: int
) -> None:
    page = app_client.get(f"/resenarer/{anna}", headers=auth(admin))
    assert page.status_code == 200 and "Testsson" in page.text
    _no_store(page)
    _no_store(app_client.get("/login"))
    _no_store(app_client.get("/", follow_redirects=False))  # 303 to /login


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/reports/monthly?month=2026-10&principal=23&format=csv",
        "/uppfoljning/manadsrapport.xlsx?manad=2026-10&huvudman=23",
        "/uppfoljning/manadsrapport.pdf?manad=2026-10&huvudman=23",
    ],
)
def test_downloaded_files_are_not_stored(app_client: TestClient, admin: str, url: str) -> None:
    answer = app_client.get(url, headers=auth(admin))
    assert answer.status_code == 200, answer.text
    assert "attachment" in answer.headers.get("content-disposition", "") or url.endswith("csv")
    _no_store(answer)


def test_static_assets_keep_their_caching(app_client: TestClient) -> None:
    """Scripts, styles and the vendored libraries hold no person: left to the static
    files' own validators (ETag, Last-Modified), never told not to be stored."""
    assets = [*sorted(WEB_STATIC.rglob("*.css"))[:2], WEB_STATIC / "api-docs.js"]
    for asset in assets:
        url = "/static/" + asset.relative_to(WEB_STATIC).as_posix()
        answer = app_client.get(url)
        assert answer.status_code == 200, url
        assert "no-store" not in answer.headers.get("cache-control", ""), url
        assert answer.headers.get("etag"), url
