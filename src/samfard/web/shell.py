"""The page shell: which workspace pages exist, who may see each, and how pages render.

The navigation is data, so a user sees exactly the pages their role's permissions allow,
and a test can check that every listed page answers. A feature's `pages.py` renders with
`samfard.web.templating.render` and reports form errors as a `FormErrors`, which the
`error_summary` macro shows at the top of the form with links that lead to the fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from samfard.access.actor import Actor
from samfard.access.deps import read_form_csrf, welcome_travellers
from samfard.access.permissions import Permission as P
from samfard.access.permissions import Role


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    permission: P
    # A page that holds every principal's work opens only to an account scoped to all of
    # them or to a carrier (its own runs), not to one principal's staff.
    whole_day: bool = False

    def opens_for(self, actor: Actor) -> bool:
        if not actor.has(self.permission):
            return False
        return not self.whole_day or actor.owns_everything or actor.carrier_id is not None


NAV: tuple[NavItem, ...] = (
    NavItem("/", "Dagens resor", P.BOOKINGS_READ),
    NavItem("/bokning", "Bokning", P.BOOKINGS_WRITE),
    NavItem("/gods", "Gods", P.GOODS_READ),
    NavItem("/resenarer", "Resenärer", P.TRAVELLERS_READ),
    NavItem("/bedomning", "Bedömning", P.ASSESSMENTS_DECIDE),
    NavItem("/kurs", "Kurs", P.CERTIFICATES_ISSUE),
    NavItem("/intyg", "Sjukreseintyg", P.CERTIFICATES_ISSUE),
    NavItem("/trafik", "Trafik", P.PLANS_READ),
    NavItem("/utforare", "Körningar", P.RUNS_READ, whole_day=True),
    NavItem("/forare", "Min körning", P.STOPS_REPORT),
    NavItem("/kvalitet", "Kvalitet", P.DEVIATIONS_REPORT),
    NavItem("/uppfoljning", "Uppföljning", P.REPORTS_READ),
    NavItem("/enheter", "Enheter", P.UNITS_FOLLOW_UP),
    NavItem("/admin", "Administration", P.USERS_ADMIN),
)

ROLE_SV: dict[Role, str] = {
    Role.SYSTEM_ADMIN: "systemadministratör",
    Role.PRINCIPAL_ADMIN: "huvudmannens administratör",
    Role.OPERATOR: "beställningsmottagare",
    Role.ASSESSOR: "handläggare",
    Role.CARE_ISSUER: "vårdpersonal",
    Role.CARRIER_DISPATCHER: "trafikledare hos utförare",
    Role.DRIVER: "förare",
    Role.ANALYST: "analytiker",
    Role.TRAVELLER: "resenär",
}


# A traveller's account has its own pages only (/mina-resor), not the centre's workspace.
TRAVELLER_NAV: tuple[NavItem, ...] = (NavItem("/mina-resor", "Mina resor", P.BOOKINGS_READ),)


# Pages a role's work begins with, put first in its navigation (and so where it lands
# after login). Care staff write certificates and take the course; they book now and then
# and landed on an empty "Dagens resor", the centre's page.
FIRST_FOR: dict[Role, tuple[str, ...]] = {Role.CARE_ISSUER: ("/intyg", "/kurs")}


def nav_for(actor: Actor) -> list[NavItem]:
    """The workspace pages this actor's role may open, in the order of the day's work."""
    if actor.role is Role.TRAVELLER:
        return list(TRAVELLER_NAV)
    items = [item for item in NAV if item.opens_for(actor)]
    first = FIRST_FOR.get(actor.role, ())

    def place(item: NavItem) -> int:
        return first.index(item.path) if item.path in first else len(first)

    return sorted(items, key=place)  # stable: the rest keep NAV's order


def home_for(actor: Actor) -> str:
    """Where a user lands after login: the first workspace page their role may open."""
    items = nav_for(actor)
    return items[0].path if items else "/login"


# The hidden field of a form's one-time key (`ui.once`), which the booking forms send as
# the booking's Idempotency-Key (booking.desk_booking.once_key).
ONCE_FIELD = "engangsnyckel"


@dataclass
class FormErrors:
    """Errors of one form, field id to Swedish message, in the order the fields appear.
    The layout lists them in an error summary; each field shows its own message. A page
    answers a form with errors with 200 and the form again: a 4xx document is logged as a
    console error by browsers and is not swapped in by htmx."""

    messages: dict[str, str] = field(default_factory=dict)

    def add(self, field_id: str, message: str) -> None:
        self.messages.setdefault(field_id, message)

    def get(self, field_id: str) -> str | None:
        return self.messages.get(field_id)

    def __bool__(self) -> bool:
        return bool(self.messages)

    def items(self) -> list[tuple[str, str]]:
        return list(self.messages.items())


def is_htmx(request: Request) -> bool:
    """Whether htmx made the request (and wants a fragment, not a whole page)."""
    return request.headers.get("HX-Request") == "true"


def page_router(*, for_travellers: bool = False) -> APIRouter:
    """A router for a feature's pages: kept out of the API document, and reading the
    hidden CSRF field of posted forms before the permission check runs. Only the pages
    made `for_travellers` open to a traveller's login; the rest are the staff's."""
    dependencies = [Depends(read_form_csrf)]
    if for_travellers:
        dependencies.append(Depends(welcome_travellers))
    return APIRouter(include_in_schema=False, dependencies=dependencies)


async def form_fields(request: Request) -> dict[str, str]:
    """A posted form as plain text fields (the page reads it with the desk's own parser;
    repeated names keep their last value)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(form_fields)]
