"""`samfard rules`: check rulebook files and show which version is in force.

A principal editing a rulebook runs `samfard rules check --root <folder>` before asking for
it to be shipped; the command prints every problem with file and key, or the versions found.
Places a rule names (referral hospitals, extra service-area places) must be keys of the
packaged gazetteer.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = subparsers.add_parser("rules", help="check and list rulebooks")
    commands = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    check = commands.add_parser("check", help="validate rulebooks and list their versions")
    check.add_argument(
        "--root", type=Path, default=None, help="folder of <principal>/<service>.toml files"
    )
    check.add_argument(
        "--on", type=date.fromisoformat, default=None, help="also show the version in force"
    )
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from samfard.errors import RuleError
    from samfard.geo.places import packaged_rows
    from samfard.rules.loader import check_places, load_rulebooks, shipped_rulebooks

    books = shipped_rulebooks() if args.root is None else load_rulebooks(args.root)
    check_places(books, (row["key"] for row in packaged_rows()))
    for book in books.books:
        dates = ", ".join(str(v.valid_from) for v in book.versions)
        line = f"{book.file}: {book.principal_name}, {len(book.versions)} version(s): {dates}"
        if args.on is not None:
            try:
                index, version = book.version_on(args.on)
                line += f"; in force on {args.on}: versions[{index}] from {version.valid_from}"
            except RuleError:
                line += f"; none in force on {args.on}"
        print(line)
    print(f"{len(books.books)} rulebook(s) valid")
    return 0
