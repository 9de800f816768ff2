"""The embedded PostgreSQL: sized for a bulk load, not with the 128MB defaults; shared by
commands started together."""

from __future__ import annotations

import os
import subprocess
import sys

import psutil
import psycopg
import pytest

from crawler.db.embedded import SETTINGS


def test_a_new_embedded_server_runs_with_liputans_settings(own_server):
    with psycopg.connect(own_server.uri(), autocommit=True) as conn:
        for name, value in SETTINGS.items():
            assert conn.execute(f"SHOW {name}").fetchone() == (value,), name
        # Kept in the data folder: a later start needs no second restart.
        assert conn.execute("SELECT count(*) FROM pg_file_settings WHERE applied AND "
                            "sourcefile LIKE '%%postgresql.auto.conf' AND name = ANY(%s)",
                            (list(SETTINGS),)).fetchone() == (len(SETTINGS),)


def _postgres_of(pgdata) -> list[psutil.Process]:
    """Running postgres server processes (postmaster and backends) of `pgdata`."""
    found = []
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        if proc.info["name"] == "postgres" and str(pgdata) in (proc.info["cmdline"] or []):
            found.append(proc)
    return found


def _start_liputan(home, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIPUTAN_")}
    env["LIPUTAN_HOME"] = str(home)
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.timeout(400)
def test_commands_started_together_share_one_embedded_server_and_leave_none_running(tmp_path):
    """`liputan db status & liputan db status` on a fresh home: the second waits for the first
    to start (and configure) the server, uses it, and the last to end stops it. Then again on
    the existing home, with the server stopped."""
    home = tmp_path / "home"
    pgdata = home / "pgdata"
    try:
        for attempt in ("fresh home", "existing home"):
            processes = [_start_liputan(home, "db", "status") for _ in range(3)]
            for process in processes:
                out, err = process.communicate(timeout=180)
                assert process.returncode == 0, (attempt, err[-2000:])
                assert f"liputan at {pgdata}" in out, (attempt, out)
            assert not (pgdata / "postmaster.pid").exists(), attempt
            assert _postgres_of(pgdata) == [], attempt
    finally:
        for proc in _postgres_of(pgdata):  # what a failure left running
            proc.kill()
