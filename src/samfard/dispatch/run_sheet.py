"""A run's manifest to print (körlista) for the booking centre's traffic controller.

The driver's manifest (`service.get_manifest`) is for carrier staff and drivers. A
controller at the centre prints the same list to hand over or to follow a run; they hold
RUNS_READ, not MANIFEST_READ, and may not see protected identities, so on their sheet a
traveller with a protected identity keeps neither name nor address (the driver gets
those through their own manifest). Every traveller on the sheet is audited as read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, selectinload

from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.db import transaction
from samfard.dispatch.models import Run
from samfard.dispatch.schemas import ManifestPublic
from samfard.dispatch.views import PROTECTED_ADDRESS, PROTECTED_NAME, manifest_public
from samfard.errors import Forbidden, NotFound


def run_sheet(*, session: Session, run_id: int, actor: Actor, now: datetime) -> ManifestPublic:
    """The manifest of run `run_id` as the actor may print it."""
    actor.require(P.RUNS_READ)
    with transaction(session):
        run = session.get(Run, run_id, options=[selectinload(Run.stops), selectinload(Run.vehicle)])
        if run is None:
            raise NotFound(f"no run with id {run_id}", field="run_id")
        if actor.carrier_id is not None and run.vehicle.carrier_id != actor.carrier_id:
            raise Forbidden(
                f"run {run_id} is driven for another carrier than yours", field="run_id"
            )
        sheet = manifest_public(session, run, actor, now)
    if actor.has(P.MANIFEST_READ):
        return sheet
    stops = [
        s.model_copy(update={"address": PROTECTED_ADDRESS, "lat": 0.0, "lon": 0.0})
        if s.first_name == PROTECTED_NAME
        else s
        for s in sheet.stops
    ]
    return sheet.model_copy(update={"stops": stops})
