"""`liputan db upgrade`: numbered SQL files, applied once, in order, never half."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import psycopg
import pytest

from crawler.db.migrate import default_migrations_dir, discover, status, upgrade
from crawler.errors import UserError


@pytest.fixture
def migrations(tmp_path: Path) -> Path:
    """A private copy of sql/ that a test may edit."""
    folder = tmp_path / "sql"
    shutil.copytree(default_migrations_dir(), folder)
    return folder


def applied_versions(dsn: str) -> list[int]:
    with psycopg.connect(dsn) as conn:
        return [v for (v,) in conn.execute(
            "SELECT version FROM liputan.schema_migrations ORDER BY version")]


def test_upgrade_applies_every_file_in_order_then_is_a_noop(new_database, migrations):
    dsn = new_database(migrated=False)
    first = upgrade(dsn, migrations)
    assert [m.version for m in first.applied] == [m.version for m in discover(migrations)]
    assert first.already == 0

    second = upgrade(dsn, migrations)
    assert second.applied == []
    assert second.already == len(first.applied)
    assert applied_versions(dsn) == [m.version for m in first.applied]


def test_new_file_is_applied_on_next_upgrade(new_database, migrations):
    dsn = new_database(migrated=False)
    upgrade(dsn, migrations)
    (migrations / "900_extra.sql").write_text("CREATE TABLE liputan.extra (x int);")
    result = upgrade(dsn, migrations)
    assert [m.name for m in result.applied] == ["extra"]
    applied, pending = status(dsn, migrations)
    assert pending == [] and applied[-1].version == 900


def test_edited_applied_migration_is_refused_naming_the_file(new_database, migrations):
    dsn = new_database(migrated=False)
    upgrade(dsn, migrations)
    first = min(migrations.glob("*.sql"))
    first.write_text(first.read_text() + "\n-- a harmless looking edit\n")
    (migrations / "900_extra.sql").write_text("CREATE TABLE liputan.extra (x int);")

    with pytest.raises(UserError, match=rf"{first.name}: edited after it was applied"):
        upgrade(dsn, migrations)
    # Refused before anything ran: the new file was not applied either.
    assert 900 not in applied_versions(dsn)


def test_applied_migration_missing_from_folder_is_refused(new_database, migrations):
    dsn = new_database(migrated=False)
    (migrations / "900_extra.sql").write_text("CREATE TABLE liputan.extra (x int);")
    upgrade(dsn, migrations)
    (migrations / "900_extra.sql").unlink()
    with pytest.raises(UserError, match="900_extra.sql is applied .* missing"):
        upgrade(dsn, migrations)


def test_failing_migration_leaves_nothing_half_applied(new_database, migrations):
    dsn = new_database(migrated=False)
    upgrade(dsn, migrations)
    (migrations / "900_broken.sql").write_text(
        "CREATE TABLE liputan.half (x int);\nSELECT no_such_function();\n"
    )
    with pytest.raises(UserError, match="900_broken.sql: failed, nothing of it applied"):
        upgrade(dsn, migrations)
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT to_regclass('liputan.half')").fetchone()[0] is None
    assert 900 not in applied_versions(dsn)


def test_missing_folder_and_misnamed_files_are_refused(tmp_path, migrations):
    with pytest.raises(UserError, match="does not exist"):
        discover(tmp_path / "nowhere")
    (migrations / "2_Bad Name.sql").write_text("SELECT 1;")
    with pytest.raises(UserError, match="2_Bad Name.sql: migration files are named"):
        discover(migrations)


def test_two_files_with_one_number_are_refused(migrations):
    (migrations / "001_again.sql").write_text("SELECT 1;")
    with pytest.raises(UserError, match="number 1 is also used"):
        discover(migrations)


def test_concurrent_upgrades_apply_each_file_once(new_database, migrations):
    dsn = new_database(migrated=False)
    results, errors = [], []

    def run() -> None:
        try:
            results.append(upgrade(dsn, migrations))
        except Exception as exc:  # noqa: BLE001 - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(len(r.applied) for r in results) == len(discover(migrations))
    assert applied_versions(dsn) == [m.version for m in discover(migrations)]
