"""Login CSRF: a login form is accepted only from a page this site served.

Without it, another site can post its own username and password to our login form from a
victim's browser, and the victim then works, unaware, in the attacker's session (what they
type lands in the attacker's account). Before anyone is logged in there is no session to
derive a token from, so the login page sets a random token in a cookie (HTTP-only,
SameSite=Strict) and in a hidden field; the form must send the two back alike (double
submit). Another site can neither read nor set that cookie. JSON logins need no token: a
browser will not send JSON cross-site without the site's CORS consent, and Samfard gives none.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request, Response

from samfard.errors import Forbidden

LOGIN_CSRF_COOKIE = "samfard_login_csrf"
LOGIN_CSRF_FIELD = "csrf_token"
LOGIN_CSRF_MAX_AGE = 2 * 60 * 60  # a login page left open for two hours must be reloaded


def login_csrf_token(request: Request) -> str:
    """The token for a login form: the one the browser already holds, or a new one."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_login_csrf_cookie(response: Response, token: str, *, secure: bool) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=LOGIN_CSRF_MAX_AGE,
        secure=secure,
        httponly=True,
        samesite="strict",
        path="/",
    )


def check_login_csrf(request: Request, sent: str | None) -> None:
    """Refuse a login form whose token is missing or differs from the cookie's."""
    held = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    # As bytes: compare_digest refuses str with non-ASCII characters (a forged token may hold them).
    if not held or not sent or not hmac.compare_digest(held.encode(), sent.encode()):
        raise Forbidden(
            "the login form did not come from this site's login page, or it has expired; "
            "reload the login page and log in again",
            field=LOGIN_CSRF_FIELD,
        )
