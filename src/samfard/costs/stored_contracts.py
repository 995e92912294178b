"""Stored contracts read back as pure `Contract`s (parsed again on every read).

Apart from `costs.service` so that planning (dispatch) can price vehicles by their
contracts without importing settlement, which itself reads stored plans.

A row the parser refuses (stored before a check that now refuses it) is not priced with
and does not stop the others from loading: it is logged and kept aside in
`StoredContracts.unreadable`, so only a lookup it would have answered fails, naming it.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.costs.contracts import (
    Contract,
    StoredContracts,
    UnreadableContract,
    parse_contract,
)
from samfard.costs.models import Carrier, ContractRow
from samfard.errors import InputError

log = logging.getLogger(__name__)


def contract_of(row: ContractRow, carrier: Carrier) -> Contract:
    """The pure contract of a stored row (parsed again, so a bad row cannot be priced with)."""
    return parse_contract(
        {
            "code": row.code,
            "carrier": carrier.name,
            "valid_from": row.valid_from,
            "valid_to": row.valid_to,
            "area": row.area,
            "own_fleet": row.own_fleet,
            "tariffs": row.tariffs,
            "penalties": row.penalties or [],
        }
    )


def unreadable_of(row: ContractRow, carrier: Carrier, problem: InputError) -> UnreadableContract:
    """What is known of a row the parser refuses: its code, carrier, validity (typed
    columns) and the vehicle types its tariffs name, if they name any as text."""
    return UnreadableContract(
        code=row.code,
        carrier=carrier.name,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        vehicle_types=_named_types(row.tariffs),
        problem=problem,
    )


def _named_types(tariffs: Any) -> frozenset[str]:
    if not isinstance(tariffs, list):
        return frozenset()
    named = [t.get("vehicle_type") if isinstance(t, dict) else None for t in tariffs]
    kinds = [kind for kind in named if isinstance(kind, str)]
    return frozenset(kinds) if kinds and len(kinds) == len(named) else frozenset()


def load_contracts(session: Session) -> StoredContracts:
    """Every stored contract as pure data; rows that cannot be read are set aside."""
    rows = session.execute(
        select(ContractRow, Carrier).join(Carrier).order_by(ContractRow.code)
    ).all()
    readable: list[Contract] = []
    unreadable: list[UnreadableContract] = []
    for row, carrier in rows:
        try:
            readable.append(contract_of(row, carrier))
        except InputError as problem:
            log.warning("stored contract %s is not priced with: %s", row.code, problem.message)
            unreadable.append(unreadable_of(row, carrier, problem))
    return StoredContracts(readable, unreadable)
