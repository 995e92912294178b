"""A protected traveller's own account as others see it.

A traveller with skyddad identitet may have an account of their own (Mina resor). An
administrator names it after the person ("lena.larsson.580125", display name "Lena
Larsson"), and that name reached every reader of the account list, of the deviations the
person reported, of their booking's history, of the audit trail and of the register
extract, beside the traveller id every other view masks (the probe of 2026-12-06). A
reader who may not see who the traveller is sees the account as `SHOWN_AS`, with its id,
role and state; the person and those entitled to protected identities see the name.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.models import User
from samfard.access.permissions import Role
from samfard.access.schemas import UserPublic
from samfard.travellers.models import Traveller
from samfard.travellers.views import can_see_identity

SHOWN_AS = "Resenär (skyddad identitet)"


def hidden_usernames(session: Session, reader: Actor) -> frozenset[str]:
    """The usernames of protected travellers' own accounts that `reader` may not see."""
    rows = session.execute(
        select(User.username, Traveller)
        .join(Traveller, Traveller.id == User.traveller_id)
        .where(User.role == Role.TRAVELLER.value, Traveller.protected_identity.is_(True))
    )
    return frozenset(name for name, traveller in rows if not can_see_identity(traveller, reader))


def own_usernames(session: Session, traveller_id: int) -> frozenset[str]:
    """The usernames of the traveller's own accounts: hidden where the traveller is."""
    rows = session.scalars(select(User.username).where(User.traveller_id == traveller_id))
    return frozenset(rows)


def shown(username: str, hidden: frozenset[str]) -> str:
    """`username` as the reader whose `hidden` set it is may see it."""
    return SHOWN_AS if username in hidden else username


def user_shown(user: User, hidden: frozenset[str]) -> UserPublic:
    """An account as the reader may see it: a hidden one without its names."""
    public = UserPublic.model_validate(user)
    if user.username not in hidden:
        return public
    return public.model_copy(update={"username": SHOWN_AS, "display_name": SHOWN_AS})
