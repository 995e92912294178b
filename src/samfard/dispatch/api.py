"""Routes of day plans and drivers' manifests under /api/v1."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from samfard.access.actor import Actor
from samfard.access.deps import require
from samfard.access.permissions import Permission as P
from samfard.deps import NowDep, SessionDep, SettingsDep
from samfard.dispatch import service
from samfard.dispatch.driver.api import router as driver_router
from samfard.dispatch.schemas import ManifestPublic, PlanPublic, PlanSummary, UnservedPublic
from samfard.schemas_common import MAX_ID, RecordId

router = APIRouter(tags=["dispatch"])
router.include_router(driver_router)


@router.get("/plans/{day}")
def get_plan(
    day: date, session: SessionDep, now: NowDep, actor: Annotated[Actor, require(P.PLANS_READ)]
) -> PlanPublic:
    """The newest plan of the day: each used vehicle's run with its stops in order, cut to
    the caller's principals."""
    return service.read_plan(session=session, day=day, actor=actor, now=now)


@router.post("/plans/{day}", status_code=201)
def plan_day(
    day: date,
    session: SessionDep,
    now: NowDep,
    settings: SettingsDep,
    actor: Annotated[Actor, require(P.PLANS_WRITE)],
    time_limit: Annotated[float, Query(gt=0, le=600, description="solver seconds")] = 10.0,
    seed: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> PlanSummary:
    """Plan the day now (or re-plan it keeping every promise) and store a new version."""
    outcome = service.plan_day(
        session=session,
        day=day,
        actor=actor,
        now=now,
        time_limit_s=time_limit,
        seed=seed,
        osrm_url=settings.osrm_url,
    )
    return PlanSummary(
        plan_id=outcome.plan_run_id,
        version=outcome.version,
        requests=outcome.requests,
        served=outcome.served,
        vehicles_used=outcome.vehicles_used,
        distance_km=outcome.distance_km,
        passengers_per_vehicle_trip=outcome.passengers_per_vehicle_trip,
        unserved=[UnservedPublic.model_validate(row) for row in outcome.unserved],
    )


@router.get("/runs/{run_id}/manifest")
def get_manifest(
    run_id: RecordId,
    session: SessionDep,
    now: NowDep,
    actor: Annotated[Actor, require(P.MANIFEST_READ)],
) -> ManifestPublic:
    """A driver's minimal view of one run: first names, addresses, needs, messages."""
    return service.get_manifest(session=session, run_id=run_id, actor=actor, now=now)
