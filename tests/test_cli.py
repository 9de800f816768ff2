"""The `liputan` command as a user types it: help, one-line errors with exit status 2, `run`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from crawler.cli import command_names
from crawler.db.migrate import default_migrations_dir


def liputan(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """Run the real command line in a child process, as a user would."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LIPUTAN_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True, check=False,
        env=full_env, timeout=timeout, cwd=Path(__file__).resolve().parent.parent,
    )


def test_help_lists_every_subcommand():
    result = liputan("--help")
    assert result.returncode == 0
    assert {"run", "db"} <= set(command_names())
    for command in command_names():
        assert f"    {command}" in result.stdout


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("liputan: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_malformed_dsn_is_one_line_naming_where_it_came_from():
    assert_one_line_error(liputan("--dsn", "host=x port", "db", "upgrade"), "malformed --dsn")
    assert_one_line_error(
        liputan("db", "upgrade", env={"LIPUTAN_DSN": "nonsense=1"}), "malformed $LIPUTAN_DSN",
        'invalid connection option "nonsense"')


def test_malformed_dsn_does_not_echo_a_password():
    result = liputan("--dsn", "password=hunter2 host", "db", "upgrade")
    assert_one_line_error(result)
    assert "hunter2" not in result.stderr


def test_unreachable_database_is_one_line_naming_host_and_port():
    result = liputan("--dsn", "host=127.0.0.1 port=9 dbname=x connect_timeout=3", "db", "upgrade")
    assert_one_line_error(result, "cannot connect to database x at 127.0.0.1:9")


def test_missing_migrations_folder_is_one_line(dsn, tmp_path):
    result = liputan("--dsn", dsn, "db", "upgrade", "--migrations", str(tmp_path / "nope"))
    assert_one_line_error(result, "migrations folder", "does not exist")


def test_edited_migration_is_refused_by_the_command(new_database, tmp_path):
    dsn = new_database(migrated=False)
    folder = tmp_path / "sql"
    shutil.copytree(default_migrations_dir(), folder)
    assert liputan("--dsn", dsn, "db", "upgrade", "--migrations", str(folder)).returncode == 0
    again = liputan("--dsn", dsn, "db", "upgrade", "--migrations", str(folder))
    assert again.returncode == 0 and "up to date" in again.stdout

    first = min(folder.glob("*.sql"))
    first.write_text(first.read_text().replace("CREATE", "create", 1))
    assert_one_line_error(
        liputan("--dsn", dsn, "db", "upgrade", "--migrations", str(folder)),
        first.name, "edited after it was applied")


@pytest.mark.timeout(300)
def test_run_without_configuration_uses_an_embedded_database(news_web, tmp_path):
    home = tmp_path / "home"
    sources = news_web.sources_file(tmp_path, sites=news_web.sites()[:1], max_pages=5)
    result = liputan("run", "--sources", str(sources), env={"LIPUTAN_HOME": str(home)},
                     timeout=240)
    assert result.returncode == 0, result.stderr
    assert f"{home}/pgdata" in result.stdout
    assert "migrate" in result.stdout
    assert (home / "pgdata" / "PG_VERSION").is_file()
    # The server stops with the last command that used it: nothing left running.
    assert not (home / "pgdata" / "postmaster.pid").exists()


def test_bad_arguments_are_one_line_naming_the_argument():
    assert_one_line_error(liputan("clean", "--workers", "0"), "--workers", "positive whole number")
    assert_one_line_error(liputan("nosuch"), "invalid choice: 'nosuch'")
    assert_one_line_error(liputan("run", "--since", "yesterday"), "--since")


# Databases in a state the user must fix: every command says so in one line, with the fix,
# instead of a traceback (crawler/cli.py turns the database's error into that line).

@pytest.mark.parametrize("command", ["load", "index", "stories", "status", "clean"])
def test_a_database_never_migrated_is_one_line_naming_the_upgrade(new_database, command):
    result = liputan("--dsn", new_database(migrated=False), "-q", command)
    assert_one_line_error(result, "not migrated", "run `liputan db upgrade`")


def read_only(dsn: str) -> str:
    """`dsn`, whose database now starts every transaction read-only (as a hot standby)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER DATABASE {} SET default_transaction_read_only = on")
                     .format(sql.Identifier(conn.info.dbname)))
    return dsn


def reader_role(dsn: str) -> str:
    """`dsn` connecting as liputan_reader: SELECT on the news.* views only."""
    return make_conninfo(dsn, options="-c role=liputan_reader")


@pytest.mark.parametrize("command", ["load", "index", "stories", "crawl"])
@pytest.mark.parametrize(("database", "fragment"), [(read_only, "read-only"),
                                                    (reader_role, "liputan_writer")])
def test_a_database_the_command_cannot_write_is_one_line_naming_the_cause(
        new_database, tmp_path, command, database, fragment):
    args = [command]
    if command == "crawl":  # refused before any source is fetched (port 9: nothing listens)
        sources = tmp_path / "sources.yaml"
        sources.write_text("sources:\n  - name: nowhere\n    url: http://127.0.0.1:9/\n"
                           "    feeds: [http://127.0.0.1:9/feed.xml]\n")
        args += ["--sources", str(sources)]
    result = liputan("--dsn", database(new_database()), "-q", *args)
    assert_one_line_error(result, fragment)


@pytest.mark.parametrize("days", ["999999999", "1e300", "inf", "nan"])
def test_stories_days_out_of_range_is_one_line(dsn, days):
    assert_one_line_error(liputan("--dsn", dsn, "stories", "--days", days), "--days")
