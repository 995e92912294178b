"""Actor: who is acting, with which role and scope. Passed to every service function."""

from __future__ import annotations

from dataclasses import dataclass

from samfard.access.permissions import Permission, Role, role_has
from samfard.errors import Forbidden

ALL_PRINCIPALS = "*"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role
    principal_codes: frozenset[str] = frozenset()
    carrier_id: int | None = None
    care_unit: str | None = None
    vehicle_id: int | None = None
    traveller_id: int | None = None
    may_see_protected: bool = False
    request_id: str | None = None

    def has(self, permission: Permission) -> bool:
        if permission is Permission.PROTECTED_IDENTITY_READ:
            return self.may_see_protected
        return role_has(self.role, permission)

    def require(self, permission: Permission) -> None:
        if not self.has(permission):
            raise Forbidden(f"your role {self.role.value} lacks the permission {permission.value}")

    def covers_principal(self, code: str) -> bool:
        """Whether the actor's scope includes a principal (default deny)."""
        return ALL_PRINCIPALS in self.principal_codes or code in self.principal_codes

    @property
    def owns_everything(self) -> bool:
        """Scoped to every principal (`*`): the whole register, the whole day."""
        return ALL_PRINCIPALS in self.principal_codes

    def require_principal(self, code: str) -> None:
        if not self.covers_principal(code):
            raise Forbidden(f"your account is not scoped to principal {code}", field="principal")


SYSTEM = Actor(
    user_id=None, username="system", role=Role.SYSTEM_ADMIN, principal_codes=frozenset("*")
)
