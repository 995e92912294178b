"""Domain exceptions, one place.

Every layer raises these; `app.py` maps them to `application/problem+json` with the HTTP
status below. Each carries a message a person can act on and, where one input is at fault,
the name of that field, so a client can point at it.
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error Samfard reports to a user instead of crashing."""

    status: int = 400
    title: str = "Bad request"
    # A page's heading and advice for this error, where the status's own would mislead.
    title_sv: str | None = None
    help_sv: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # The message in Swedish where a page shows the problem document to its user as it
        # is (the driver's queue); sent as `detail_sv`.
        self.detail_sv: str | None = None

    def extra(self) -> dict[str, str]:
        """More members of the problem document (e.g. where to go to fix it)."""
        return {"detail_sv": self.detail_sv} if self.detail_sv else {}


class InputError(DomainError):
    """The input is malformed or inconsistent; the message says what to fix."""

    status = 422
    title = "Invalid input"


class RuleError(InputError):
    """A rulebook or a rule application is invalid (bad file, missing key, bad value)."""

    title = "Rule error"


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    """The request clashes with the stored state (stale version, duplicate, overlap)."""

    status = 409
    title = "Conflict"


class InvalidTransition(Conflict):
    """A booking (or run) cannot move from its current state to the one asked for."""

    title = "Invalid state transition"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class StaleForm(Forbidden):
    """A change sent from a page with another session's CSRF token: the user logged out, or
    in again, in another tab since the page was shown. Not a missing permission, which is
    what the page said ("Du saknar behörighet … Be din administratör"), sending the user
    to ask for a right they had."""

    title = "Stale form"
    title_sv = "Sidan har gått ut"
    help_sv = (
        "Du har loggat ut eller loggat in på nytt sedan sidan visades, så ändringen "
        "skickades inte och det du skrev sparades inte. Ladda om sidan och gör om ändringen."
    )


class Unauthenticated(DomainError):
    status = 401
    title = "Not logged in"


class TooManyRequests(DomainError):
    status = 429
    title = "Too many requests"
