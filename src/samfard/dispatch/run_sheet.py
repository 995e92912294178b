"""A run's manifest to print (körlista) for the booking centre's traffic controller.

The driver's manifest (`service.get_manifest`) is for carrier staff and drivers. A
controller at the centre prints the same list to hand over or to follow a run; they hold
RUNS_READ, not MANIFEST_READ, and may not see protected identities, so on their sheet a
traveller with a protected identity keeps neither name nor home address nor message (the
driver gets those through their own manifest). Every traveller on it is audited as read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.dispatch.models import Run
from samfard.dispatch.schemas import ManifestPublic
from samfard.dispatch.views import manifest_public
from samfard.errors import Forbidden, NotFound
from samfard.goods.models import Consignment


def run_sheet(*, session: Session, run_id: int, actor: Actor, now: datetime) -> ManifestPublic:
    """The manifest of run `run_id` as the actor may print it: a protected traveller's
    name, address and message are hidden as for any dispatcher (`drives_it=False`), and an
    account scoped to some principals prints only runs that carry only their trips."""
    actor.require(P.RUNS_READ)
    with transaction(session):
        run = session.get(Run, run_id, options=[selectinload(Run.stops), selectinload(Run.vehicle)])
        if run is None:
            raise NotFound(f"no run with id {run_id}", field="run_id")
        if actor.carrier_id is not None and run.vehicle.carrier_id != actor.carrier_id:
            raise NotFound(f"no run with id {run_id}", field="run_id")  # as if missing
        if not actor.owns_everything:
            ids = {s.booking_id for s in run.stops if s.booking_id is not None}
            goods = {s.consignment_id for s in run.stops if s.consignment_id is not None}
            codes = set(session.scalars(select(Booking.principal_code).where(Booking.id.in_(ids))))
            codes |= set(
                session.scalars(select(Consignment.principal_code).where(Consignment.id.in_(goods)))
            )
            if not any(actor.covers_principal(code) for code in codes):
                # A run with none of the caller's trips answers as a missing one: a 403
                # told it exists (the probe of the seventh session of 2026-12-06). A run
                # shared with other principals, which /trafik shows the caller, is refused.
                raise NotFound(f"no run with id {run_id}", field="run_id")
            if not all(actor.covers_principal(code) for code in codes):
                raise Forbidden(
                    f"run {run_id} carries trips of principals outside your account's scope",
                    field="run_id",
                )
        return manifest_public(session, run, actor, now, drives_it=False)
