"""Stored contracts read back as pure `Contract`s (parsed again on every read).

Apart from `costs.service` so that planning (dispatch) can price vehicles by their
contracts without importing settlement, which itself reads stored plans.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.costs.contracts import Contract, parse_contract
from samfard.costs.models import Carrier, ContractRow


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


def load_contracts(session: Session) -> list[Contract]:
    """Every stored contract as pure data."""
    rows = session.execute(
        select(ContractRow, Carrier).join(Carrier).order_by(ContractRow.code)
    ).all()
    return [contract_of(row, carrier) for row, carrier in rows]
