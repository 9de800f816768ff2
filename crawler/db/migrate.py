"""Forward-only migrations: numbered plain-SQL files in `sql/`, applied in order, each once.

An applied file that was edited or removed is refused before anything runs (the database would
no longer match what the code expects); each file runs in one transaction with its checksummed
record, so a failure leaves nothing half-applied. README.md, "Migrations".
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import psycopg

from crawler.db.connect import connection
from crawler.errors import UserError

logger = logging.getLogger(__name__)

MIGRATIONS_ENV = "LIPUTAN_MIGRATIONS"
FILE_NAME = re.compile(r"^(?P<version>\d{3,})_(?P<name>[a-z0-9_]+)\.sql$")
# Any constant works; it only has to be the same for every process that migrates this database.
LOCK_KEY = 0x4C495055  # "LIPU"

BOOKKEEPING = """
CREATE SCHEMA IF NOT EXISTS liputan;
CREATE TABLE IF NOT EXISTS liputan.schema_migrations (
    version     integer PRIMARY KEY,
    name        text        NOT NULL,
    checksum    text        NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path
    sql: str

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.sql.encode()).hexdigest()


@dataclass(frozen=True)
class UpgradeResult:
    applied: list[Migration]
    already: int


def default_migrations_dir() -> Path:
    """$LIPUTAN_MIGRATIONS, else `sql/` of the checkout this package belongs to."""
    env = os.environ.get(MIGRATIONS_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "sql"


def discover(directory: Path) -> list[Migration]:
    """The migration files in `directory`, in order; a misnamed or doubled number is refused."""
    if not directory.is_dir():
        raise UserError(f"migrations folder {directory} does not exist (set {MIGRATIONS_ENV})")
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = FILE_NAME.match(path.name)
        if not match:
            raise UserError(f"{path}: migration files are named NNN_lowercase_name.sql")
        version = int(match["version"])
        if version in found:
            raise UserError(f"{path}: number {version} is also used by {found[version].path.name}")
        found[version] = Migration(version, match["name"], path, path.read_text(encoding="utf-8"))
    if not found:
        raise UserError(f"migrations folder {directory} holds no NNN_name.sql files")
    return [found[v] for v in sorted(found)]


def applied_checksums(conn: psycopg.Connection) -> dict[int, tuple[str, str]]:
    """version -> (name, checksum) of what this database has applied; empty if none."""
    exists = conn.execute("SELECT to_regclass('liputan.schema_migrations')").fetchone()[0]
    if exists is None:
        return {}
    rows = conn.execute("SELECT version, name, checksum FROM liputan.schema_migrations").fetchall()
    return {version: (name, checksum) for version, name, checksum in rows}


def pending(migrations: list[Migration], applied: dict[int, tuple[str, str]]) -> list[Migration]:
    """What is left to apply, after checking that nothing applied was edited or removed."""
    on_disk = {m.version: m for m in migrations}
    for version, (name, checksum) in sorted(applied.items()):
        migration = on_disk.get(version)
        if migration is None:
            raise UserError(
                f"migration {version:03d}_{name}.sql is applied in the database "
                "but missing from the migrations folder"
            )
        if migration.checksum != checksum:
            raise UserError(
                f"{migration.path}: edited after it was applied "
                f"(checksum {migration.checksum[:12]} != applied {checksum[:12]}); "
                "add a new migration instead"
            )
    return [m for m in migrations if m.version not in applied]


def upgrade(dsn: str, directory: Path | None = None) -> UpgradeResult:
    """Apply every pending migration in order; a no-op when none is pending."""
    migrations = discover(directory or default_migrations_dir())
    with connection(dsn, autocommit=True) as conn:
        # Two upgrades at once (two Airflow tasks, two terminals) must not both apply a file.
        conn.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
        try:
            todo = pending(migrations, applied_checksums(conn))
            if todo:
                with conn.transaction():
                    conn.execute(BOOKKEEPING)
            for migration in todo:
                _apply(conn, migration)
            return UpgradeResult(applied=todo, already=len(migrations) - len(todo))
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))


def status(dsn: str, directory: Path | None = None) -> tuple[list[Migration], list[Migration]]:
    """(applied, pending) migrations, checked as `upgrade` would check them."""
    migrations = discover(directory or default_migrations_dir())
    with connection(dsn, autocommit=True) as conn:
        todo = pending(migrations, applied_checksums(conn))
    return [m for m in migrations if m not in todo], todo


def _apply(conn: psycopg.Connection, migration: Migration) -> None:
    logger.info("applying migration %s", migration.path.name)
    try:
        with conn.transaction():
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO liputan.schema_migrations (version, name, checksum)"
                " VALUES (%s, %s, %s)",
                (migration.version, migration.name, migration.checksum),
            )
    except psycopg.Error as exc:
        detail = " ".join(str(exc).split())
        raise UserError(f"{migration.path}: failed, nothing of it applied: {detail}") from exc
