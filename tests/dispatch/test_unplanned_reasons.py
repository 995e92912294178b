"""Every reason a plan can give for leaving a trip out reads in Swedish on /trafik.

The walk makes each reason the way its producer does (the engines' shared check before
the search, OR-Tools' clock check, the fleet proof, live insertion's refusal, the problem
builder, a traveller's legs in order, and the reasons the live day writes), and checks
that each has a Swedish text of its own (not the catch-all), with no English and no clock
time or drive time in it. A scan of the producers' source finds any reason written as a
literal that the table does not know. The page test shows the day page gives the Swedish
text alone: the planner's own English sentence was shown beside it in brackets.
"""

from __future__ import annotations

import ast
import re
from datetime import time
from html import unescape
from pathlib import Path

from dispatch_fixtures import CONTROLLER_LOGIN, DAY, add_controller, plan_demo_day
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from test_problem_builder import BRUNFLO, OSTERSUND, SUNDSVALL, leg, vehicle

import samfard
from helpers import login_form
from samfard.db import transaction
from samfard.dispatch import store
from samfard.dispatch.day_from_now import from_now
from samfard.dispatch.planning_inputs import ConsignmentInput
from samfard.dispatch.problem_builder import build_problem
from samfard.dispatch.unplanned_reasons import (
    NO_RUN_FOR_EVERY_LEG,
    NO_RUN_FOR_GOODS,
    NO_VEHICLE_REST_OF_DAY,
    NOT_IN_STORED_PLAN,
    UNKNOWN_SV,
    reason_sv,
)
from samfard.geo.traveltime import GeodesicProvider
from samfard.planning.engine import NOT_INSERTED, unservable_reason
from samfard.planning.fleet_bound import Shortfall
from samfard.planning.insertion import insert
from samfard.planning.model import (
    Problem,
    Request,
    Solution,
    Vehicle,
    VehicleType,
    Window,
    matrix,
)
from samfard.planning.ortools_engine import _off_the_clock
from samfard.timeutil import local

HOUR = 3600.0
DAY_S = 24 * HOUR
# Words of the planner's English that must not reach the page.
ENGLISH = re.compile(
    r"\b(vehicle|vehicles|window|shift|depot|load|trip|trips|solver|cannot|planned|fleet|"
    r"request|type|run|leg|goods|stored|plan)\b"
)
CLOCK = re.compile(r"\d{1,2}:\d{2}")


def _road(requests: list[Request], vehicles: list[Vehicle]) -> Problem:
    """Three places on a road, 30 minutes apart."""
    minutes = [[1800.0 * abs(i - j) for j in range(3)] for i in range(3)]
    return Problem(
        tuple(requests), tuple(vehicles), matrix(minutes), matrix(minutes, name="distance")
    )


def _trip(rid: str = "r1", **fields: object) -> Request:
    window = Window(8 * HOUR, 9 * HOUR)
    return Request(rid, 1, 2, window, Window(8 * HOUR, DAY_S), **fields)  # type: ignore[arg-type]


def _taxi(vid: str = "taxi-1", **fields: object) -> Vehicle:
    """A taxi with room for anything (the problem refuses a load no vehicle has room for)."""
    fields.setdefault("shift", Window(0.0, DAY_S))
    fields.setdefault("capacity", (3, 1, 1))
    return Vehicle(vid, start_depot=0, end_depot=0, **fields)  # type: ignore[arg-type]


def _engine_reasons() -> list[str]:
    """What the engines' shared check says before any search (`unservable_reason`)."""
    stretcher = _trip(load=(0, 0, 1), allowed_types=frozenset({VehicleType.STRETCHER}))
    two_kinds = _trip(allowed_types=frozenset({VehicleType.WHEELCHAIR, VehicleType.MINIBUS}))
    bus = _taxi("bus-1", capacity=(9, 0, 0), type=VehicleType.MINIBUS)
    cases = [
        (_trip(), []),
        (stretcher, [_taxi()]),
        (two_kinds, [_taxi()]),
        (_trip(load=(5, 0, 0), allowed_types=frozenset({VehicleType.TAXI})), [_taxi(), bus]),
        (_trip(max_ride=600.0), [_taxi()]),
        (_trip(), [_taxi(shift=Window(10 * HOUR, 12 * HOUR))]),
    ]
    said = [unservable_reason(_road([r], v), r) for r, v in cases]
    assert all(said), said
    return [s for s in said if s]


def _ortools_reasons() -> list[str]:
    """OR-Tools' own check: a window after the last shift holds no step of its clock."""
    late = Window(30 * HOUR, 31 * HOUR)
    return [
        reason
        for request in (
            Request("r1", 1, 2, late, Window(30 * HOUR, 32 * HOUR)),
            Request("r1", 1, 2, Window(8 * HOUR, 9 * HOUR), late),
        )
        if (reason := _off_the_clock(request, 1, int(DAY_S))) is not None
    ]


def _insertion_reasons() -> list[str]:
    """Live insertion's refusal: no vehicle, and no vehicle of the type."""
    stretcher = _trip(load=(0, 0, 1), allowed_types=frozenset({VehicleType.STRETCHER}))
    refusals = [
        insert(_road([stretcher], [_taxi()]), Solution((), (), 0.0), stretcher),
        insert(_road([_trip()], []), Solution((), (), 0.0), _trip()),
    ]
    return [r.message for r in refusals if not hasattr(r, "solution")]


def _builder_reasons() -> list[str]:
    """The problem builder's refusals: load no vehicle has, goods no vehicle has room for,
    and a return asked before the outbound leg can arrive."""
    stretcher = leg(booking_id=2, leg_id=20, needs=("stretcher",))
    ten, eleven = local(DAY, time(10)), local(DAY, time(11))
    outbound = leg(origin=SUNDSVALL, destination=OSTERSUND, requested_pickup_at=ten)
    back = leg(
        leg_id=11, leg_seq=1, origin=OSTERSUND, destination=SUNDSVALL, requested_pickup_at=eleven
    )
    at = local(DAY, time(9))
    goods = ConsignmentInput(7, 50, BRUNFLO, OSTERSUND, at, at, at, local(DAY, time(12)))
    day = build_problem(
        DAY, [stretcher, outbound, back], [vehicle()], GeodesicProvider(), consignments=[goods]
    )
    return [reason for _, reason in day.rejected]


def _from_now_reasons() -> list[str]:
    """A plan made after a trip's pickup window closed leaves it out."""
    early = leg(requested_pickup_at=local(DAY, time(8)))
    day = build_problem(DAY, [early], [vehicle()], GeodesicProvider())
    return [reason for _, reason in from_now(day, local(DAY, time(12))).rejected]


def every_reason() -> list[str]:
    """Each reason a plan of the day can store for an unserved leg or consignment."""
    short = Shortfall(("b1.0", "b2.0", "b3.0"), ("7", "8"), 2).reason()
    live = [NOT_INSERTED, NO_RUN_FOR_EVERY_LEG, NO_RUN_FOR_GOODS, NO_VEHICLE_REST_OF_DAY]
    return [
        *_engine_reasons(),
        *_ortools_reasons(),
        *_insertion_reasons(),
        *_builder_reasons(),
        *_from_now_reasons(),
        short,
        *live,
        NOT_IN_STORED_PLAN,
    ]


def test_every_reason_of_every_producer_has_its_own_swedish_text() -> None:
    reasons = every_reason()
    assert len(reasons) == 20, reasons  # a producer that stops giving a reason fails here
    for reason in reasons:
        said = reason_sv(reason, {"7": "Sundsvall bårbil 1"})
        assert said != UNKNOWN_SV, f"no Swedish text for {reason!r}"
        assert not ENGLISH.search(said), f"{reason!r} -> {said!r}"
        # Clock and drive times would tell how far a protected home is (docs/security.md).
        assert not CLOCK.search(said), f"{reason!r} -> {said!r}"
    assert "Sundsvall bårbil 1, 8" in reason_sv(reasons[-6], {"7": "Sundsvall bårbil 1"})
    assert "typen minibuss eller rullstolsfordon" in reason_sv(reasons[2])


def test_an_unknown_reason_is_still_said_in_swedish() -> None:
    assert reason_sv("something the planner never said before") == UNKNOWN_SV


def _reason_literals(path: Path) -> list[str]:
    """The literal text (an f-string's leading words) of each reason a module passes to
    `Unserved(...)`, `unserved_row(...)` or `_note_unserved(...)`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in ("Unserved", "unserved_row", "_note_unserved"):
            continue
        reason = node.args[-1]
        if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
            found.append(reason.value)
        elif isinstance(reason, ast.JoinedStr) and isinstance(reason.values[0], ast.Constant):
            found.append(str(reason.values[0].value))
    return found


def test_no_producer_writes_a_reason_the_table_does_not_know() -> None:
    """A reason written as a literal where it is stored has its Swedish text (the test
    data's readers are left out: they only read files the planner wrote)."""
    root = Path(samfard.__file__).parent
    modules = [*(root / "planning").glob("*.py"), *(root / "dispatch").rglob("*.py")]
    unknown = [
        (path.name, text)
        for path in modules
        if path.name not in ("cordeau.py", "jsonio.py")
        for text in _reason_literals(path)
        if reason_sv(text) == UNKNOWN_SV
    ]
    assert unknown == []


def test_the_day_page_says_each_reason_in_swedish_only(
    app_client: TestClient, session: Session
) -> None:
    plan_demo_day(session)
    plan = store.latest_plan(session, DAY)
    assert plan is not None
    pickups = [s for run in plan.runs for s in run.stops if s.kind == "pickup"]
    reasons = every_reason()
    assert len(pickups) >= len(reasons)
    with transaction(session):
        plan.unserved = [
            {"request_id": f"b{s.booking_id}.{s.leg_seq}", "booking_id": s.booking_id,
             "leg_seq": s.leg_seq, "reason": reason}
            for s, reason in zip(pickups, reasons, strict=False)
        ]  # fmt: skip
    add_controller(session)
    app_client.cookies.clear()
    app_client.post("/login", data=login_form(CONTROLLER_LOGIN, app_client))
    page = app_client.get(f"/trafik?datum={DAY.isoformat()}")
    assert page.status_code == 200
    table = unescape(page.text.split('id="oplanerade"')[1].split("</section>")[0])
    cells = re.findall(r"<tr>(?:\s*<td>.*?</td>){4}\s*<td>(.*?)</td>", table, re.S)
    assert len(cells) == len(reasons)
    for cell in cells:
        assert not ENGLISH.search(cell) and 'lang="en"' not in cell, cell
