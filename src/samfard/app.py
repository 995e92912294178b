"""The web application factory: routers, error handling, request ids, security and cache
headers.

The factory refuses to build an application on a database that is not migrated to the
newest revision, and says which command fixes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from samfard import __version__, openapi, problems
from samfard.access.api import admin_router as access_admin_router
from samfard.access.api import router as access_router
from samfard.access.deps import PUBLIC
from samfard.assessment.api import router as assessment_router
from samfard.booking.api import router as booking_router
from samfard.care.api import router as care_router
from samfard.clock import Clock, SystemClock
from samfard.config import Settings, get_settings
from samfard.course.api import router as course_router
from samfard.db import check_migrated, make_engine, make_sessionmaker
from samfard.dispatch.api import router as dispatch_router
from samfard.dispatch.live_api import router as live_router
from samfard.geo.api import router as places_router
from samfard.goods.api import router as goods_router
from samfard.lines.api import router as lines_router
from samfard.logs import keep_personal_data_out_of_logs
from samfard.principals.api import router as principals_router
from samfard.quality.api import router as quality_router
from samfard.reports.api import router as reports_router
from samfard.text_input import refuse_nul_characters
from samfard.travellers.api import router as travellers_router
from samfard.web.routes import PAGE_ROUTERS
from samfard.web.templating import page_error, page_invalid

API_PREFIX = "/api/v1"
WEB_STATIC = Path(__file__).parent / "web" / "static"
# Swagger UI is served from the vendored npm package (web/static/vendor/swagger-ui/README.txt),
# so the docs work offline and within the Content-Security-Policy ('self' only).
SWAGGER_UI = "/static/vendor/swagger-ui"

# The API document's page: Swagger UI started by a script file of its own, not inline
# (FastAPI's page starts it inline), so scripts come from the site only.
API_DOCS_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Samfard API</title>
<link rel="icon" href="{SWAGGER_UI}/favicon-32x32.png">
<link rel="stylesheet" href="{SWAGGER_UI}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="{API_PREFIX}/openapi.json"></div>
<script src="{SWAGGER_UI}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body>
</html>
"""

STATIC_PREFIX = "/static/"
# Personal data must not stay in a browser's or a proxy's cache (a shared computer at the
# desk, a corporate proxy): every answer but the static assets says so. The probe of
# 2026-12-06 found no Cache-Control on any of 285 answers (registerutdrag, cards, Mina
# resor, decision letters, report files).
NO_STORE = "no-store"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'"
    ),
}


def install_state(
    app: FastAPI, settings: Settings, engine: Engine, clock: Clock | None = None
) -> None:
    """What the routes read from `app.state`: the settings, the database and the clock
    (the system's, unless a test or a simulation brings its own)."""
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.clock = clock or SystemClock()


def own_location(location: str, host: str | None) -> str:
    """A redirect to this site as a path: `url_for` names the site by the request's Host
    header, which the caller writes, and a probe (2026-12-06) was sent on to
    http://evil.example/trafik by a Host header of its own; behind a proxy or a cache
    that passes it through, that is an open redirect or a poisoned page."""
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc != host:
        return location
    return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    keep_personal_data_out_of_logs()
    engine = engine or make_engine(
        settings.database_url,
        echo=settings.request_log_sql,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
    )
    check_migrated(engine)

    app = FastAPI(
        title="Samfard",
        version=__version__,
        description="Booking and coordination centre for community-paid travel.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # served below with the vendored Swagger UI
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        dependencies=[Depends(refuse_nul_characters)],
    )
    install_state(app, settings, engine, clock)
    problems.install(app, page_error=page_error, page_invalid=page_invalid)

    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Always our own: the id is written in every audit entry of the request, so a
        # caller's header could make its reads pass for another request's (and one longer
        # than the column broke every audited read on PostgreSQL).
        request.state.request_id = uuid.uuid4().hex
        response = await call_next(request)
        location = response.headers.get("location")
        if location is not None:
            response.headers["location"] = own_location(location, request.headers.get("host"))
        response.headers["X-Request-Id"] = request.state.request_id
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith(STATIC_PREFIX):
            response.headers["Cache-Control"] = NO_STORE
        return response

    for router in (
        access_router,
        access_admin_router,
        principals_router,
        places_router,
        lines_router,
        travellers_router,
        booking_router,
        goods_router,
        dispatch_router,
        live_router,
        assessment_router,
        course_router,
        care_router,
        reports_router,
        quality_router,
    ):
        app.include_router(router, prefix=API_PREFIX)
    for pages in PAGE_ROUTERS:
        app.include_router(pages)
    app.mount(STATIC_PREFIX.rstrip("/"), StaticFiles(directory=WEB_STATIC), name="static")

    async def api_docs(request: Request) -> Response:
        return HTMLResponse(API_DOCS_PAGE)

    app.add_route(f"{API_PREFIX}/docs", api_docs, include_in_schema=False)

    @app.get("/health", dependencies=[PUBLIC], tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    openapi.install(app)

    return app
