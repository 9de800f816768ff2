"""Errors a user can fix: the command line prints them as one line and exits with status 2."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or environment the user can fix (a file, a key, a DSN).

    The message is the whole story: it names the thing that is wrong, on one line.
    Anything else that escapes is a bug and keeps its traceback.
    """

    exit_status = 2


# What to do about each database problem, shared by the messages below and connect.py's checks.
MIGRATE_FIX = "run `liputan db upgrade` (as the database owner), then this command again"
READ_ONLY_FIX = ("point --dsn or $LIPUTAN_DSN at a writable server (the primary, not a replica) "
                 "or turn off default_transaction_read_only for it")
PRIVILEGE_FIX = ("connect as a role in liputan_writer (the pipeline's role), or run `liputan db "
                 "upgrade` as the database owner if the schema is missing its grants")


def database_problem(exc: BaseException) -> str | None:
    """One line naming what is wrong with the database and how to fix it, if `exc` is a
    database error the user can fix (never migrated, read-only, a role without the
    privilege); None for anything else, which is a bug and keeps its traceback."""
    if not type(exc).__module__.startswith("psycopg"):
        return None  # not a database error; psycopg is not imported for nothing
    from psycopg import errors

    diag = getattr(exc, "diag", None)
    # The server's message alone: str(exc) adds the statement's LINE and a caret.
    detail = (diag and diag.message_primary) or " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, errors.UndefinedTable | errors.InvalidSchemaName):
        return f"the database is not migrated ({detail}): {MIGRATE_FIX}"
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return f"the database is read-only ({detail}): {READ_ONLY_FIX}"
    if isinstance(exc, errors.InsufficientPrivilege):
        return f"the database role may not do this ({detail}): {PRIVILEGE_FIX}"
    return None
