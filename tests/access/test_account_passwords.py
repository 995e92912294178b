"""Passwords after an account is made: an administrator gives a new start password (the
account unlocked and logged out everywhere) or unlocks an account locked by wrong
passwords, and every staff user changes their own, knowing the one they have. None of it
existed: a forgotten password meant a new account, and a locked one was deactivated and
activated again (walk-through of the eighth session of 2026-12-06)."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from access_world import PROTECTED
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, auth, login_form, token_for
from samfard.access import users
from samfard.access.actor import Actor
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import ApiToken, AuditEntry, User
from samfard.access.permissions import Role
from samfard.access.service import (
    actor_for_user,
    change_own_password,
    create_user,
    issue_token,
    login,
)
from samfard.errors import Forbidden, InputError, NotFound, Unauthenticated

NEW = "nytt-losenord-2026"


def _user(session: Session, name: str, role: Role, codes: list[str]) -> User:
    return create_user(session=session, username=name, password=STRONG_PASSWORD, role=role,
                       now=NOW, principal_codes=codes)  # fmt: skip


def _locked(session: Session, name: str) -> None:
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            login(session=session, username=name, password="fel-losenord-1", kind="session",
                  now=NOW)  # fmt: skip


def test_a_new_start_password_unlocks_and_logs_the_account_out_everywhere(
    session: Session,
) -> None:
    admin = actor_for_user(_user(session, "pw-admin", Role.SYSTEM_ADMIN, ["*"]))
    nurse = _user(session, "pw-nurse", Role.ANALYST, ["23"])
    issue_token(session=session, user=nurse, kind="bearer", now=NOW)
    _locked(session, "pw-nurse")
    users.reset_password(session=session, actor=admin, user_id=nurse.id, password=NEW)
    assert session.scalars(select(ApiToken).where(ApiToken.user_id == nurse.id)).all() == []
    assert login(session=session, username="pw-nurse", password=NEW, kind="session", now=NOW)
    with pytest.raises(Unauthenticated):
        login(session=session, username="pw-nurse", password=STRONG_PASSWORD, kind="session",
              now=NOW)  # fmt: skip
    actions = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.record_type == "user", AuditEntry.record_id == str(nurse.id)
        )  # fmt: skip
    ).all()
    assert "password_reset" in actions
    with pytest.raises(InputError) as short:
        users.reset_password(session=session, actor=admin, user_id=nurse.id, password="kort1")
    assert short.value.field == "password"
    with pytest.raises(InputError) as own:
        users.reset_password(session=session, actor=admin, user_id=admin.user_id or 0,
                             password=NEW)  # fmt: skip
    assert own.value.field == "user_id"


def test_a_principal_administrator_resets_and_unlocks_only_inside_their_principals(
    session: Session,
) -> None:
    local_admin = actor_for_user(_user(session, "pw-padmin", Role.PRINCIPAL_ADMIN, ["23"]))
    theirs = _user(session, "pw-theirs", Role.ANALYST, ["23"])
    other = _user(session, "pw-other", Role.ANALYST, ["22"])
    for call in (users.unlock, lambda **kw: users.reset_password(**kw, password=NEW)):
        with pytest.raises(NotFound):
            call(session=session, actor=local_admin, user_id=other.id)
    _locked(session, "pw-theirs")
    with pytest.raises(Unauthenticated):  # locked, the right password too
        login(session=session, username="pw-theirs", password=STRONG_PASSWORD, kind="session",
              now=NOW)  # fmt: skip
    users.unlock(session=session, actor=local_admin, user_id=theirs.id)
    assert login(session=session, username="pw-theirs", password=STRONG_PASSWORD,
                 kind="session", now=NOW)  # fmt: skip


def test_a_user_changes_their_own_password_knowing_the_one_they_have(session: Session) -> None:
    user = _user(session, "pw-self", Role.ASSESSOR, ["23"])
    actor: Actor = actor_for_user(user)
    here = issue_token(session=session, user=user, kind="session", now=NOW)
    elsewhere = issue_token(session=session, user=user, kind="session", now=NOW)
    with pytest.raises(InputError) as wrong:
        change_own_password(session=session, actor=actor, token=here, current="gissat-123",
                            new=NEW, now=NOW)  # fmt: skip
    assert wrong.value.field == "current_password"
    assert session.get(User, user.id).failed_logins == 1  # type: ignore[union-attr]
    with pytest.raises(InputError) as same:
        change_own_password(session=session, actor=actor, token=here,
                            current=STRONG_PASSWORD, new=STRONG_PASSWORD, now=NOW)  # fmt: skip
    assert same.value.field == "password"
    change_own_password(session=session, actor=actor, token=here, current=STRONG_PASSWORD,
                        new=NEW, now=NOW)  # fmt: skip
    hashes = set(session.scalars(select(ApiToken.token_hash).where(ApiToken.user_id == user.id)))
    assert len(hashes) == 1, "the session in use is kept, the other one revoked"
    assert elsewhere not in hashes
    assert login(session=session, username="pw-self", password=NEW, kind="session", now=NOW)


def test_wrong_current_passwords_lock_the_account_as_wrong_logins_do(session: Session) -> None:
    user = _user(session, "pw-guess", Role.ASSESSOR, ["23"])
    actor = actor_for_user(user)
    token = issue_token(session=session, user=user, kind="session", now=NOW)
    for n in range(5):
        with pytest.raises(InputError):
            change_own_password(session=session, actor=actor, token=token,
                                current=f"gissning-{n}", new=NEW, now=NOW)  # fmt: skip
    with pytest.raises(Forbidden):  # locked: the right one is not even tried
        change_own_password(session=session, actor=actor, token=token,
                            current=STRONG_PASSWORD, new=NEW,
                            now=NOW + timedelta(minutes=1))  # fmt: skip


def _summary(text: str) -> dict[str, str]:
    block = text.split('class="error-summary"')[1].split("</div>")[0]
    found = re.findall(r'<li><a href="#([\w-]+)">(.*?)</a></li>', block, re.S)
    return {field: html.unescape(message) for field, message in found}


def _page_login(client: TestClient, name: str) -> None:
    answer = client.post("/login", data=login_form(name, client), follow_redirects=False)
    assert answer.status_code == 303


def test_the_admin_page_shows_a_locked_account_and_gives_a_new_password(
    app_client: TestClient, session: Session
) -> None:
    _user(session, "pw-page-admin", Role.SYSTEM_ADMIN, ["*"])
    locked = _user(session, "pw-page-locked", Role.ANALYST, ["23"])
    _locked(session, "pw-page-locked")
    _page_login(app_client, "pw-page-admin")
    page = app_client.get("/admin").text
    row = page.split('<th scope="row">pw-page-locked</th>')[1].split("</tr>")[0]
    assert "låst till 10:15 (fel lösenord)" in row and "Lås upp pw-page-locked" in row
    csrf = app_client.cookies[CSRF_COOKIE]
    short = app_client.post(f"/admin/anvandare/{locked.id}/losenord",
                            data={"nytt_losenord": "kort", "csrf_token": csrf})  # fmt: skip
    assert short.status_code == 200
    assert _summary(short.text) == {
        f"u{locked.id}-losenord": "Lösenordet byttes inte. Lösenordet ska ha minst 12 tecken "
        "och blanda bokstäver med siffror eller tecken."
    }
    done = app_client.post(f"/admin/anvandare/{locked.id}/losenord",
                           data={"nytt_losenord": NEW, "csrf_token": csrf})  # fmt: skip
    assert "Kontot pw-page-locked har ett nytt startlösenord" in done.text
    row = done.text.split('<th scope="row">pw-page-locked</th>')[1].split("</tr>")[0]
    assert "<td>aktiv</td>" in row


def test_the_own_password_page_says_every_problem_at_once(
    app_client: TestClient, session: Session
) -> None:
    _user(session, "pw-page-self", Role.OPERATOR, ["23"])
    _page_login(app_client, "pw-page-self")
    assert 'href="/konto/losenord">Byt lösenord</a>' in app_client.get("/").text
    csrf = app_client.cookies[CSRF_COOKIE]
    empty = app_client.post("/konto/losenord", data={"nytt": NEW, "nytt_igen": "annat-lösen-1",
                                                     "csrf_token": csrf})  # fmt: skip
    assert _summary(empty.text) == {
        "nuvarande": "Skriv ditt nuvarande lösenord.",
        "nytt-igen": "Skriv samma nya lösenord två gånger.",
    }
    long = "a1" * 150
    too_long = app_client.post("/konto/losenord", data={"nuvarande": STRONG_PASSWORD,
                                                        "nytt": long, "nytt_igen": long,
                                                        "csrf_token": csrf})  # fmt: skip
    assert too_long.status_code == 200
    assert _summary(too_long.text) == {"nytt": "Det nya lösenordet får vara högst 200 tecken."}
    form = {"nytt": NEW, "nytt_igen": NEW, "csrf_token": csrf}
    wrong = app_client.post("/konto/losenord", data=form | {"nuvarande": "fel-fel-fel-1"})
    assert list(_summary(wrong.text)) == ["nuvarande"]
    done = app_client.post("/konto/losenord", data=form | {"nuvarande": STRONG_PASSWORD})
    assert "Lösenordet är bytt." in done.text
    assert app_client.get("/").status_code == 200, "still logged in here"


def test_a_protected_travellers_account_gets_no_new_password_from_who_may_not_see_them(
    app_client: TestClient, session: Session
) -> None:
    """A principal administrator without the right to see protected identities reset a
    protected traveller's account's password and logged in as the traveller, reading the
    home address (probe of 2026-12-06); only who may create such an account may give it
    new keys or bring it back."""
    trusted = token_for(session, Role.OPERATOR, now=NOW, username="pw-reg",
                        may_see_protected=True)  # fmt: skip
    hidden = app_client.post("/api/v1/travellers", json=PROTECTED, headers=auth(trusted))
    assert hidden.status_code == 201, hidden.text
    account = create_user(session=session, username="pw-hidden", password=STRONG_PASSWORD,
                          role=Role.TRAVELLER, now=NOW,
                          traveller_id=hidden.json()["id"])  # fmt: skip
    root = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="pw-root")
    for path, body in ((f"/api/v1/users/{account.id}/password", {"password": NEW}),
                       (f"/api/v1/users/{account.id}/deactivate", None),
                       (f"/api/v1/users/{account.id}/reactivate", None)):  # fmt: skip
        answer = app_client.post(path, json=body, headers=auth(root))
        if path.endswith("deactivate"):
            assert answer.status_code == 200, answer.text  # taking keys away is no grant
            continue
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["field"] == "traveller_id"
    with pytest.raises(Unauthenticated):
        login(session=session, username="pw-hidden", password=NEW, kind="session", now=NOW)


def test_an_administrator_cannot_unlock_their_own_account(session: Session) -> None:
    """Unlocking oneself after every fourth wrong password made the lock no limit for a
    stolen session guessing the password (probe of 2026-12-06)."""
    admin = actor_for_user(_user(session, "pw-self-admin", Role.SYSTEM_ADMIN, ["*"]))
    with pytest.raises(InputError) as own:
        users.unlock(session=session, actor=admin, user_id=admin.user_id or 0)
    assert own.value.field == "user_id"
