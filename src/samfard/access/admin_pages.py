"""The administrator's page /admin: user accounts and their roles (list, create, change
role and scope, deactivate after a question, reactivate), the rulebook versions in force,
and the carriers' contracts, all in Swedish: the rulebook files' own notes are English
for whoever edits them, so the page says what an administrator needs (service, principal,
version and the laws it rests on) and keeps a note only as a marked English detail.

Accounts change only through `access.users` (the same grant rules as the API: a
principal administrator manages only accounts inside their principals and never grants
more than they hold). Rulebooks and contracts are read-only here; they change by files
(`samfard rules check`, `samfard contracts load`), so every change is reviewed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access import admin_form, care_units, users
from samfard.access.account_names import hidden_usernames, shown, user_shown
from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.models import User
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role
from samfard.access.schemas import UserChange, UserCreate
from samfard.assessment.words_sv import source_sv
from samfard.costs.models import Carrier
from samfard.costs.stored_contracts import load_contracts
from samfard.db import transaction
from samfard.deps import NowDep, SessionDep
from samfard.dispatch.vehicle_names import VEHICLE_TYPES_SV
from samfard.errors import DomainError, NotFound
from samfard.principals.models import Principal
from samfard.rules.in_force import SERVICES_SV, rulebooks_in_force
from samfard.schemas_common import MAX_ID, RecordId
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import ROLE_SV, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import whole_number

router = page_router()

# What a form field may hold before the page stops reading it: far above every limit of
# the schema, so an over-long value (a 200-character user name) is said at its field with
# the schema's limit and the form comes back, not answered by a bare 422 page. Only a
# hand-made request sends more; the fields' maxlength stops a browser at the limit.
READ_AT_MOST = 10_000


def _max_length(model: type[BaseModel], name: str) -> int | None:
    """The schema's max_length of a text field, if it has one."""
    return next(
        (int(m.max_length) for m in model.model_fields[name].metadata if hasattr(m, "max_length")),
        None,
    )


_CODES = _max_length(UserCreate, "principal_codes") or 40
_CODE = 16  # each principal code (UserCreate.principal_codes' items)
# Each field's maxlength on the page, from the schema: the text limits, an id's digits,
# and the list of principals written with ", " between the codes.
FIELD_MAXLENGTH = {
    "anvandarnamn": _max_length(UserCreate, "username"),
    "namn": _max_length(UserCreate, "display_name"),
    "losenord": _max_length(UserCreate, "password"),
    "huvudman": _CODES * (_CODE + 2),
    "utforare": len(str(MAX_ID)),
    "fordon": len(str(MAX_ID)),
    "resenar": len(str(MAX_ID)),
}


def vehicle_types_sv(types: Iterable[str]) -> str:
    """A contract's vehicle types in the Swedish words of the traffic pages ("liggande
    transport, rullstolsfordon, taxi"), never the files' codes ("stretcher, wheelchair")."""
    return ", ".join(sorted(VEHICLE_TYPES_SV.get(str(t), str(t)) for t in types))


def _names(session: Session) -> tuple[dict[int, str], dict[str, str]]:
    """Every carrier's name by its id and every principal's name by its code: the page
    says "Norrtaxi AB" and "Östersunds kommun", not "utförare 3" and "2380"."""
    with transaction(session):
        carriers = {c.id: c.name for c in session.scalars(select(Carrier))}
        principals = {p.code: p.name for p in session.scalars(select(Principal))}
    return carriers, principals


def area_sv(area: Iterable[str], principals: dict[str, str]) -> str:
    """A contract's area as its municipalities' names ("Krokoms kommun, Östersunds
    kommun"); a code with no principal of its own stays a code."""
    return ", ".join(sorted(principals.get(code, code) for code in area)) or "hela området"


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    errors: FormErrors | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
    ask_deactivate: User | None = None,
) -> Response:
    """The page; `done` is the confirmation of a change made, `ask_deactivate` the account
    whose deactivation waits for a yes."""
    rows, _ = users.list_users(session=session, actor=actor, limit=1000, offset=0, now=now)
    hidden = hidden_usernames(session, actor)
    today = now.astimezone(STOCKHOLM).date()
    contracts = sorted(load_contracts(session), key=lambda c: (c.carrier, c.code))
    carriers, principals = _names(session)
    roles = [(r.value, ROLE_SV[r]) for r in Role]
    units = care_units.choices(session, actor.principal_codes)
    if actor.role is not Role.SYSTEM_ADMIN:
        granted = {role.value for role in users.ROLES_ONLY_SYSTEM_ADMIN_GRANTS}
        roles = [(value, label) for value, label in roles if value not in granted]
    return render(
        request,
        "access/admin.html",
        {
            "users": [user_shown(u, hidden) for u in rows],
            "roles": roles,
            "rulebooks": rulebooks_in_force(today),
            "services_sv": SERVICES_SV,
            "source_sv": source_sv,
            "contracts": contracts,
            "vehicle_types_sv": vehicle_types_sv,
            "carriers": carriers,
            "carrier_ids": {name: id_ for id_, name in carriers.items()},
            "principal_names": principals,
            "area_sv": area_sv,
            "maxlength": FIELD_MAXLENGTH,
            "care_units": units,
            "care_unit_names": {name for _, names in units for name in names},
            "ask_deactivate": ask_deactivate and user_shown(ask_deactivate, hidden),
            "today": today,
            "now": now,
            "errors": errors or FormErrors(),
            "form": form or {},
            "done": done,
        },
    )


# What was just done, by the code the redirect after a change carries, said of the account
# as it now stands (and only when it is so). `?klart=` once carried the sentence itself,
# shown as it came: a link could make /admin confirm anything (probe of 2026-12-06).
DONE_SV = {
    "skapat": "Kontot {username} är skapat.",
    "roll": "Kontot {username} har nu rollen {role}.",
    "avaktiverat": "Kontot {username} är avaktiverat.",
    "aktiverat": "Kontot {username} är aktiverat och kan logga in igen.",
    "losenord": "Kontot {username} har ett nytt startlösenord och är utloggat överallt. Ge "
    "användaren lösenordet muntligen eller på annat säkert sätt, inte med e-post.",
    "upplast": "Kontot {username} är upplåst och kan logga in igen.",
}


def done_sv(code: str | None, user: User | None, hidden: frozenset[str]) -> str | None:
    """The confirmation `code` of `user`, or nothing for an unknown code, no account, or
    an account that is not as the code says (a deactivation undone since)."""
    if code not in DONE_SV or user is None:
        return None
    if (code == "avaktiverat" and user.active) or (code == "aktiverat" and not user.active):
        return None
    name = shown(user.username, hidden)
    return DONE_SV[code].format(username=name, role=ROLE_SV[Role(user.role)])


@router.get("/admin")
def admin_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    klart: Annotated[str | None, Query(max_length=20)] = None,
    konto: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The page; `?klart=CODE&konto=ID` confirms a change to an account the administrator
    administers (`done_sv`)."""
    user_id = whole_number(konto) if konto else None
    user = None
    if klart in DONE_SV and user_id is not None:
        with suppress(NotFound):
            user = users.get_user(session=session, actor=actor, user_id=user_id)
    hidden = hidden_usernames(session, actor)
    return _page(request, session, actor, now, done=done_sv(klart, user, hidden))


# A new start password for one's own account is refused for this: it is changed, knowing
# the old one, under "Byt lösenord".
OWN_PASSWORD_SV = "Ditt eget lösenord byter du under Byt lösenord, överst på sidan."


def _done(code: str, user: User) -> Response:
    """Back to the page, which confirms `code` (`DONE_SV`) of the account."""
    return RedirectResponse(f"/admin?klart={code}&konto={user.id}", status_code=303)


@router.post("/admin/anvandare")
def create_user(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    anvandarnamn: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    namn: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    losenord: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    roll: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    huvudman: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    utforare: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    vardenhet: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    fordon: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    resenar: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
) -> Response:
    """Create an account; every problem comes back on the form at once (`admin_form`)."""
    form = {
        "anvandarnamn": anvandarnamn,
        "namn": namn,
        "roll": roll,
        "huvudman": huvudman,
        "utforare": utforare,
        "vardenhet": vardenhet,
        "fordon": fordon,
        "resenar": resenar,
    }
    errors = FormErrors()
    if not anvandarnamn.strip():
        errors.add("anvandarnamn", "Ange ett användarnamn.")
    if not losenord:
        errors.add("losenord", "Ange ett startlösenord.")
    if not roll:
        errors.add("roll", "Välj en roll.")
    raw = {
        "username": anvandarnamn.strip(),
        "password": losenord,
        "role": roll,
        "display_name": namn.strip() or None,
        "principal_codes": admin_form.codes(huvudman),
        "carrier_id": admin_form.number(utforare),
        "care_unit": vardenhet.strip() or None,
        "vehicle_id": admin_form.number(fordon),
        "traveller_id": admin_form.number(resenar),
    }
    data, found = admin_form.read(session, actor, UserCreate, raw)
    for field_id, message in found.items():
        errors.add(field_id, message)
    if data is not None and not errors:
        try:
            made = users.create(session=session, actor=actor, data=data, now=now)
        except DomainError as error:
            if error.status in (401, 403) and not error.field:
                raise
            admin_form.add_errors(errors, error, "", data)
        else:
            return _done("skapat", made)
    errors = admin_form.in_form_order(errors)
    return _page(request, session, actor, now, errors=errors, form=form)


@router.post("/admin/anvandare/{user_id}/roll")
def change_role(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    roll: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    huvudman: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    utforare: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    vardenhet: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    fordon: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
    resenar: Annotated[str, Form(max_length=READ_AT_MOST)] = "",
) -> Response:
    """Give an account another role and scope; every problem comes back at once."""
    prefix = f"u{user_id}-"
    users.get_user(session=session, actor=actor, user_id=user_id)  # 404 outside the scope
    raw = {
        "role": roll,
        "principal_codes": admin_form.codes(huvudman),
        "carrier_id": admin_form.number(utforare),
        "care_unit": vardenhet.strip() or None,
        "vehicle_id": admin_form.number(fordon),
        "traveller_id": admin_form.number(resenar),
    }
    data, errors = admin_form.read(session, actor, UserChange, raw, prefix)
    if data is not None:
        try:
            user = users.change(session=session, actor=actor, user_id=user_id, data=data)
        except DomainError as error:
            if error.status == 404:
                raise
            admin_form.add_errors(errors, error, prefix, data)
        else:
            return _done("roll", user)
    errors = admin_form.in_form_order(errors, prefix)
    return _page(request, session, actor, now, errors=errors)


@dataclass(frozen=True)
class AccountStep:
    """One step on one account from its row (deactivate, activate, a new password, unlock):
    done, back to the page that confirms it; refused, the page again with why at the row's
    field. A 404 (no such account among the administrator's) stays the shell's page."""

    request: Request
    session: Session
    actor: Actor
    now: datetime
    user_id: int

    def run(
        self,
        step: Callable[[], User],
        *,
        field: str,
        failed_sv: str,
        done: str,
        own_sv: str | None = None,
    ) -> Response:
        try:
            user = step()
        except DomainError as error:
            if error.status == 404:
                raise
            own = own_sv is not None and error.field == "user_id"
            said = own_sv if own else admin_form.refusal_sv(error.field or "", None)
            errors = FormErrors()
            errors.add(f"u{self.user_id}-{field}", f"{failed_sv} {said}")
            return _page(self.request, self.session, self.actor, self.now, errors=errors)
        return _done(done, user)


@router.post("/admin/anvandare/{user_id}/avaktivera")
def deactivate(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    bekraftat: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Deactivate an account once the administrator has said yes; its sessions and tokens
    stop working at once. Without the yes the page asks first: one Enter on "Avaktivera"
    once logged a colleague out mid-call with no question."""
    if bekraftat != "ja":
        user = users.get_user(session=session, actor=actor, user_id=user_id)
        if user.active and user.id != actor.user_id:
            return _page(request, session, actor, now, ask_deactivate=user)
    step = AccountStep(request, session, actor, now, user_id)
    return step.run(
        lambda: users.deactivate(session=session, actor=actor, user_id=user_id),
        field="roll", failed_sv="Kontot kunde inte avaktiveras.", done="avaktiverat",
    )  # fmt: skip


@router.post("/admin/anvandare/{user_id}/aktivera")
def reactivate(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> Response:
    """Let a deactivated account log in again (`users.reactivate`: the same scope as
    deactivating, and only an account the administrator could have created)."""
    step = AccountStep(request, session, actor, now, user_id)
    return step.run(
        lambda: users.reactivate(session=session, actor=actor, user_id=user_id),
        field="aktivera", failed_sv="Kontot kunde inte aktiveras.", done="aktiverat",
    )  # fmt: skip


@router.post("/admin/anvandare/{user_id}/losenord")
def reset_password(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    nytt_losenord: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """A new start password for an account whose user forgot theirs (`users.reset_password`:
    unlocked, every session revoked). There was no way to give one: the account had to be
    made again under a new name."""
    step = AccountStep(request, session, actor, now, user_id)
    return step.run(
        lambda: users.reset_password(
            session=session, actor=actor, user_id=user_id, password=nytt_losenord
        ),
        field="losenord", failed_sv="Lösenordet byttes inte.", done="losenord",
        own_sv=OWN_PASSWORD_SV,
    )  # fmt: skip


@router.post("/admin/anvandare/{user_id}/las-upp")
def unlock(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> Response:
    """Unlock an account locked by wrong passwords (`users.unlock`); the list showed it as
    "aktiv", and deactivating and activating it was the only way."""
    step = AccountStep(request, session, actor, now, user_id)
    return step.run(
        lambda: users.unlock(session=session, actor=actor, user_id=user_id),
        field="las-upp", failed_sv="Kontot kunde inte låsas upp.", done="upplast",
    )  # fmt: skip
