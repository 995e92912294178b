"""Stored goods price lists: written and read back through the pure parser."""

from __future__ import annotations

import tomllib
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from samfard.goods.models import GoodsPriceListRow
from samfard.goods.prices import PriceList, parse_price_list, price_list_mapping
from samfard.principals.service import get_principal

DEMO_FILE = "goods_prices.toml"


def price_list_of(row: GoodsPriceListRow) -> PriceList:
    """The pure price list of a stored row (parsed again, so a bad row cannot price)."""
    return parse_price_list(
        {
            "code": row.code,
            "principal": row.principal_code,
            "valid_from": row.valid_from,
            "valid_to": row.valid_to,
            "prices": row.prices,
        }
    )


def load_price_lists(session: Session) -> list[PriceList]:
    rows = session.scalars(select(GoodsPriceListRow).order_by(GoodsPriceListRow.code))
    return [price_list_of(row) for row in rows]


def store_price_list(session: Session, price_list: PriceList) -> GoodsPriceListRow:
    """Insert or replace (by code) one price list; the caller commits."""
    get_principal(session=session, code=price_list.principal, field="principal")
    row = session.scalar(select(GoodsPriceListRow).where(GoodsPriceListRow.code == price_list.code))
    if row is None:
        row = GoodsPriceListRow(code=price_list.code)
        session.add(row)
    row.principal_code = price_list.principal
    row.valid_from = price_list.valid_from
    row.valid_to = price_list.valid_to
    row.prices = price_list_mapping(price_list)["prices"]
    session.flush()
    return row


def demo_price_lists() -> list[PriceList]:
    """The demo's price lists (samfard/data/goods_prices.toml), parsed whole."""
    text = resources.files("samfard.data").joinpath(DEMO_FILE).read_text("utf-8")
    return [parse_price_list(raw) for raw in tomllib.loads(text)["price_lists"]]
