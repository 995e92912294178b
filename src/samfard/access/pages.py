"""Logging out from the pages: a form on every page posts here.

Public like the API's /auth/logout, so an expired session can still be cleared; a cookie
session must send its CSRF token (the form's hidden field).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from samfard.access import service
from samfard.access.deps import CSRF_COOKIE, PUBLIC, SESSION_COOKIE, check_csrf
from samfard.deps import SessionDep
from samfard.web.shell import page_router

router = page_router()


@router.post("/logout", dependencies=[PUBLIC])
def logout(request: Request, session: SessionDep) -> Response:
    """Revoke the session token, clear both cookies and go back to the login page."""
    check_csrf(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token is not None:
        service.logout(session=session, token=token)
    response = RedirectResponse("/login?utloggad=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response
