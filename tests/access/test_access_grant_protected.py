"""Only an administrator who may see protected identities (skyddade personuppgifter) grants
that right: on creating an account, on changing one and on reactivating one, through the
API, the /admin pages and the service alike. The probe of 2026-12-06 found a system
administrator without the right creating `{"role": "operator", "principal_codes": ["*"],
"may_see_protected": true}` (201) and reading protected travellers in full through it,
while linking a traveller account to a protected traveller was refused (403). The command
line (`samfard user create --may-see-protected`) is the machine's operator, who holds the
database, and makes the first such account."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from access_world import PROTECTED
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, auth, login_form, token_for
from samfard.access import users
from samfard.access.actor import SYSTEM
from samfard.access.deps import CSRF_COOKIE
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.schemas import UserChange
from samfard.access.service import create_user
from samfard.cli import main
from samfard.config import get_settings
from samfard.db import make_engine, upgrade
from samfard.errors import Forbidden

REFUSED = "only an administrator who may see protected identities may"
TRUSTED = {"username": "skugga", "password": STRONG_PASSWORD, "role": "operator",
           "principal_codes": ["*"], "may_see_protected": True}  # fmt: skip


def _stored(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def test_a_system_administrator_without_the_right_cannot_grant_it(
    app_client: TestClient, session: Session
) -> None:
    """Refused with the words of the rule on linking a protected traveller; nothing made."""
    root = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="root")
    refused = app_client.post("/api/v1/users", json=TRUSTED, headers=auth(root))
    assert refused.status_code == 403, refused.text
    assert refused.json()["field"] == "may_see_protected"
    assert refused.json()["detail"].startswith(REFUSED)
    assert _stored(session, "skugga") is None
    trusted_op = token_for(session, Role.OPERATOR, now=NOW, username="reg", may_see_protected=True)
    hidden = app_client.post("/api/v1/travellers", json=PROTECTED, headers=auth(trusted_op))
    assert hidden.status_code == 201, hidden.text
    link = {"username": "hemlig-own", "password": STRONG_PASSWORD, "role": "traveller",
            "traveller_id": hidden.json()["id"]}  # fmt: skip
    linked = app_client.post("/api/v1/users", json=link, headers=auth(root))
    assert linked.status_code == 403 and linked.json()["detail"].startswith(REFUSED)


def test_an_administrator_who_may_see_protected_identities_grants_it(
    app_client: TestClient, session: Session
) -> None:
    dpo = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="dpo", may_see_protected=True)
    made = app_client.post("/api/v1/users", json=TRUSTED, headers=auth(dpo))
    assert made.status_code == 201, made.text
    assert made.json()["may_see_protected"] is True


def test_changing_an_account_grants_the_right_only_from_one_who_holds_it(
    session: Session,
) -> None:
    """A change of role and scope (the /admin page's) is a grant too."""
    account = create_user(session=session, username="analys", password=STRONG_PASSWORD,
                          role=Role.ANALYST, now=NOW, principal_codes=["23"])  # fmt: skip
    root = replace(SYSTEM, user_id=None, username="root")
    wider = UserChange(role=Role.OPERATOR, principal_codes=["*"], may_see_protected=True)
    with pytest.raises(Forbidden) as refused:
        users.change(session=session, actor=root, user_id=account.id, data=wider)
    assert refused.value.field == "may_see_protected"
    assert str(refused.value.message).startswith(REFUSED)
    session.refresh(account)
    assert not account.may_see_protected and account.role == Role.ANALYST.value
    dpo = replace(root, may_see_protected=True)
    users.change(session=session, actor=dpo, user_id=account.id, data=wider)
    assert account.may_see_protected


def test_reactivating_an_account_with_the_right_is_granting_it(
    app_client: TestClient, session: Session
) -> None:
    """Deactivating is open to any system administrator; turning the account back on hands
    out what it holds, so only one who holds the right may (API and /admin alike)."""
    create_user(session=session, username="root", password=STRONG_PASSWORD,
                role=Role.SYSTEM_ADMIN, now=NOW, principal_codes=["*"])  # fmt: skip
    trusted = create_user(session=session, username="skugga", password=STRONG_PASSWORD,
                          role=Role.OPERATOR, now=NOW, principal_codes=["*"],
                          may_see_protected=True)  # fmt: skip
    root = token_for(session, Role.SYSTEM_ADMIN, now=NOW, username="root-api")
    off = app_client.post(f"/api/v1/users/{trusted.id}/deactivate", headers=auth(root))
    assert off.status_code == 200
    on = app_client.post(f"/api/v1/users/{trusted.id}/reactivate", headers=auth(root))
    assert on.status_code == 403 and on.json()["detail"].startswith(REFUSED)

    answer = app_client.post("/login", data=login_form("root", app_client), follow_redirects=False)
    assert answer.status_code == 303
    page = app_client.post(f"/admin/anvandare/{trusted.id}/aktivera",
                           data={"csrf_token": app_client.cookies[CSRF_COOKIE]},
                           follow_redirects=False)  # fmt: skip
    assert page.status_code == 200, "the page again, saying why"
    assert "delar bara en systemadministratör ut som själv får se dem" in page.text
    session.refresh(trusted)
    assert not trusted.active


def test_the_admin_page_never_grants_the_right(app_client: TestClient, session: Session) -> None:
    """The page's forms have no such field, and one added by hand is not read."""
    create_user(session=session, username="root", password=STRONG_PASSWORD,
                role=Role.SYSTEM_ADMIN, now=NOW, principal_codes=["*"])  # fmt: skip
    app_client.post("/login", data=login_form("root", app_client), follow_redirects=False)
    csrf = app_client.cookies[CSRF_COOKIE]
    fields = {"anvandarnamn": "skugga", "losenord": STRONG_PASSWORD, "roll": "operator",
              "huvudman": "*", "may_see_protected": "true", "csrf_token": csrf}  # fmt: skip
    made = app_client.post("/admin/anvandare", data=fields, follow_redirects=False)
    assert made.status_code == 303, made.text
    account = _stored(session, "skugga")
    assert account is not None and not account.may_see_protected
    change = {"roll": "operator", "huvudman": "*", "may_see_protected": "true", "csrf_token": csrf}
    changed = app_client.post(f"/admin/anvandare/{account.id}/roll", data=change,
                              follow_redirects=False)  # fmt: skip
    assert changed.status_code == 303
    session.refresh(account)
    assert not account.may_see_protected


def test_the_command_line_grants_the_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`samfard user create --may-see-protected`: how the first such account is made."""
    url = f"sqlite:///{tmp_path / 'grant.sqlite3'}"
    upgrade(url)
    monkeypatch.setenv("SAMFARD_DATABASE_URL", url)
    monkeypatch.setattr("sys.stdin", io.StringIO(STRONG_PASSWORD + "\n"))
    get_settings.cache_clear()
    try:
        args = ["user", "create", "--username", "dpo", "--role", "system_admin",
                "--principal", "*", "--may-see-protected", "--password-stdin"]  # fmt: skip
        assert main(args) == 0, capsys.readouterr().err
    finally:
        get_settings.cache_clear()
    engine = make_engine(url)
    with Session(engine) as session:
        made = _stored(session, "dpo")
        assert made is not None and made.may_see_protected
    engine.dispose()
