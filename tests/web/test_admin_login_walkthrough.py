"""Findings of the keyboard walk-through of /admin and /login (Chromium, 2026-12), held over
HTTP on SQLite and PostgreSQL: the page is Swedish (no rulebook notes or vehicle codes in
English outside a marked detail), every form lets the page answer an empty field in
Swedish (novalidate), deactivating asks first and can be undone, and the focus lands on
what the page has to say."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from helpers import NOW, STRONG_PASSWORD, login_form
from samfard.access.deps import CSRF_COOKIE
from samfard.access.login_csrf import LOGIN_CSRF_COOKIE
from samfard.access.models import AuditEntry, User
from samfard.access.permissions import Role
from samfard.access.service import create_user
from samfard.costs.service import load_contract_files
from samfard.rules.in_force import rulebooks_in_force
from samfard.timeutil import STOCKHOLM

FORM = re.compile(r"<form\b[^>]*>", re.S)
AUTOFOCUS = re.compile(r"<[a-z0-9]+\b[^>]*\bautofocus\b[^>]*>", re.S)
ENGLISH_DETAIL = re.compile(r'<p lang="en">.*?</p>', re.S)


def account(session: Session, username: str, role: Role, codes: list[str]) -> User:
    return create_user(session=session, username=username, password=STRONG_PASSWORD,
                       role=role, now=NOW, principal_codes=codes)  # fmt: skip


def log_in(client: TestClient, username: str) -> str:
    """Log in through /login; returns the CSRF token the page's forms carry."""
    client.cookies.clear()
    answer = client.post("/login", data=login_form(username, client), follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(client.cookies[CSRF_COOKIE])


@pytest.fixture
def admin(app_client: TestClient, session: Session) -> str:
    account(session, "walk-admin", Role.SYSTEM_ADMIN, ["*"])
    return log_in(app_client, "walk-admin")


def test_rulebooks_and_contracts_are_shown_in_swedish(
    app_client: TestClient, session: Session, admin: str
) -> None:
    """The rulebook files' source notes ("Ånge's values as tagged per section", "[S]",
    "[O:Närtrafik elsewhere]") and the contracts' vehicle codes ("stretcher") were shown
    as they are; now each rulebook says its laws and the kind of source in Swedish, and a
    note is only an English detail to open."""
    load_contract_files(session)
    page = app_client.get("/admin").text
    shown = ENGLISH_DETAIL.sub("", page)
    for book in rulebooks_in_force(NOW.astimezone(STOCKHOLM).date()):
        if book.source:
            assert book.source not in shown, book.source
            assert f'<p lang="en">{book.source}</p>'.replace("'", "&#39;") in page
    for english in ("[S]", "[O:", "[G]", "as tagged per section", "levels from", "elsewhere"):
        assert english not in shown, english
    assert "Lag (1997:736) om färdtjänst; huvudmannens egna regler" in shown
    assert "<summary>Anteckning i regelfilen</summary>" in page
    contracts = page.split('id="contracts-title"')[1]
    assert "rullstolsfordon" in contracts and "taxi" in contracts
    for code in ("stretcher", "wheelchair", "minibus"):
        assert not re.search(rf"\b{code}\b", contracts), code


def test_every_form_is_answered_by_the_page_not_the_browser(
    app_client: TestClient, session: Session, admin: str
) -> None:
    """A form with `required` fields and no `novalidate` let Chromium answer an empty
    submit with "Please fill out this field."; every form of /admin (with an account to
    change, one to reactivate and the deactivation question open) and /login has it, and
    the server answers the empty fields in Swedish."""
    other = account(session, "walk-other", Role.ANALYST, ["23"])
    gone = account(session, "walk-gone", Role.ANALYST, ["23"])
    gone.active = False
    session.flush()
    asked = app_client.post(f"/admin/anvandare/{other.id}/avaktivera",
                            data={"csrf_token": admin})  # fmt: skip
    app_client.cookies.clear()
    login = app_client.get("/login").text
    forms = FORM.findall(asked.text) + FORM.findall(login)
    posting = [f for f in forms if 'method="post"' in f and "/logout" not in f]
    for form in posting:
        assert "novalidate" in form, form
    assert len(posting) >= 6, forms  # new account, change, deactivate, question, reactivate

    empty = app_client.post("/login", data={"csrf_token": app_client.cookies[LOGIN_CSRF_COOKIE]})
    assert empty.status_code == 200, empty.text
    assert "Ange ditt användarnamn och ditt lösenord." in empty.text
    assert 'aria-invalid="true"' in empty.text
    admin = log_in(app_client, "walk-admin")
    blank = app_client.post("/admin/anvandare", data={"csrf_token": admin})
    assert blank.status_code == 200 and "Ange ett användarnamn." in blank.text


def test_deactivating_asks_first_and_an_account_can_be_activated_again(
    app_client: TestClient, session: Session, admin: str
) -> None:
    """One Enter on "Avaktivera" logged a colleague out with no question, and nothing on
    the page could undo it."""
    user = account(session, "walk-leaving", Role.OPERATOR, ["23"])
    asked = app_client.post(f"/admin/anvandare/{user.id}/avaktivera",
                            data={"csrf_token": admin}, follow_redirects=False)  # fmt: skip
    assert asked.status_code == 200
    assert "Avaktivera kontot walk-leaving?" in asked.text
    assert "Ja, avaktivera walk-leaving" in asked.text and "Nej, behåll kontot" in asked.text
    session.refresh(user)
    assert user.active, "nothing happens before the yes"

    off = app_client.post(f"/admin/anvandare/{user.id}/avaktivera",
                          data={"csrf_token": admin, "bekraftat": "ja"},
                          follow_redirects=False)  # fmt: skip
    assert off.status_code == 303
    session.refresh(user)
    assert not user.active
    page = app_client.get("/admin").text
    assert f'action="/admin/anvandare/{user.id}/aktivera"' in page
    assert "Aktivera walk-leaving" in page

    on = app_client.post(f"/admin/anvandare/{user.id}/aktivera", data={"csrf_token": admin},
                         follow_redirects=False)  # fmt: skip
    assert on.status_code == 303
    session.refresh(user)
    assert user.active
    done = app_client.get(on.headers["location"]).text
    assert "Kontot walk-leaving är aktiverat och kan logga in igen." in done
    actions = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.record_type == "user", AuditEntry.record_id == str(user.id)
        )
    ).all()
    assert sorted(actions) == ["deactivate", "reactivate"]
    app_client.cookies.clear()
    back = app_client.post("/login", data=login_form("walk-leaving", app_client),
                           follow_redirects=False)  # fmt: skip
    assert back.status_code == 303


def test_a_principal_administrator_reactivates_only_what_they_could_create(
    app_client: TestClient, session: Session
) -> None:
    """Giving an account back grants what it holds: a principal administrator may not
    bring back an account of their principal that may see protected identities; another
    principal's account, and a system administrator's of any scope (one of principal 23
    only could be made before that scope was refused), answer 404 as on deactivation."""
    account(session, "walk-padmin", Role.PRINCIPAL_ADMIN, ["23"])
    seer = account(session, "walk-seer23", Role.OPERATOR, ["23"])
    seer.may_see_protected = True
    root = account(session, "walk-root23", Role.SYSTEM_ADMIN, ["23"])
    theirs = account(session, "walk-sundsvall", Role.OPERATOR, ["2281"])
    seer.active = root.active = theirs.active = False
    session.flush()
    csrf = log_in(app_client, "walk-padmin")
    refused = app_client.post(f"/admin/anvandare/{seer.id}/aktivera", data={"csrf_token": csrf})
    assert refused.status_code == 200
    assert "Kontot kunde inte aktiveras. Rätten att se skyddade personuppgifter delar bara" in (
        refused.text
    )
    assert f'href="#u{seer.id}-aktivera"' in refused.text
    for hidden in (theirs, root):
        outside = app_client.post(
            f"/admin/anvandare/{hidden.id}/aktivera", data={"csrf_token": csrf}
        )
        assert outside.status_code == 404
    for user in (seer, root, theirs):
        session.refresh(user)
        assert not user.active


def autofocused(html: str) -> list[str]:
    return AUTOFOCUS.findall(html)


def test_the_focus_lands_on_what_the_page_says(
    app_client: TestClient, session: Session, admin: str
) -> None:
    """After an account was made the confirmation had no focus (focus on <body>); /login
    did not start in Användarnamn and lost the focus after a wrong password."""
    made = app_client.post(
        "/admin/anvandare",
        data={"csrf_token": admin, "anvandarnamn": "walk-new", "losenord": STRONG_PASSWORD,
              "roll": "analyst", "huvudman": "23"},
        follow_redirects=False,
    )  # fmt: skip
    assert made.status_code == 303
    done = app_client.get(made.headers["location"]).text
    [focus] = autofocused(done)
    assert 'role="status"' in focus and 'tabindex="-1"' in focus
    assert "Kontot walk-new är skapat." in done.split(focus)[1].split("</p>")[0]

    app_client.cookies.clear()
    fresh = app_client.get("/login").text
    [focus] = autofocused(fresh)
    assert 'name="username"' in focus
    wrong = app_client.post("/login", data=login_form("walk-admin", app_client)
                            | {"password": "not-the-password-1"})  # fmt: skip
    [focus] = autofocused(wrong.text)
    assert 'role="alert"' in focus and 'tabindex="-1"' in focus
    assert "Fel användarnamn eller lösenord." in wrong.text.split(focus)[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("role", "codes", "said"),
    [
        ("system_admin", "23", "En systemadministratör arbetar för alla huvudmän: ange *."),
        ("operator", "23, 23", "Ange varje huvudman en gång, och * (alla huvudmän) ensam."),
        ("operator", "*, 23", "Ange varje huvudman en gång, och * (alla huvudmän) ensam."),
    ],
)
def test_a_scope_the_service_refuses_is_said_at_the_principal_field(
    app_client: TestClient, session: Session, admin: str, role: str, codes: str, said: str
) -> None:
    answer = app_client.post(
        "/admin/anvandare",
        data={"csrf_token": admin, "anvandarnamn": "walk-scope", "losenord": STRONG_PASSWORD,
              "roll": role, "huvudman": codes},
    )  # fmt: skip
    assert answer.status_code == 200
    assert said in answer.text
    assert session.scalar(select(User).where(User.username == "walk-scope")) is None
