"""The one Jinja2 environment every page renders with, and the Swedish formats it offers.

Every template gets the shell's context (the signed-in actor, the navigation its role may
use, the CSRF token for forms) from `shell_context`, so a feature's page only passes what
is its own. Filters format dates, times, numbers and money the Swedish way.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from samfard.access.deps import CSRF_FIELD, SESSION_COOKIE, csrf_token_for
from samfard.dates_sv import date_sv
from samfard.errors import DomainError, InputError
from samfard.money import format_kr
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import ONCE_FIELD, ROLE_SV, nav_for


def sv_date(value: date | datetime | None, style: str = "long") -> str:
    """A date as Swedes write it in text, '2 december 2026' (`dates_sv.date_sv` for the
    other styles); nothing for no date. A page says a date in words: ISO ('2026-12-02')
    is for attributes and the value of a date field, written with `isoformat()`."""
    return "" if value is None else date_sv(value, style)


def sv_time(value: datetime | None) -> str:
    """'08:30' in Swedish local time."""
    return "" if value is None else value.astimezone(STOCKHOLM).strftime("%H:%M")


def sv_datetime(value: datetime | None) -> str:
    """'2 december 2026 kl. 08:30' in Swedish local time."""
    return "" if value is None else f"{date_sv(value, 'long')} kl. {sv_time(value)}"


def sv_moment(value: datetime | None) -> str:
    """'måndag 7 december 2026 kl. 10:30': a time read back to a caller, in words."""
    return "" if value is None else f"{date_sv(value, 'day')} kl. {sv_time(value)}"


def sv_number(value: int | float | Decimal | None, decimals: int = 0) -> str:
    """'12 345,6': a non-breaking space between thousands, a decimal comma."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def sv_count(count: int, one: str, many: str) -> str:
    """'1 resa', '2 resor', '1 234 resor': a count with the noun in its number."""
    return f"{sv_number(count)} {one if count == 1 else many}"


def sv_kr(ore: int | None) -> str:
    """Öre as '1 234,56 kr'."""
    return "" if ore is None else format_kr(ore)


def shell_context(request: Request) -> dict[str, Any]:
    """What the base layout needs on every page: who is signed in (set on the request by
    the permission check), the navigation their role may use, and the CSRF token that
    forms send as a hidden field and htmx sends as a header."""
    actor = getattr(request.state, "actor", None)
    session_token = request.cookies.get(SESSION_COOKIE)
    return {
        "actor": actor,
        "nav": nav_for(actor) if actor is not None else [],
        "role_sv": ROLE_SV,
        "current_path": request.url.path,
        "csrf_token": csrf_token_for(session_token) if session_token else "",
        "csrf_field": CSRF_FIELD,
    }


templates = Jinja2Templates(
    directory=Path(__file__).parent / "templates", context_processors=[shell_context]
)
templates.env.filters.update(
    sv_date=sv_date,
    sv_time=sv_time,
    sv_datetime=sv_datetime,
    sv_moment=sv_moment,
    sv_number=sv_number,
    sv_count=sv_count,
    sv_kr=sv_kr,
)
templates.env.globals["stockholm"] = STOCKHOLM
# A new form's one-time key (`ONCE_FIELD`): sent twice, it books once.
templates.env.globals["once_field"] = ONCE_FIELD
templates.env.globals["once_key"] = lambda: secrets.token_urlsafe(16)


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """Render one template with the shell's context added (see `shell_context`)."""
    response: HTMLResponse = templates.TemplateResponse(
        request, template, dict(context or {}), status_code=status_code
    )
    return response


# Marks a response that is the shell's error page (`page_error`), for sidfel.js.
PAGE_ERROR_HEADER = "Samfard-Page-Error"

PAGE_ERROR_TITLES = {
    403: "Du saknar behörighet",
    404: "Hittades inte",
    409: "Uppgifterna har ändrats",
    405: "Sidan tar inte emot det här",
    422: "Uppgifterna behöver rättas",
    503: "Systemet är upptaget",
}
# What the user does next, in Swedish; the service's own message follows where Swedish.
PAGE_ERROR_HELP = {
    403: "Ditt konto får inte öppna den här sidan eller göra det här. Be din administratör "
    "om behörighet om du behöver den i arbetet.",
    404: "Det du söker finns inte, eller ligger utanför det ditt konto får se.",
    409: "Någon annan har ändrat uppgifterna sedan sidan visades. Ladda om sidan och gör "
    "om ändringen.",
    405: "Adressen finns men tar inte emot den här sortens anrop. Gå tillbaka och använd "
    "sidans egna knappar och länkar.",
    422: "Uppgifterna kunde inte användas. Gå tillbaka, rätta dem och försök igen.",
    503: "Systemet hinner inte svara just nu. Vänta några sekunder och försök igen.",
}


# What a page says of a value it cannot read, by the start of pydantic's error type.
INVALID_SV = (
    ("date", "skriv datumet som ÅÅÅÅ-MM-DD"),
    ("int", "skriv ett heltal"),
    ("missing", "uppgiften saknas"),
    ("string_too_long", "för långt, skriv färre tecken"),
    ("string_too_short", "uppgiften saknas"),
    ("string_pattern", "skrivet på fel sätt"),
    ("too_long", "för många värden"),
    ("greater_than", "för litet tal"),
    ("less_than", "för stort tal"),
)


def page_invalid(request: Request, fields: list[tuple[str, str]]) -> HTMLResponse:
    """A page's query or form value that cannot be read, said in Swedish on a page (the
    API answers problem+json): the date fields are typed text, so "3/12" can arrive. The
    parameter's own name ("booking_id: skriv ett heltal") is the API's word, not the page's
    (walk-through of the seventh session of 2026-12-06), so the page says what is wrong."""
    said = dict.fromkeys(
        next((sv for kind, sv in INVALID_SV if error.startswith(kind)), "värdet kan inte läsas")
        for _, error in fields
    )
    error = InputError(
        "; ".join(f"{field}: {kind}" for field, kind in fields),
        field=fields[0][0] if fields else None,
    )
    error.detail_sv = "Sidans adress eller formulär har ett värde som inte går att läsa: " + (
        "; ".join(said) + "."
    )
    return page_error(request, error)


def page_error(request: Request, error: DomainError) -> HTMLResponse:
    """A domain error met while showing a page, as a page in the shell (not JSON): what
    happened and what to do, in Swedish, and the service's own words only where they are
    Swedish (`detail_sv`). The English message ("no traveller with id 999999") is the
    API's; a user of the pages never reads it."""
    title = error.title_sv or PAGE_ERROR_TITLES.get(error.status, "Något gick fel")
    help_sv = error.help_sv or PAGE_ERROR_HELP.get(error.status, "Försök igen om en stund.")
    context = {"title": title, "help": help_sv, "detail": error.detail_sv}
    response = render(request, "error.html", context, status_code=error.status)
    # htmx swaps no 4xx: a button pressed in place showed nothing at all. sidfel.js shows
    # the page's own error page in <main> for a change refused this way.
    response.headers[PAGE_ERROR_HEADER] = "1"
    return response
