"""`liputan db upgrade|status`: the schema migrations (README.md, "Migrations");
`liputan db serve`: the embedded server kept up for other tools (crawler/db/serve.py)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(commands: argparse._SubParsersAction) -> None:
    db = commands.add_parser("db", help="database schema: upgrade, status; serve the embedded one")
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    up = db_commands.add_parser("upgrade", help="apply pending SQL migrations")
    up.add_argument("--migrations", type=Path, help="migrations folder (default: sql/)")
    up.set_defaults(func=upgrade)
    st = db_commands.add_parser("status", help="list applied and pending migrations")
    st.add_argument("--migrations", type=Path, help="migrations folder (default: sql/)")
    st.set_defaults(func=status)
    serve = db_commands.add_parser(
        "serve", help="keep the embedded PostgreSQL up and print DSNs for other tools",
        description="Starts the embedded server (if no other command has), prints DSNs for "
        "psql, pandas, DBeaver or Metabase, and keeps it up until Ctrl-C or SIGTERM. Its "
        "Unix socket is forwarded to a TCP port on 127.0.0.1: no password, so anyone on this "
        "machine can connect while it runs.")
    serve.add_argument("--port", type=_port, default=SERVE_PORT,
                       help="TCP port on 127.0.0.1 (default %(default)s; 0: any free port)")
    serve.add_argument("--no-tcp", action="store_true",
                       help="no TCP port: the Unix socket DSN only")
    serve.set_defaults(func=serve_command)


# Stable, so that a connection saved once in DBeaver keeps working; outside 5432-5439, where
# Debian puts its own clusters and a machine's own PostgreSQL would already listen.
SERVE_PORT = 55432


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a TCP port (0-65535), not {text!r}")
    return int(text)


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


def serve_command(args: argparse.Namespace) -> int:
    import os

    from crawler.db.connect import DSN_ENV
    from crawler.db.embedded import default_dsn
    from crawler.db.serve import SocketProxy, serve_lines, socket_path, wait_for_stop
    from crawler.errors import UserError

    if args.dsn or os.environ.get(DSN_ENV):
        origin = "--dsn" if args.dsn else f"${DSN_ENV}"
        raise UserError(f"db serve keeps the embedded server up; {origin} names a server "
                        "that is already reachable: give its DSN to your tools")
    dsn = default_dsn()
    proxy = None
    if not args.no_tcp:
        try:
            proxy = SocketProxy(socket_path(dsn), port=args.port).start()
        except OSError as exc:
            raise UserError(f"cannot listen on 127.0.0.1:{args.port} ({exc.strerror}): another "
                            "`liputan db serve`? give --port N, or --port 0 for any free port"
                            ) from exc
    print("\n".join(serve_lines(dsn, proxy)), flush=True)
    try:
        wait_for_stop()
    except KeyboardInterrupt:
        pass  # Ctrl-C or SIGTERM is how serving ends: not an error
    if proxy is not None:
        proxy.stop()
    print("stopped serving; the embedded PostgreSQL stops now (unless another liputan "
          "command is still using it)", flush=True)
    return 0
