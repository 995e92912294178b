"""The operator's pages: log in, and the day's bookings as a table and a map.

Pages call the same service functions as the API, so scoping, masking and auditing are
the same; they authenticate with the session cookie set at login.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samfard.access import service as access_service
from samfard.access.actor import Actor
from samfard.access.api import login_limiter
from samfard.access.deps import PUBLIC, require, set_session_cookies, welcome_travellers
from samfard.access.login_csrf import (
    check_login_csrf,
    login_csrf_token,
    set_login_csrf_cookie,
)
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role
from samfard.access.ratelimit import RateLimitExceeded
from samfard.booking.day_list import day_rows
from samfard.config import Settings
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import Forbidden, Unauthenticated
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import FormErrors, home_for, page_router
from samfard.web.templating import templates
from samfard.web.typed import FieldError, parse_picked_day

router = page_router()

STATUS_SV = {
    "requested": "Inkommen",
    "approved": "Beviljad",
    "denied": "Avslagen",
    "scheduled": "Planerad",
    "assigned": "Tilldelad",
    "in_progress": "Pågår",
    "completed": "Utförd",
    "cancelled": "Avbokad",
    "no_show": "Uteblev",
}
# The same, of several trips ("6 avslagna", not "6 avslagen").
STATUS_PLURAL_SV = {
    "requested": "Inkomna",
    "approved": "Beviljade",
    "denied": "Avslagna",
    "scheduled": "Planerade",
    "assigned": "Tilldelade",
    "in_progress": "Pågår",
    "completed": "Utförda",
    "cancelled": "Avbokade",
    "no_show": "Uteblev",
}
NEED_SV = {
    "wheelchair": "Rullstol",
    "stretcher": "Bår (liggande)",
    "front_seat": "Framsäte",
    "ride_alone": "Ensamåkning",
}
SERVICE_SV = {
    "sjukresa": "Sjukresa",
    "fardtjanst": "Färdtjänst",
    "riksfardtjanst": "Riksfärdtjänst",
    "nartrafik": "Närtrafik",
    "anropsstyrd_linjetrafik": "Anropsstyrd linjetrafik",
}


def _login_form(
    request: Request,
    settings: Settings,
    *,
    error: str | None = None,
    username: str = "",
    logged_out: bool = False,
    status_code: int = 200,
    invalid: tuple[str, ...] = (),
) -> Response:
    """The login page with its login-CSRF token in a hidden field and in a cookie;
    `invalid` names the fields the error is about (marked, and described by it)."""
    token = login_csrf_token(request)
    response = templates.TemplateResponse(
        request,
        "login.html",
        {
            "error": error,
            "username": username,
            "login_csrf_token": token,
            "logged_out": logged_out,
            "invalid": invalid,
        },
        status_code=status_code,
    )
    set_login_csrf_cookie(response, token, secure=settings.secure_cookies)
    return response


@router.get("/login", dependencies=[PUBLIC], response_class=HTMLResponse)
def login_page(request: Request, settings: SettingsDep, utloggad: str | None = None) -> Response:
    """The login page; `?utloggad` adds the site's own "Du är utloggad.". No text of the
    address is ever shown: `?error=` once put any words in the page's red error box, so a
    link could make the site say "Kontot spärrat: ring 070-…" (probe of 2026-12-06)."""
    return _login_form(request, settings, logged_out=utloggad is not None)


@router.post("/login", dependencies=[PUBLIC])
def login(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Log in; a field left empty is said in Swedish on the page (the form is sent with
    `novalidate`, so the browser's own English bubble never answers instead)."""
    address = request.client.host if request.client else "unknown"
    try:
        check_login_csrf(request, csrf_token)
        empty = _empty_fields(username=username, password=password)
        if empty:
            return _login_form(
                request, settings, error=EMPTY_SV[empty], username=username, invalid=empty
            )
        login_limiter(request).check(address=address, username=username, now=now)
        token = access_service.login(
            session=session, username=username, password=password, kind="session", now=now
        )
    except (Forbidden, Unauthenticated, RateLimitExceeded) as error:
        # A wrong password re-shows the form (200, like every page form with errors: a
        # 4xx document is logged as a console error); a missing or stale login-CSRF token
        # is a real 403 and too many tries a real 429.
        status = 403 if isinstance(error, Forbidden) else 200
        status = 429 if isinstance(error, RateLimitExceeded) else status
        return _login_form(
            request,
            settings,
            error=_login_refusal_sv(error),
            username=username,
            status_code=status,
        )
    login_limiter(request).succeeded(address=address, username=username, now=now)
    actor = access_service.actor_for_token(session=session, token=token, now=now, request_id=None)
    response = RedirectResponse(home_for(actor), status_code=303)
    set_session_cookies(
        response,
        token,
        secure=settings.secure_cookies,
        max_age=int(access_service.TOKEN_LIFETIME["session"].total_seconds()),
    )
    return response


# What to write when a field of the login form was left empty, by the empty fields.
EMPTY_SV = {
    ("username",): "Ange ditt användarnamn.",
    ("password",): "Ange ditt lösenord.",
    ("username", "password"): "Ange ditt användarnamn och ditt lösenord.",
}


def _empty_fields(**fields: str) -> tuple[str, ...]:
    """The names of the fields left empty (or holding only spaces), in the form's order."""
    return tuple(name for name, value in fields.items() if not value.strip())


def _login_refusal_sv(error: Forbidden | Unauthenticated | RateLimitExceeded) -> str:
    """The login page's message in Swedish; as in the API, it never says whether the user
    exists, nor whether the account is locked (only accounts that exist can be)."""
    if isinstance(error, Forbidden):  # the login-CSRF token was missing or stale
        return "Inloggningssidan har gått ut. Ladda om sidan och logga in igen."
    if isinstance(error, RateLimitExceeded):
        return f"För många inloggningsförsök. Vänta {error.retry_after} s och försök igen."
    return (
        "Fel användarnamn eller lösenord. Efter fem misslyckade inloggningar i rad låses "
        "kontot i 15 minuter: är du säker på lösenordet, vänta en stund och försök igen."
    )


@router.get("/", response_class=HTMLResponse, dependencies=[Depends(welcome_travellers)])
def day_overview(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
    date_text: Annotated[str | None, Query(alias="date")] = None,
    status: str | None = None,
) -> Response:
    """The day's bookings: today's unless the server was given a day (the demo's) or
    `date` names one (it opened on tomorrow, under a menu item that says Dagens resor,
    and a walk-through at 07:00 read the next day's list). The Datum field takes the
    other day pickers' formats (`web.typed.parse_picked_day`: "7/12", "2026-12-07"); a
    date it cannot read shows the default day with the message at the field, the typed
    text kept. A status not in the list gets a Swedish error page (422), not the API's
    problem+json. A traveller's start page is Mina resor."""
    if actor.role is Role.TRAVELLER:
        return RedirectResponse("/mina-resor", status_code=303)
    errors = FormErrors()
    today = now.astimezone(STOCKHOLM).date()
    day = None
    if date_text and date_text.strip():
        try:
            day = parse_picked_day(date_text, today=today)
        except FieldError as error:
            errors.add("date", str(error))
    if status and status not in STATUS_SV:
        # Never the address's words in the message: a link would make the site say them.
        return _page_error(request, actor, "Den statusen finns inte. Välj en status i listan.")
    day = day or settings.default_day or today
    bookings, total = day_rows(
        session=session, actor=actor, now=now, day=day, status=status or None, limit=500
    )
    return templates.TemplateResponse(
        request,
        "day.html",
        {
            "actor": actor,
            "day": day,
            "errors": errors,
            "typed": date_text if errors else None,
            "status": status or "",
            "bookings": bookings,
            "total": total,
            "status_sv": STATUS_SV,
            "service_sv": SERVICE_SV,
            "need_sv": NEED_SV,
            "tile_url": settings.tile_url,
            "stockholm": STOCKHOLM,
        },
    )


def _page_error(request: Request, actor: Actor, message: str) -> Response:
    return templates.TemplateResponse(
        request,
        "page_error.html",
        {"actor": actor, "message": message, "back": "/"},
        status_code=422,
    )
