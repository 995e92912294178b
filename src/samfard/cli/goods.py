"""`samfard goods-prices`: store the principals' goods price lists and list them.

A price list file is TOML with [[price_lists]] tables as `goods.prices.parse_price_list`
reads them (code, principal, valid_from, optional valid_to, prices per kind in öre);
without a file the demo's lists (samfard/data/goods_prices.toml) are stored. A stored
code is replaced, so correcting a list is loading it again. One transaction: all lists
or none.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prices = subparsers.add_parser("goods-prices", help="store and list goods price lists")
    commands = prices.add_subparsers(dest="goods_command", required=True, metavar="ACTION")
    load = commands.add_parser("load", help="store price lists from a TOML file (or the demo's)")
    load.add_argument("file", type=Path, nargs="?", help="TOML with [[price_lists]]")
    load.set_defaults(handler=_load)
    show = commands.add_parser("list", help="print the stored price lists")
    show.set_defaults(handler=_list)


def _load(args: argparse.Namespace) -> int:
    import tomllib

    from samfard.cli.reports import _session
    from samfard.db import transaction
    from samfard.errors import InputError
    from samfard.goods.price_store import demo_price_lists, store_price_list
    from samfard.goods.prices import parse_price_list

    if args.file is None:
        lists = demo_price_lists()
    else:
        try:
            raw = tomllib.loads(args.file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as error:
            raise InputError(f"cannot read {args.file}: {error}", field="file") from error
        lists = [parse_price_list(item) for item in raw.get("price_lists", ())]
        if not lists:
            raise InputError(f"{args.file} holds no [[price_lists]]", field="file")
    _, session = _session()
    with session, transaction(session):
        for price_list in lists:
            store_price_list(session, price_list)
    print(f"stored {len(lists)} goods price lists: {', '.join(p.code for p in lists)}")
    return 0


def _list(args: argparse.Namespace) -> int:
    from samfard.cli.reports import _session
    from samfard.goods.price_store import load_price_lists
    from samfard.money import format_kr

    _, session = _session()
    with session:
        lists = load_price_lists(session)
    for p in lists:
        prices = "; ".join(
            f"{e.kind.value} {format_kr(e.per_consignment)} + {format_kr(e.per_unit)}/kolli"
            for e in p.prices
        )
        print(f"{p.code}: principal {p.principal}, from {p.valid_from}: {prices}")
    if not lists:
        print("no goods price lists stored: `samfard goods-prices load`")
    return 0
