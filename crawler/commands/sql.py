"""`liputan sql [-c QUERY [--csv]] [--reader]`: psql on the configured database, the embedded
one included (crawler/db/serve.py; README.md, "Reaching the data")."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    sql = commands.add_parser(
        "sql", help="psql on the database (the embedded one included), or one query",
        description="Opens psql (the machine's, else the one shipped with the embedded "
        "server) on the configured database, as the DSN's user; the embedded server stays up "
        "until psql ends. With -c, runs one query (or psql meta-command such as '\\dv news.*') "
        "and prints its result.")
    sql.add_argument("-c", "--command", dest="query", metavar="QUERY",
                     help="run this one query and print its result, then exit")
    sql.add_argument("--csv", action="store_true",
                     help="with -c: print the result as CSV with a header line")
    sql.add_argument("--reader", action="store_true",
                     help="take the liputan_reader role: the news.* views, read only")
    sql.set_defaults(func=sql_command)


def sql_command(args: argparse.Namespace) -> int:
    from crawler.db.connect import connection, resolve_dsn
    from crawler.db.serve import READER_ROLE, find_psql, psql_command, run_psql
    from crawler.errors import UserError

    if args.csv and args.query is None:
        raise UserError("--csv goes with -c QUERY (psql's own output otherwise)")
    psql = find_psql()  # before starting a server for nothing
    dsn = resolve_dsn(args.dsn)
    # An unreachable server, or a user who may not take the reader role, is one line from
    # us rather than psql's several.
    options = {"options": f"-c role={READER_ROLE}"} if args.reader else {}
    with connection(dsn, autocommit=True, **options):
        pass
    command = psql_command(psql, dsn, query=args.query, csv=args.csv)
    return run_psql(command, dsn, reader=args.reader, interactive=args.query is None)
