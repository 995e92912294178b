"""Logging in to Mina resor with a one-time code sent by SMS through the outbox.

Two steps, both public and protected by the login page's CSRF token and the login rate
limits: the personnummer (a code is sent if the person has a traveller account and a
phone; the answer is the same either way), then the code (a page session like a
password login). A traveller with a password can use /login, which brings them here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.background import BackgroundTask

from samfard.access import login_codes
from samfard.access.api import login_limiter
from samfard.access.deps import PUBLIC, set_session_cookies
from samfard.access.login_csrf import check_login_csrf, login_csrf_token, set_login_csrf_cookie
from samfard.access.ratelimit import RateLimitExceeded
from samfard.access.service import TOKEN_LIFETIME
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import Forbidden, InputError, Unauthenticated
from samfard.notify.senders import Sender, sender_from_env
from samfard.notify.service import deliver
from samfard.timeutil import STOCKHOLM
from samfard.travellers.page_forms import personal_number_sv
from samfard.travellers.personnummer import parse_personal_number
from samfard.web.shell import FormErrors, page_router
from samfard.web.templating import render

router = page_router(for_travellers=True)
# A personnummer as typed: read up to a bound, and one too long to be anyone's is said at
# the field like any other fault (beyond 40 characters the form was lost on a bare 422
# page; walk-through of the seventh session of 2026-12-06). The field takes NUMBER_MOST.
READ_AT_MOST = 2000
NUMBER_MOST = 20
Text = Annotated[str, Form(max_length=READ_AT_MOST)]


def _sender(request: Request) -> Sender:
    """The application's sender (a test may set one), else the one the environment names."""
    sender: Sender | None = getattr(request.app.state, "notify_sender", None)
    return sender or sender_from_env()


def _page(
    request: Request,
    settings: SettingsDep,
    template: str,
    *,
    status_code: int = 200,
    **context: object,
) -> Response:
    token = login_csrf_token(request)
    response = render(
        request,
        template,
        {"login_csrf_token": token, "errors": FormErrors(), **context},
        status_code=status_code,
    )
    set_login_csrf_cookie(response, token, secure=settings.secure_cookies)
    return response


def _refusal(error: Forbidden | RateLimitExceeded) -> tuple[str, int]:
    if isinstance(error, RateLimitExceeded):
        return f"För många försök. Vänta {error.retry_after} sekunder och försök igen.", 429
    return "Sidan har gått ut. Ladda om sidan och försök igen.", 403


def _personal_number_fault(number: str, now: datetime) -> str | None:
    """What is wrong with a typed personnummer, in Swedish, or None when it is well formed
    (the form, the date of birth and the check digit: `travellers.personnummer`)."""
    if not number:
        return "Skriv ditt personnummer, till exempel 19121212-1212"
    if len(number) > NUMBER_MOST:
        return "Personnumret är för långt: skriv 12 siffror, till exempel 19121212-1212"
    try:
        parse_personal_number(number, today=now.astimezone(STOCKHOLM).date())
    except InputError as error:
        return personal_number_sv(error.message)
    return None


@router.get("/mina-resor/logga-in", dependencies=[PUBLIC])
def login_page(request: Request, settings: SettingsDep) -> Response:
    return _page(request, settings, "mypages/login.html", personnummer="")


@router.post("/mina-resor/logga-in", dependencies=[PUBLIC])
def ask_for_code(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    personnummer: Text = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Send a code if the person has an account (the same answer either way)."""
    number = personnummer.strip()
    address = request.client.host if request.client else "unknown"
    try:
        check_login_csrf(request, csrf_token)
        login_limiter(request).check(address=address, username=_limit_key(number, now), now=now)
    except (Forbidden, RateLimitExceeded) as error:
        message, status = _refusal(error)
        return _page(
            request, settings, "mypages/login.html", error=message,
            personnummer=number[:NUMBER_MOST], status_code=status,
        )  # fmt: skip
    wrong = _personal_number_fault(number, now)
    if wrong is not None:
        # A number that cannot be anyone's is said at the field: the traveller would wait
        # for a code that never comes. Any well-formed number goes on to the same answer,
        # with an account or not, so the page tells no one who has one.
        errors = FormErrors()
        errors.add("personnummer", wrong)
        return _page(request, settings, "mypages/login.html", personnummer=number[:NUMBER_MOST],
                     errors=errors)  # fmt: skip
    message_id = login_codes.request_code(session, personal_number=number, now=now)
    response = _page(request, settings, "mypages/code.html", personnummer=number)
    if message_id is not None:
        # Sent after the answer: waiting for the SMS gateway here made the answer for a
        # number with an account measurably slower, telling who has one.
        # The request's session, done with by then (a closed session opens anew).
        response.background = BackgroundTask(
            deliver, session, sender=_sender(request), now=now, ids=[message_id]
        )
    return response


def _limit_key(typed: str, now: datetime) -> str:
    """Whose tries the login limiter counts: the person's number as stored, however it was
    typed ("195801255695", "19580125-5695" and "580125-5695" filled a window each)."""
    try:
        return parse_personal_number(typed, today=now.astimezone(STOCKHOLM).date()).value
    except InputError:
        return typed.strip() or "-"


@router.post("/mina-resor/kod", dependencies=[PUBLIC])
def enter_code(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    personnummer: Text = "",
    kod: Annotated[str, Form(max_length=12)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    address = request.client.host if request.client else "unknown"
    try:
        check_login_csrf(request, csrf_token)
        key = _limit_key(personnummer, now)
        login_limiter(request).check(address=address, username=key, now=now)
        token = login_codes.login_with_code(
            session, personal_number=personnummer, code=kod, now=now
        )
        login_limiter(request).succeeded(address=address, username=key, now=now)
    except (Forbidden, RateLimitExceeded) as error:
        message, status = _refusal(error)
        return _page(
            request, settings, "mypages/code.html", error=message, personnummer=personnummer,
            status_code=status,
        )  # fmt: skip
    except Unauthenticated:
        return _page(
            request, settings, "mypages/code.html", personnummer=personnummer,
            field_error="Koden stämmer inte eller har gått ut. Kontrollera siffrorna, "
            "eller be om en ny kod.",
        )  # fmt: skip
    response = RedirectResponse("/mina-resor", status_code=303)
    set_session_cookies(
        response,
        token,
        secure=settings.secure_cookies,
        max_age=int(TOKEN_LIFETIME["session"].total_seconds()),
    )
    return response
