"""The user administration (/admin/anvandare) says in Swedish what is wrong with each field
of a new account and of a change of role, on SQLite and PostgreSQL: never pydantic's or the
service's English, and never a message that blames the wrong thing."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.service import create_user

ENGLISH = ("Input should", "String should", "List should", "should be", "Kontrollera fältet (")


@pytest.fixture
def admin(app_client: TestClient, session: Session) -> TestClient:
    create_user(session=session, username="msg-admin", password=STRONG_PASSWORD,
                role=Role.SYSTEM_ADMIN, now=NOW, principal_codes=["*"])  # fmt: skip
    answer = app_client.post("/login", data=login_form("msg-admin", app_client),
                             follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    return app_client


@pytest.fixture
def analyst(session: Session) -> int:
    """An account whose role the tests try to change."""
    user = create_user(session=session, username="msg-analyst", password=STRONG_PASSWORD,
                       role=Role.ANALYST, now=NOW, principal_codes=["23"])  # fmt: skip
    return user.id


def post(client: TestClient, url: str, fields: dict[str, str]) -> str:
    answer = client.post(url, data=fields | {"csrf_token": client.cookies[CSRF_COOKIE]},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 200, "the page again with the errors, nothing saved"
    for english in ENGLISH:
        assert english not in answer.text, english
    return answer.text


def summary(text: str) -> dict[str, str]:
    """The error summary's messages by the field they link to."""
    block = text.split('class="error-summary"')[1].split("</div>")[0]
    found = re.findall(r'<li><a href="#([\w-]+)">(.*?)</a></li>', block, re.S)
    return {field: html.unescape(message) for field, message in found}


ID_RANGE = "ska vara ett heltal från 1 till 2147483647."
# Fields of an account wrong in one way, and the one message each must get.
WRONG: list[tuple[dict[str, str], dict[str, str]]] = [
    ({"roll": "bogus"}, {"roll": "Välj en roll i listan."}),
    ({"huvudman": "12345678901234567"}, {"huvudman": "Huvudmannens kod får vara högst 16 tecken."}),
    ({"huvudman": ", ".join(["23"] * 41)}, {"huvudman": "Ange högst 40 huvudmän."}),
    ({"roll": "carrier_dispatcher", "utforare": "abc"},
     {"utforare": "Ange utförarens id som ett heltal."}),
    ({"roll": "carrier_dispatcher", "utforare": "0"}, {"utforare": "Utförarens id " + ID_RANGE}),
    ({"roll": "driver", "utforare": "1", "fordon": "x"},
     {"utforare": "Det finns ingen utförare med det id:t.",
      "fordon": "Ange fordonets id som ett heltal."}),
    ({"roll": "traveller", "resenar": "-1"}, {"resenar": "Resenärens id " + ID_RANGE}),
    ({"roll": "carrier_dispatcher"},
     {"utforare": "Ange utförarens id: rollen trafikledare hos utförare behöver det."}),
    ({"roll": "care_issuer"}, {"vardenhet": "Ange vårdenheten: rollen vårdpersonal behöver det."}),
    ({"utforare": "1"},
     {"utforare": "Utförarens id hör inte till rollen analytiker: lämna fältet tomt."}),
]  # fmt: skip


@pytest.mark.parametrize(("wrong", "messages"), WRONG)
def test_a_new_account_with_a_wrong_field_is_told_in_swedish_what_is_wrong(
    admin: TestClient, session: Session, wrong: dict[str, str], messages: dict[str, str]
) -> None:
    fields = {"anvandarnamn": "msg-ny", "losenord": STRONG_PASSWORD, "roll": "analyst",
              "huvudman": "23"} | wrong  # fmt: skip
    assert summary(post(admin, "/admin/anvandare", fields)) == messages
    assert session.scalar(select(User).where(User.username == "msg-ny")) is None


def test_a_username_of_other_characters_is_explained(admin: TestClient) -> None:
    fields = {"anvandarnamn": "åsa", "losenord": STRONG_PASSWORD, "roll": "analyst",
              "huvudman": "23"}  # fmt: skip
    assert summary(post(admin, "/admin/anvandare", fields)) == {
        "anvandarnamn": "Användarnamnet får bara innehålla bokstäver a–z, siffror och . _ @ -."
    }


@pytest.mark.parametrize(("wrong", "messages"), WRONG)
def test_a_change_of_role_with_a_wrong_field_is_told_in_swedish_what_is_wrong(
    admin: TestClient,
    session: Session,
    analyst: int,
    wrong: dict[str, str],
    messages: dict[str, str],
) -> None:
    fields = {"roll": "analyst", "huvudman": "23"} | wrong
    text = post(admin, f"/admin/anvandare/{analyst}/roll", fields)
    assert summary(text) == {f"u{analyst}-{field}": said for field, said in messages.items()}
    session.expire_all()
    stored = session.get(User, analyst)
    assert stored is not None and stored.role == "analyst" and stored.principal_codes == ["23"]
