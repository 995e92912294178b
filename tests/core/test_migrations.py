"""Migrations from empty, and the refusal to serve an unmigrated database."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, inspect

from samfard import all_models  # noqa: F401
from samfard.app import create_app
from samfard.config import Settings
from samfard.db import Base, NotMigrated, current_revision, head_revision, make_engine, upgrade


def test_migrations_from_empty_create_every_table(database_url: str) -> None:
    """The session database was migrated from empty by the fixture: every mapped table is
    there, at the head revision, on each backend."""
    engine = make_engine(database_url)
    assert current_revision(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    upgrade(database_url)  # a second upgrade is a no-op
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_every_text_column_is_as_long_in_the_database_as_in_its_model(database_url: str) -> None:
    """The migrations and the models agree on each column's length, so no value the code
    lets through is refused by PostgreSQL (a 500) or kept longer than the model says."""
    engine = make_engine(database_url)
    inspector = inspect(engine)
    differ = []
    for table in Base.metadata.sorted_tables:
        stored = {c["name"]: c["type"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            length = getattr(column.type, "length", None)
            if isinstance(column.type, String) and length is not None:
                found = getattr(stored.get(column.name), "length", None)
                if found != length:
                    differ.append((table.name, column.name, length, found))
    engine.dispose()
    assert differ == []


def test_server_refuses_an_unmigrated_database_and_names_the_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(NotMigrated, match="samfard db upgrade"):
        create_app(Settings(database_url=url))
    upgrade(url)
    assert create_app(Settings(database_url=url)) is not None


def test_databases_migrated_at_once_by_threads_all_reach_the_head(tmp_path: Path) -> None:
    """Simulations started together each migrate a scratch database of their own in a
    thread of one process: alembic's module-level context must not be shared between
    them (before the lock, two of three failed with KeyError('config') or 'database is
    locked')."""
    urls = [f"sqlite:///{tmp_path / f'scratch{i}.sqlite3'}" for i in range(3)]
    together = threading.Barrier(len(urls))
    failures: list[BaseException] = []

    def migrate(url: str) -> None:
        together.wait()
        try:
            upgrade(url)
        except BaseException as error:  # collected: a thread's exception is lost otherwise
            failures.append(error)

    threads = [threading.Thread(target=migrate, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for url in urls:
        engine = make_engine(url)
        assert current_revision(engine) == head_revision()
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        engine.dispose()


def _insert(connection: Any, table: str, **given: object) -> int:
    """A row of `table` as the schema at that revision has it: given values, and a plain
    value of the right type for every other column that needs one."""
    from sqlalchemy import text

    plain = {"INTEGER": 1, "BOOLEAN": 0, "FLOAT": 62.5, "DATE": "2026-01-01", "JSON": "[]"}
    values = dict(given)
    for column in inspect(connection).get_columns(table):
        name, kind = column["name"], str(column["type"]).split("(")[0]
        if name in values or column["nullable"] or column.get("autoincrement") is True:
            continue
        if name == "id":
            continue
        values[name] = plain.get(kind, "2026-01-01 00:00:00" if "DATETIME" in kind else name)
    names = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    result = connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)
    return int(result.lastrowid)


def test_a_populated_sqlite_database_upgrades_from_the_previous_release(tmp_path: Path) -> None:
    """SQLite alters a table by copying it; with rows of other tables referring to the copied
    table that failed ("FOREIGN KEY constraint failed") when a database of the previous
    release (revision 0008) with data in it was upgraded."""
    from alembic import command
    from sqlalchemy import text

    from samfard.db import alembic_config

    url = f"sqlite:///{tmp_path / 'release.sqlite3'}"
    command.upgrade(alembic_config(url), "0008")
    engine = make_engine(url)
    with engine.begin() as connection:
        _insert(connection, "principal", code="23")
        traveller = _insert(connection, "traveller", personal_number="194001019802")
        issuer = _insert(connection, "issuer", hsa_id="SE2321000207-1", principal_code="23")
        _insert(
            connection, "certificate", traveller_id=traveller, issuer_id=issuer, principal_code="23"
        )
    upgrade(url)
    assert current_revision(engine) == head_revision()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM certificate")).scalar_one() == 1
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    engine.dispose()


def test_0018_gives_a_carrier_one_number_and_closes_accounts_scoped_to_nothing(
    tmp_path: Path,
) -> None:
    """Before 0018 the demo fleet numbered its carriers itself (1, 2, 3) while the register
    numbered them as the contracts were stored, so a dispatcher's runs and deviations were
    of different carriers; and an account could point at a traveller not yet stored."""
    from alembic import command
    from sqlalchemy import text

    from samfard.db import alembic_config

    url = f"sqlite:///{tmp_path / 'carriers.sqlite3'}"
    command.upgrade(alembic_config(url), "0017")
    engine = make_engine(url)
    taxi, special = "Demo Taxi Västernorrland", "Demo Specialtransport Mittnorrland"
    with engine.begin() as connection:
        registered = {
            name: _insert(connection, "carrier", name=name) for name in ("Egen regi", special, taxi)
        }
        vehicle = _insert(connection, "vehicle", code="v1", carrier_id=2, carrier_name=taxi)
        _insert(connection, "run_offer", vehicle_id=vehicle, carrier_id=2)
        _insert(connection, "deviation", reference="A1", carrier_id=2, carrier_name=taxi)
        dispatcher = _insert(
            connection, "app_user", username="disp", role="carrier_dispatcher", carrier_id=2
        )
        ghost = _insert(connection, "app_user", username="ghost", role="traveller",
                        traveller_id=999, active=1)  # fmt: skip
        nowhere = _insert(connection, "app_user", username="nowhere", role="carrier_dispatcher",
                          carrier_id=77, active=1)  # fmt: skip
        own = registered["Egen regi"]
        other = _insert(connection, "app_user", username="other", role="driver",
                        carrier_id=own, vehicle_id=vehicle, active=1)  # fmt: skip
        driver = _insert(connection, "app_user", username="driver", role="driver",
                         carrier_id=2, vehicle_id=vehicle, active=1)  # fmt: skip
        _insert(connection, "api_token", user_id=ghost, token_hash="x" * 64)
    upgrade(url)
    with engine.connect() as connection:

        def one(sql: str) -> object:
            return connection.execute(text(sql)).scalar_one()

        assert registered[taxi] == 3 != 2
        assert one("SELECT carrier_id FROM vehicle") == registered[taxi]
        assert one("SELECT carrier_id FROM run_offer") == registered[taxi]
        assert one("SELECT carrier_id FROM deviation") == registered[taxi]
        assert one(f"SELECT carrier_id FROM app_user WHERE id = {dispatcher}") == registered[taxi]
        assert one(f"SELECT active FROM app_user WHERE id = {ghost}") == 0
        assert one(f"SELECT active FROM app_user WHERE id = {nowhere}") == 0, "no carrier 77"
        assert one(f"SELECT active FROM app_user WHERE id = {other}") == 0, "another's vehicle"
        assert one(f"SELECT active FROM app_user WHERE id = {driver}") == 1
        assert one(f"SELECT carrier_id FROM app_user WHERE id = {driver}") == registered[taxi]
        assert one("SELECT count(*) FROM api_token") == 0
    engine.dispose()
