"""Roles, permissions and which role holds which. Default deny: unlisted means no.

Every route declares one permission (see `access.deps.require`); a test walks the route
table and fails on a route without one, so a new route cannot be forgotten.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    SYSTEM_ADMIN = "system_admin"
    PRINCIPAL_ADMIN = "principal_admin"
    OPERATOR = "operator"  # booking desk
    ASSESSOR = "assessor"  # central assessment function
    CARE_ISSUER = "care_issuer"  # care staff issuing sjukresa certificates for their unit
    CARRIER_DISPATCHER = "carrier_dispatcher"
    DRIVER = "driver"
    ANALYST = "analyst"
    TRAVELLER = "traveller"


# The roles each scope of an account belongs to; on any other role it counts for nothing
# (an operator given a carrier read that carrier's run offers of every principal).
SCOPE_ROLES: dict[str, frozenset[Role]] = {
    "carrier_id": frozenset({Role.CARRIER_DISPATCHER, Role.DRIVER}),
    "vehicle_id": frozenset({Role.DRIVER}),
    "care_unit": frozenset({Role.CARE_ISSUER}),
    "traveller_id": frozenset({Role.TRAVELLER}),
}


class Permission(enum.StrEnum):
    PRINCIPALS_READ = "principals:read"
    PLACES_READ = "places:read"
    TRAVELLERS_READ = "travellers:read"
    TRAVELLERS_WRITE = "travellers:write"
    PERMITS_WRITE = "permits:write"
    CERTIFICATES_ISSUE = "certificates:issue"
    ISSUERS_ADMIN = "issuers:admin"
    BOOKINGS_READ = "bookings:read"
    BOOKINGS_WRITE = "bookings:write"
    GOODS_READ = "goods:read"  # consignments (bussgods, hjälpmedel) of the principals
    GOODS_WRITE = "goods:write"
    ASSESSMENTS_DECIDE = "assessments:decide"
    PLANS_READ = "plans:read"
    PLANS_WRITE = "plans:write"
    RUNS_READ = "runs:read"
    MANIFEST_READ = "manifest:read"
    STOPS_REPORT = "stops:report"  # a driver's reports from the vehicle (arrived, picked up ...)
    REPORTS_READ = "reports:read"
    # The follow-up per care unit (/enheter): every unit of the principals for those who
    # read reports, one's own unit for care staff (the scope is care.follow_up's).
    UNITS_FOLLOW_UP = "units:follow_up"
    TARGETS_WRITE = "targets:write"  # KPI targets and the month's comments on the figures
    AUDIT_READ = "audit:read"
    DEVIATIONS_REPORT = "deviations:report"  # report a deviation, read those in scope
    DEVIATIONS_HANDLE = "deviations:handle"  # investigate, decide and close deviations
    USERS_ADMIN = "users:admin"
    PROTECTED_IDENTITY_READ = "protected_identity:read"


P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM_ADMIN: frozenset(Permission) - {P.PROTECTED_IDENTITY_READ},
    Role.PRINCIPAL_ADMIN: frozenset(
        {
            P.PRINCIPALS_READ,
            P.PLACES_READ,
            P.USERS_ADMIN,
            P.ISSUERS_ADMIN,
            P.REPORTS_READ,
            P.UNITS_FOLLOW_UP,
            P.TARGETS_WRITE,
            P.AUDIT_READ,
            P.DEVIATIONS_REPORT,
        }
    ),
    Role.OPERATOR: frozenset(
        {
            P.PRINCIPALS_READ,
            P.PLACES_READ,
            P.TRAVELLERS_READ,
            P.TRAVELLERS_WRITE,
            P.PERMITS_WRITE,
            P.BOOKINGS_READ,
            P.BOOKINGS_WRITE,
            P.GOODS_READ,
            P.GOODS_WRITE,
            P.PLANS_READ,
            P.PLANS_WRITE,
            P.RUNS_READ,
            P.DEVIATIONS_REPORT,
            P.DEVIATIONS_HANDLE,
        }
    ),
    Role.ASSESSOR: frozenset(
        {
            P.PRINCIPALS_READ,
            P.PLACES_READ,
            P.TRAVELLERS_READ,
            P.PERMITS_WRITE,
            P.BOOKINGS_READ,
            P.BOOKINGS_WRITE,
            P.ASSESSMENTS_DECIDE,
            P.CERTIFICATES_ISSUE,
            P.DEVIATIONS_REPORT,
            P.DEVIATIONS_HANDLE,
        }
    ),
    Role.CARE_ISSUER: frozenset(
        {
            P.PRINCIPALS_READ,
            P.PLACES_READ,
            P.TRAVELLERS_READ,
            P.CERTIFICATES_ISSUE,
            P.BOOKINGS_READ,
            P.BOOKINGS_WRITE,
            P.DEVIATIONS_REPORT,
            P.UNITS_FOLLOW_UP,
        }
    ),
    Role.CARRIER_DISPATCHER: frozenset(
        {P.PLACES_READ, P.RUNS_READ, P.MANIFEST_READ, P.DEVIATIONS_REPORT}
    ),
    Role.DRIVER: frozenset({P.MANIFEST_READ, P.STOPS_REPORT, P.DEVIATIONS_REPORT}),
    Role.ANALYST: frozenset({P.PRINCIPALS_READ, P.REPORTS_READ, P.UNITS_FOLLOW_UP}),
    Role.TRAVELLER: frozenset(
        {P.PLACES_READ, P.BOOKINGS_READ, P.BOOKINGS_WRITE, P.DEVIATIONS_REPORT}
    ),
}


def role_has(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
