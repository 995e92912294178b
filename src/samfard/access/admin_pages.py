"""The administrator's page /admin: user accounts and their roles (list, create, change
role and scope, deactivate), the rulebook versions in force, and the carriers' contracts.

Accounts change only through `access.users` (the same grant rules as the API: a
principal administrator manages only accounts inside their principals and never grants
more than they hold). Rulebooks and contracts are read-only here; they change by files
(`samfard rules check`, `samfard contracts load`), so every change is reviewed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from samfard.access import users
from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role
from samfard.access.schemas import UserChange, UserCreate
from samfard.costs.stored_contracts import load_contracts
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError
from samfard.rules.in_force import SERVICES_SV, rulebooks_in_force
from samfard.schemas_common import RecordId
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import ROLE_SV, FormErrors, page_router
from samfard.web.templating import render
from samfard.web.typed import whole_number

router = page_router()

# Form field ids (Swedish, as the page shows them) by the service's field names.
FIELDS = {
    "username": "anvandarnamn",
    "display_name": "namn",
    "password": "losenord",
    "role": "roll",
    "principal_codes": "huvudman",
    "carrier_id": "utforare",
    "care_unit": "vardenhet",
    "vehicle_id": "fordon",
    "traveller_id": "resenar",
    "may_see_protected": "roll",
    "user_id": "roll",
}

MESSAGES_SV = {
    "username": "Användarnamnet får bara innehålla bokstäver a–z, siffror och . _ @ -.",
    "password": "Lösenordet följer inte lösenordsreglerna.",
    "carrier_id": "Ange utförarens id (ett heltal).",
    "traveller_id": "Ange resenärens id (ett heltal).",
    "vehicle_id": "Ange fordonets id (ett heltal).",
}


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


def _number(text: str) -> int | str | None:
    text = text.strip()
    return None if not text else whole_number(text) or text


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    now: datetime,
    *,
    errors: FormErrors | None = None,
    form: dict[str, str] | None = None,
    done: str | None = None,
) -> Response:
    rows, _ = users.list_users(session=session, actor=actor, limit=1000, offset=0)
    today = now.astimezone(STOCKHOLM).date()
    contracts = sorted(load_contracts(session), key=lambda c: (c.carrier, c.code))
    roles = [(r.value, ROLE_SV[r]) for r in Role]
    if actor.role is not Role.SYSTEM_ADMIN:
        granted = {role.value for role in users.ROLES_ONLY_SYSTEM_ADMIN_GRANTS}
        roles = [(value, label) for value, label in roles if value not in granted]
    return render(
        request,
        "access/admin.html",
        {
            "users": rows,
            "roles": roles,
            "rulebooks": rulebooks_in_force(today),
            "services_sv": SERVICES_SV,
            "contracts": contracts,
            "today": today,
            "errors": errors or FormErrors(),
            "form": form or {},
            "done": done,
        },
    )


@router.get("/admin")
def admin_page(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    klart: str | None = None,
) -> Response:
    return _page(request, session, actor, now, done=klart)


# The service's refusals by the field they name, said as what to do.
REFUSALS_SV = {
    "password": "Lösenordet ska ha minst 12 tecken och blanda bokstäver med siffror eller tecken.",
    "username": "Det finns redan ett konto med det användarnamnet; välj ett annat.",
    "principal_codes": "Ange huvudmän som finns och som ditt konto administrerar, med "
    "kommun- eller länskod (till exempel 2380).",
    "carrier_id": "Det finns ingen utförare med det id:t.",
    "vehicle_id": "Fordonet finns inte, eller körs inte av den utföraren.",
    "traveller_id": "Resenären finns inte i ditt register, eller har skyddad identitet som "
    "bara den som får se sådana kan knyta ett konto till.",
    "role": "Den rollen delar bara en systemadministratör ut.",
    "may_see_protected": "Rätten att se skyddade personuppgifter delar bara en "
    "systemadministratör ut.",
    "care_unit": "Ange vårdenheten.",
    "user_id": "Du kan inte ändra roll på eller avaktivera ditt eget konto; be en annan "
    "administratör.",
}


def _add_errors(errors: FormErrors, error: ValidationError | DomainError, prefix: str) -> None:
    """Service and schema errors as Swedish messages on the form's fields."""
    if isinstance(error, DomainError):
        field = FIELDS.get(error.field or "", "roll")
        said = REFUSALS_SV.get(error.field or "", "Ändringen gick inte; kontrollera fälten.")
        errors.add(prefix + field, said)
        return
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "role"
        message = MESSAGES_SV.get(name, f"Kontrollera fältet ({problem['msg']}).")
        errors.add(prefix + FIELDS.get(name, "roll"), message)


def _done(text: str) -> Response:
    return RedirectResponse(f"/admin?klart={quote(text)}", status_code=303)


@router.post("/admin/anvandare")
def create_user(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    anvandarnamn: Annotated[str, Form(max_length=80)] = "",
    namn: Annotated[str, Form(max_length=120)] = "",
    losenord: Annotated[str, Form(max_length=200)] = "",
    roll: Annotated[str, Form(max_length=40)] = "",
    huvudman: Annotated[str, Form(max_length=400)] = "",
    utforare: Annotated[str, Form(max_length=12)] = "",
    vardenhet: Annotated[str, Form(max_length=120)] = "",
    fordon: Annotated[str, Form(max_length=12)] = "",
    resenar: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Create an account; problems come back on the form, field by field."""
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
    if not errors:
        try:
            data = UserCreate.model_validate(
                {
                    "username": anvandarnamn.strip(),
                    "password": losenord,
                    "role": roll,
                    "display_name": namn.strip() or None,
                    "principal_codes": _codes(huvudman),
                    "carrier_id": _number(utforare),
                    "care_unit": vardenhet.strip() or None,
                    "vehicle_id": _number(fordon),
                    "traveller_id": _number(resenar),
                }
            )
            users.create(session=session, actor=actor, data=data, now=now)
        except (ValidationError, DomainError) as error:
            if isinstance(error, DomainError) and error.status in (401, 403) and not error.field:
                raise
            _add_errors(errors, error, "")
        else:
            return _done(f"Kontot {data.username} är skapat.")
    return _page(request, session, actor, now, errors=errors, form=form)


@router.post("/admin/anvandare/{user_id}/roll")
def change_role(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
    roll: Annotated[str, Form(max_length=40)] = "",
    huvudman: Annotated[str, Form(max_length=400)] = "",
    utforare: Annotated[str, Form(max_length=12)] = "",
    vardenhet: Annotated[str, Form(max_length=120)] = "",
    fordon: Annotated[str, Form(max_length=12)] = "",
    resenar: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Give an account another role and scope."""
    errors = FormErrors()
    prefix = f"u{user_id}-"
    try:
        data = UserChange.model_validate(
            {
                "role": roll,
                "principal_codes": _codes(huvudman),
                "carrier_id": _number(utforare),
                "care_unit": vardenhet.strip() or None,
                "vehicle_id": _number(fordon),
                "traveller_id": _number(resenar),
            }
        )
        user = users.change(session=session, actor=actor, user_id=user_id, data=data)
    except (ValidationError, DomainError) as error:
        if isinstance(error, DomainError) and error.status == 404:
            raise
        _add_errors(errors, error, prefix)
        return _page(request, session, actor, now, errors=errors)
    return _done(f"Kontot {user.username} har nu rollen {ROLE_SV[Role(user.role)]}.")


@router.post("/admin/anvandare/{user_id}/avaktivera")
def deactivate(
    request: Request,
    user_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.USERS_ADMIN)],
) -> Response:
    """Deactivate an account; its sessions and tokens stop working at once."""
    try:
        user = users.deactivate(session=session, actor=actor, user_id=user_id)
    except DomainError as error:
        if error.status == 404:
            raise
        errors = FormErrors()
        errors.add(f"u{user_id}-roll", f"Kontot kunde inte avaktiveras: {error.message}")
        return _page(request, session, actor, now, errors=errors)
    return _done(f"Kontot {user.username} är avaktiverat.")
