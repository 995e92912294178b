"""Today's run as its driver sees it: the manifest (masked as the register allows, audited)
with each stop's id, the traveller's aids and door notes, and what was reported there."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from samfard.access.actor import Actor
from samfard.access.permissions import Permission as P
from samfard.booking.models import Booking
from samfard.db import transaction
from samfard.dispatch.driver.schemas import DriverRun, DriverStop
from samfard.dispatch.driver.service import run_reports, todays_run
from samfard.dispatch.views import manifest_public
from samfard.travellers.models import Traveller


def driver_run(*, session: Session, actor: Actor, now: datetime) -> DriverRun | None:
    """The driver's run in today's newest plan, or None when their vehicle has none today.

    The manifest is the driver's (`drives_it=True`): a protected person's name is never
    shown, their address and door notes are (the driver must go there)."""
    actor.require(P.MANIFEST_READ)
    with transaction(session):
        run = todays_run(session=session, actor=actor, now=now)
        if run is None:
            return None
        manifest = manifest_public(session, run, actor, now, drives_it=True)
        reports = run_reports(session, run)
        stops = []
        for stop, shown in zip(run.stops, manifest.stops, strict=True):
            booking = None if stop.booking_id is None else session.get(Booking, stop.booking_id)
            traveller = session.get(Traveller, booking.traveller_id) if booking else None
            stops.append(
                DriverStop(
                    **shown.model_dump(),
                    stop_id=stop.id,
                    reports=reports[stop.id],
                    mobility_aids=list(traveller.mobility_aids or ()) if traveller else [],
                    door_notes=traveller.driver_notes if traveller else None,
                )
            )
        return DriverRun(
            run_id=run.id,
            service_date=manifest.service_date,
            vehicle_code=manifest.vehicle_code,
            start_at=manifest.start_at,
            end_at=manifest.end_at,
            stops=stops,
        )
