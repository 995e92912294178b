"""The operator's pages: log in, and the day's bookings as a table and a map.

Pages call the same service functions as the API, so scoping, masking and auditing are
the same; they authenticate with the session cookie set at login.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from samfard.access import service as access_service
from samfard.access.actor import Actor
from samfard.access.api import login_limiter
from samfard.access.deps import PUBLIC, require, set_session_cookies
from samfard.access.permissions import Permission as P
from samfard.access.ratelimit import RateLimitExceeded
from samfard.booking import service as booking_service
from samfard.booking.views import booking_public
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.errors import Unauthenticated
from samfard.timeutil import STOCKHOLM
from samfard.web.shell import home_for, page_router
from samfard.web.templating import templates

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
SERVICE_SV = {
    "sjukresa": "Sjukresa",
    "fardtjanst": "Färdtjänst",
    "riksfardtjanst": "Riksfärdtjänst",
    "nartrafik": "Närtrafik",
    "anropsstyrd_linjetrafik": "Anropsstyrd linjetrafik",
}


@router.get("/login", dependencies=[PUBLIC], response_class=HTMLResponse)
def login_page(request: Request, error: str | None = None, utloggad: str | None = None) -> Response:
    return templates.TemplateResponse(
        request, "login.html", {"error": error, "logged_out": utloggad is not None}
    )


@router.post("/login", dependencies=[PUBLIC])
def login(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
) -> Response:
    address = request.client.host if request.client else "unknown"
    try:
        login_limiter(request).check(address=address, username=username, now=now)
        token = access_service.login(
            session=session, username=username, password=password, kind="session", now=now
        )
    except (Unauthenticated, RateLimitExceeded) as error:
        # A wrong password re-shows the form (200, like every page form with errors: a
        # 4xx document is logged as a console error); too many tries is a real 429.
        status = 429 if isinstance(error, RateLimitExceeded) else 200
        return templates.TemplateResponse(
            request,
            "login.html",
            {"error": error.message, "username": username},
            status_code=status,
        )
    actor = access_service.actor_for_token(session=session, token=token, now=now, request_id=None)
    response = RedirectResponse(home_for(actor), status_code=303)
    set_session_cookies(
        response,
        token,
        secure=settings.secure_cookies,
        max_age=int(access_service.TOKEN_LIFETIME["session"].total_seconds()),
    )
    return response


@router.get("/", response_class=HTMLResponse)
def day_overview(
    request: Request,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.BOOKINGS_READ)],
    day: Annotated[date | None, Query(alias="date")] = None,
    status: str | None = None,
) -> Response:
    day = day or now.astimezone(STOCKHOLM).date() + timedelta(days=1)
    rows, total = booking_service.list_bookings(
        session=session,
        actor=actor,
        now=now,
        filters=booking_service.BookingFilter(date_from=day, date_to=day, status=status or None),
        limit=500,
        offset=0,
    )
    bookings = [booking_public(session, b, actor) for b in rows]
    return templates.TemplateResponse(
        request,
        "day.html",
        {
            "actor": actor,
            "day": day,
            "status": status or "",
            "bookings": bookings,
            "total": total,
            "status_sv": STATUS_SV,
            "service_sv": SERVICE_SV,
            "tile_url": settings.tile_url,
            "stockholm": STOCKHOLM,
        },
    )
