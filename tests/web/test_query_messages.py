"""No page says what its address says: a message shown as the site's own (the red error,
a green "done", a notice) is the site's fixed Swedish text, picked by a code or a record
the reader may see, never text taken from the query string. The probe of 2026-12-06 sent
links that made the site speak for the sender: `/login?error=Kontot spärrat: ring support
070-…` in the login page's alert, `/admin?klart=…` as a success, `/mina-resor?avbokad=…`
(12 characters) as a cancelled trip, and `/gods?klart=` (120).

The walk below sends a marker in every query parameter of every page without a path
parameter, as each kind of caller, and fails when the marker is in the page's text; it may
stay in a field's value (a search box keeps what was typed)."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, auth, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.web.routes import PAGE_ROUTERS

MARK = "Zq9xW"  # within every parameter's max_length (`erbjudet` takes 6)


class _Text(HTMLParser):
    """A page's text as a reader sees it: no attributes, no scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


STREAMS = {"/trafik/strom"}  # server-sent events for scripts: no page, and they never end


def _query_names(dependant: Dependant) -> set[str]:
    """The query parameters of a route and of its dependencies."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _parameters() -> list[tuple[str, str]]:
    """(path, query parameter) of every GET page without a path parameter."""
    found = []
    for router in PAGE_ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute) or "GET" not in route.methods:
                continue
            if "{" in route.path or route.path in STREAMS:
                continue
            found += [(route.path, name) for name in _query_names(route.dependant)]
    return sorted(set(found) - SEARCHES)


# A search's words come back as the reader's search ("Ingen resenär matchar ”…”"), in
# quotes, never as the site's own statement.
SEARCHES = {
    ("/resenarer", "q"),
    ("/bokning", "q"),
    ("/bokning/resenarer", "q"),
    ("/bokning/platser", "q"),
}


pytestmark = pytest.mark.world_per_module


@pytest.fixture(scope="module")
def callers(module_client: TestClient, module_session: Session) -> dict[str, str]:
    """A bearer token of each kind of caller a page may be for (made once per database;
    each test runs in a savepoint of it)."""
    session = module_session
    admin = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="walk-admin")
    anna = register(module_client, admin)
    made = {
        "admin": admin,
        "operator": token_for(session, Role.OPERATOR, now=NOW, username="walk-op"),
        "analyst": token_for(session, Role.ANALYST, now=NOW, username="walk-an"),
        "care": token_for(
            session, Role.CARE_ISSUER, now=NOW, username="walk-care", care_unit="Avd 1"
        ),
        "driver": token_for(
            session, Role.DRIVER, now=NOW, username="walk-drv", carrier_id=1, vehicle_id=1
        ),
        "traveller": token_for(
            session, Role.TRAVELLER, now=NOW, username="walk-anna", principals=[], traveller_id=anna
        ),
    }
    session.commit()
    return made


@pytest.mark.parametrize(
    ("path", "name"),
    [pytest.param(path, name, id=f"{path}?{name}") for path, name in _parameters()],
)
def test_no_page_shows_the_words_of_its_query_string(
    app_client: TestClient, callers: dict[str, str], path: str, name: str
) -> None:
    """Each parameter alone (one that fails validation would hide the others' echo)."""
    for who, token in callers.items():
        answer = app_client.get(path, params={name: MARK}, headers=auth(token),
                                follow_redirects=False)  # fmt: skip
        assert MARK not in page_text(answer.text), (who, answer.status_code)


def test_the_login_page_shows_no_error_from_its_address(app_client: TestClient) -> None:
    """`/login?error=` put any words in the login page's red alert."""
    said = "Kontot spärrat: ring support 070-1234567"
    page = app_client.get("/login", params={"error": said})
    assert page.status_code == 200
    assert said not in page.text and 'role="alert"' not in page.text
    assert "Du är utloggad." in app_client.get("/login", params={"utloggad": "1"}).text


def test_the_admin_page_confirms_by_code_and_only_what_is_so(
    app_client: TestClient, session: Session
) -> None:
    """A change redirects with a code and the account's id; the page words the code
    itself, of an account the reader administers, as the account now is."""
    root = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="msg-root")
    app_client.post("/login", data=login_form("msg-root", app_client), follow_redirects=False)
    fields = {"anvandarnamn": "msg-new", "losenord": STRONG_PASSWORD, "roll": "analyst",
              "huvudman": "2281", "csrf_token": app_client.cookies[CSRF_COOKIE]}  # fmt: skip
    made = app_client.post("/admin/anvandare", data=fields, follow_redirects=False)
    assert made.status_code == 303, made.text
    user = session.scalar(select(User).where(User.username == "msg-new"))
    assert user is not None
    assert made.headers["location"] == f"/admin?klart=skapat&konto={user.id}"
    assert "Kontot msg-new är skapat." in app_client.get(made.headers["location"]).text
    padmin = token_for(session, Role.PRINCIPAL_ADMIN, now=NOW, username="msg-padmin",
                       principals=["2380"])  # fmt: skip
    for token, query in (
        (padmin, f"klart=skapat&konto={user.id}"),  # an account outside the reader's scope
        (root, f"klart=avaktiverat&konto={user.id}"),  # it is active
        (root, "klart=Kontot spärrat: ring 070-1234567&konto=1"),
    ):
        page = app_client.get(f"/admin?{query}", headers=auth(token))
        assert page.status_code in (200, 422), query
        assert 'class="success"' not in page.text and "msg-new är" not in page.text, query


def test_mina_resor_confirms_only_a_cancelled_trip_of_the_traveller(
    app_client: TestClient, callers: dict[str, str]
) -> None:
    """`?avbokad=` carried the reference and showed any 12 characters as the trip
    cancelled; now it is the trip's id, and only the traveller's own cancelled trip is
    confirmed."""
    for given in ("Spärrad-0701", "1", "2147483647"):
        page = app_client.get("/mina-resor", params={"avbokad": given},
                              headers=auth(callers["traveller"]))  # fmt: skip
        assert page.status_code == 200, page.text
        assert "är avbokad" not in page.text and 'id="besked"' not in page.text, given


def test_the_register_card_confirms_only_its_own_codes(
    app_client: TestClient, callers: dict[str, str]
) -> None:
    """`/resenarer/{id}?sparat=` with a code of its own says what was saved; any other said
    "Ändringarna är sparade." though nothing was."""
    admin = callers["admin"]
    found = app_client.get("/api/v1/travellers", params={"q": "Testsson"}, headers=auth(admin))
    traveller = found.json()["items"][0]
    card = f"/resenarer/{traveller['id']}"
    saved = app_client.get(card, params={"sparat": "uppgifter"}, headers=auth(admin))
    assert 'id="sparat"' in saved.text and "Ändringarna är sparade." in saved.text
    other = app_client.get(card, params={"sparat": "spärrat"}, headers=auth(admin))
    assert other.status_code == 200
    assert 'id="sparat"' not in other.text and "sparade" not in page_text(other.text)
