"""Byt lösenord in Mina resor, over HTTP on SQLite and PostgreSQL: a traveller who logs in
with a password changes it as staff do on /konto/losenord (the same form, the same service,
the same lockout), from a link on every page of theirs. A traveller's login opens only Mina
resor, so they had no way to change it at all."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import ANNA, NOW, STRONG_PASSWORD, login_form, register, token_for
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import AuditEntry, User
from samfard.access.permissions import Role
from samfard.access.service import create_user, login

PAGE = "/mina-resor/losenord"
NEW = "nytt-losenord-2026"


@pytest.fixture
def anna(app_client: TestClient, session: Session) -> User:
    """Anna's traveller account, logged in with its password in `app_client`."""
    staff = token_for(session, Role.OPERATOR, now=NOW, username="pw-mp-operator")
    traveller = register(app_client, staff, ANNA)
    account = create_user(session=session, username="pw-anna", password=STRONG_PASSWORD,
                          role=Role.TRAVELLER, now=NOW, traveller_id=traveller)  # fmt: skip
    landed = app_client.post("/login", data=login_form("pw-anna", app_client),
                             follow_redirects=False)  # fmt: skip
    assert landed.headers["location"] == "/mina-resor"
    return account


def _summary(text: str) -> dict[str, str]:
    block = text.split('class="error-summary"')[1].split("</div>")[0]
    found = re.findall(r'<li><a href="#([\w-]+)">(.*?)</a></li>', block, re.S)
    return {field: html.unescape(message) for field, message in found}


def _post(client: TestClient, **fields: str) -> str:
    answer = client.post(PAGE, data=fields | {"csrf_token": client.cookies[CSRF_COOKIE]})
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_traveller_changes_their_password_in_mina_resor(
    app_client: TestClient, session: Session, anna: User
) -> None:
    """Linked from Mina resor; every problem of the form at once; a wrong current password
    counted as a failed login; done, still logged in here, the new password logs in and
    the change is in the traveller's audit trail."""
    assert f'href="{PAGE}">Byt lösenord</a>' in app_client.get("/mina-resor").text
    page = app_client.get(PAGE).text
    for label in ("Nuvarande lösenord", "Nytt lösenord", "Nytt lösenord igen"):
        assert f">{label}</label>" in page
    assert f'action="{PAGE}"' in page and 'href="/mina-resor">Tillbaka till Mina resor' in page
    assert _summary(_post(app_client, nytt=NEW, nytt_igen="annat-losen-1")) == {
        "nuvarande": "Skriv ditt nuvarande lösenord.",
        "nytt-igen": "Skriv samma nya lösenord två gånger.",
    }
    wrong = _post(app_client, nuvarande="fel-fel-fel-1", nytt=NEW, nytt_igen=NEW)
    assert list(_summary(wrong)) == ["nuvarande"]
    assert session.get(User, anna.id).failed_logins == 1  # type: ignore[union-attr]
    weak = _post(app_client, nuvarande=STRONG_PASSWORD, nytt="kort", nytt_igen="kort")
    assert list(_summary(weak)) == ["nytt"]
    done = _post(app_client, nuvarande=STRONG_PASSWORD, nytt=NEW, nytt_igen=NEW)
    assert "Lösenordet är bytt." in done
    assert app_client.get("/mina-resor").status_code == 200, "still logged in here"
    assert login(session=session, username="pw-anna", password=NEW, kind="session", now=NOW)
    trail = session.scalars(
        select(AuditEntry.action).where(AuditEntry.traveller_id == anna.traveller_id)
    ).all()
    assert "password_change" in trail


def test_five_wrong_current_passwords_lock_a_travellers_account(
    app_client: TestClient, anna: User
) -> None:
    """The login's limit holds on this form too: the right password is then refused."""
    for n in range(5):
        _post(app_client, nuvarande=f"gissning-{n}-x", nytt=NEW, nytt_igen=NEW)
    locked = _post(app_client, nuvarande=STRONG_PASSWORD, nytt=NEW, nytt_igen=NEW)
    assert "Kontot är låst i 15 minuter" in _summary(locked)["nuvarande"]


def test_each_kind_of_account_changes_its_password_on_its_own_page(
    app_client: TestClient, session: Session, anna: User
) -> None:
    """A traveller's login opens no staff page; a staff account is sent from Mina resor."""
    assert app_client.get("/konto/losenord").status_code == 403
    create_user(session=session, username="pw-mp-desk", password=STRONG_PASSWORD,
                role=Role.OPERATOR, now=NOW, principal_codes=["*"])  # fmt: skip
    app_client.post("/login", data=login_form("pw-mp-desk", app_client))
    refused = app_client.get(PAGE)
    assert refused.status_code == 403 and "Byt ditt lösenord på /konto/losenord" in refused.text
    assert 'href="/konto/losenord">Byt lösenord</a>' in app_client.get("/").text
