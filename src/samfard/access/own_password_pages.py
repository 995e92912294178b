"""Byt lösenord: every account changes its own password, knowing the one it has; staff at
/konto/losenord, a traveller in Mina resor at /mina-resor/losenord (a traveller's login
may open only Mina resor). There was no way: a user who wanted another password, or whose
start password an administrator had said aloud, kept it (walk-through of the eighth
session of 2026-12-06), and a traveller who logs in with a password still had none. Both
pages are one form and one pair of routes, and the service (`service.change_own_password`)
counts a wrong current password as a failed login and logs the account out everywhere
else, so neither the rules nor the lockout exist twice."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import Response

from samfard.access import service
from samfard.access.actor import Actor
from samfard.access.deps import SESSION_COOKIE, signed_in
from samfard.access.passwords import MIN_LENGTH
from samfard.access.permissions import Role
from samfard.deps import NowDep, SessionDep
from samfard.errors import DomainError, Forbidden, Unauthenticated
from samfard.web.shell import FormErrors, page_router
from samfard.web.templating import render

router = page_router()
traveller_router = page_router(for_travellers=True)

PASSWORD_MAX = 200  # as UserCreate.password
# What the form takes at all: a longer field is said at the field, not refused as a page.
FIELD_MOST = 4000
POLICY_SV = (
    f"Minst {MIN_LENGTH} tecken, bokstäver blandade med siffror eller tecken, och inte "
    "samma som det nuvarande."
)
# The service's refusals by the field they name.
REFUSALS_SV = {
    "current_password": "Det nuvarande lösenordet stämmer inte. Efter fem fel i rad låses "
    "kontot i 15 minuter.",
    "password": f"Det nya lösenordet ska ha minst {MIN_LENGTH} tecken, blanda bokstäver med "
    "siffror eller tecken och skilja sig från det nuvarande.",
}
FIELD_IDS = {"current_password": "nuvarande", "password": "nytt"}
LOCKED_SV = "Kontot är låst i 15 minuter efter fem fel lösenord i rad. Vänta och försök igen."


# Where each kind of account changes its password.
STAFF_PAGE = "/konto/losenord"
TRAVELLER_PAGE = "/mina-resor/losenord"
Field = Annotated[str, Form(max_length=FIELD_MOST)]
# One dependency object, so the account is read once even where a route's own check
# (`travellers_only`) asks for it too.
SignedIn = Annotated[Actor, signed_in()]


def _page(
    request: Request,
    actor: Actor,
    *,
    errors: FormErrors | None = None,
    done: bool = False,
) -> Response:
    traveller = actor.role is Role.TRAVELLER
    context = {"errors": errors or FormErrors(), "done": done, "policy": POLICY_SV,
               "maxlength": PASSWORD_MAX, "traveller": traveller,
               "action": TRAVELLER_PAGE if traveller else STAFF_PAGE}  # fmt: skip
    return render(request, "access/own_password.html", context)


def travellers_only(actor: SignedIn) -> None:
    """Mina resor is the travellers' own, as its other pages: a staff account is sent to
    its own page."""
    if actor.role is not Role.TRAVELLER:
        refused = Forbidden(
            f"Mina resor är resenärernas egna sidor. Byt ditt lösenord på {STAFF_PAGE}.",
            field="roll",
        )
        refused.detail_sv = refused.message  # already Swedish: the page shows it as it is
        raise refused


# One page, two addresses: the staff's, and Mina resor's (open to a traveller's login).
IN_MINA_RESOR = [Depends(travellers_only)]


@router.get(STAFF_PAGE)
@traveller_router.get(TRAVELLER_PAGE, dependencies=IN_MINA_RESOR)
def own_password_page(request: Request, actor: SignedIn) -> Response:
    return _page(request, actor)


@router.post(STAFF_PAGE)
@traveller_router.post(TRAVELLER_PAGE, dependencies=IN_MINA_RESOR)
def change_own_password(
    request: Request,
    session: SessionDep,
    now: NowDep,
    actor: SignedIn,
    nuvarande: Field = "",
    nytt: Field = "",
    nytt_igen: Field = "",
) -> Response:
    """Every problem of the form at once (an empty field, the two new ones differing),
    then the service's own check."""
    errors = FormErrors()
    if not nuvarande:
        errors.add("nuvarande", "Skriv ditt nuvarande lösenord.")
    if not nytt:
        errors.add("nytt", "Skriv det nya lösenordet.")
    elif len(nytt) > PASSWORD_MAX:
        errors.add("nytt", f"Det nya lösenordet får vara högst {PASSWORD_MAX} tecken.")
    if len(nuvarande) > PASSWORD_MAX:
        errors.add("nuvarande", "Det nuvarande lösenordet stämmer inte.")
    if nytt != nytt_igen:
        errors.add("nytt-igen", "Skriv samma nya lösenord två gånger.")
    if errors:
        return _page(request, actor, errors=errors)
    token = request.cookies.get(SESSION_COOKIE)
    if token is None:
        raise Unauthenticated("log in first")
    try:
        service.change_own_password(
            session=session, actor=actor, token=token, current=nuvarande, new=nytt, now=now
        )
    except DomainError as error:
        if error.status not in (403, 422):
            raise
        if error.status == 403:
            errors.add("nuvarande", LOCKED_SV)
        else:
            field = error.field or "password"
            said = REFUSALS_SV.get(field, REFUSALS_SV["password"])
            errors.add(FIELD_IDS.get(field, "nytt"), said)
        return _page(request, actor, errors=errors)
    return _page(request, actor, done=True)
