"""`liputan db upgrade|status`: the schema migrations (README.md, "Migrations")."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database schema: upgrade, status")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    up = db_commands.add_parser("upgrade", help="apply pending SQL migrations")
    up.add_argument("--migrations", type=Path, help="migrations folder (default: sql/)")
    up.set_defaults(func=upgrade)
    st = db_commands.add_parser("status", help="list applied and pending migrations")
    st.add_argument("--migrations", type=Path, help="migrations folder (default: sql/)")
    st.set_defaults(func=status)


def upgrade(args: argparse.Namespace) -> int:
    from crawler.db import migrate
    from crawler.db.connect import describe, resolve_dsn

    dsn = resolve_dsn(args.dsn)
    result = migrate.upgrade(dsn, args.migrations)
    if result.applied:
        names = ", ".join(m.path.name for m in result.applied)
        print(f"{describe(dsn)}: applied {len(result.applied)} migration(s): {names}")
    else:
        print(f"{describe(dsn)}: up to date ({result.already} migration(s) applied)")
    return 0


def status(args: argparse.Namespace) -> int:
    from crawler.db import migrate
    from crawler.db.connect import describe, resolve_dsn

    dsn = resolve_dsn(args.dsn)
    applied, todo = migrate.status(dsn, args.migrations)
    print(f"{describe(dsn)}")
    for migration in applied:
        print(f"  applied  {migration.path.name}")
    for migration in todo:
        print(f"  pending  {migration.path.name}")
    return 0
