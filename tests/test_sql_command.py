"""`liputan sql` (psql on the database, or one query) and `liputan db serve` (the embedded
server kept up, reachable over TCP on 127.0.0.1 and its Unix socket, until Ctrl-C)."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from crawler.cli import main

CLI = [sys.executable, "-m", "crawler.cli"]
ROOT = Path(__file__).resolve().parent.parent
# The first start of an embedded server runs initdb: ~15s here, more on a loaded machine.
SERVER_START_TIMEOUT_S = 120
TRICKY = 'koma, "kutip"\nbaris baru'  # a value CSV must quote


@pytest.fixture(scope="module")
def filled(dsn) -> str:
    with psycopg.connect(dsn) as conn:
        run = conn.execute("INSERT INTO liputan.crawl_runs (source, status) VALUES"
                           " ('kabar', 'finished') RETURNING crawl_run_id").fetchone()[0]
        conn.execute("INSERT INTO liputan.crawl_runs (source, status) VALUES ('warta', 'failed')")
        conn.execute("INSERT INTO liputan.fetches (crawl_run_id, source, url, canonical_url,"
                     " kind, discovered_via, fetched_at, reason)"
                     " VALUES (%s, 'kabar', 'https://kabar.example/a', 'https://kabar.example/a',"
                     " 'article', 'feed', now(), 'timeout')", (run,))
    return dsn


def test_one_query_prints_psql_table(filled, capfd):
    assert main(["--dsn", filled, "sql", "-c",
                 "SELECT source, status FROM news.crawl_runs ORDER BY source"]) == 0
    out = capfd.readouterr().out
    lines = [line.split("|") for line in out.splitlines() if "|" in line]
    assert [[cell.strip() for cell in line] for line in lines] == [
        ["source", "status"], ["kabar", "finished"], ["warta", "failed"]]
    assert "(2 rows)" in out


def test_csv_has_a_header_and_quotes_what_needs_it(filled, capfd):
    assert main(["--dsn", filled, "sql", "--csv", "-c",
                 f"SELECT 1 AS n, {psycopg.sql.quote(TRICKY)} AS text, ARRAY['a', 'b'] AS list"
                 ]) == 0
    rows = list(csv.reader(io.StringIO(capfd.readouterr().out)))
    assert rows == [["n", "text", "list"], ["1", TRICKY, "{a,b}"]]


def test_psql_meta_commands_work_too(filled, capfd):
    assert main(["--dsn", filled, "sql", "-c", r"\dv news.*"]) == 0
    out = capfd.readouterr().out
    assert "articles" in out and "skipped_pages" in out


def test_a_bad_query_is_one_line_and_a_non_zero_exit(filled, capfd):
    assert main(["--dsn", filled, "sql", "-c", "SELEC 1"]) == 2
    err = capfd.readouterr().err.strip()
    assert "\n" not in err
    assert err.startswith("liputan: error: psql: ERROR: syntax error") and "SELEC" in err


def test_the_reader_role_sees_the_views_only(filled, capfd):
    assert main(["--dsn", filled, "sql", "--reader", "--csv", "-c",
                 "SELECT current_user, count(*) FROM news.crawl_runs"]) == 0
    assert capfd.readouterr().out.splitlines()[1] == "liputan_reader,2"
    assert main(["--dsn", filled, "sql", "--reader", "-c",
                 "SELECT count(*) FROM liputan.crawl_runs"]) == 2
    assert "permission denied for schema liputan" in capfd.readouterr().err


def test_csv_needs_a_query(filled, capfd):
    assert main(["--dsn", filled, "sql", "--csv"]) == 2
    assert "--csv goes with -c" in capfd.readouterr().err


def test_no_psql_anywhere_is_one_line(filled, capfd, monkeypatch, tmp_path):
    import pgserver._commands

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pgserver._commands, "POSTGRES_BIN_PATH", tmp_path)
    assert main(["--dsn", filled, "sql", "-c", "SELECT 1"]) == 2
    err = capfd.readouterr().err.strip()
    assert err.startswith("liputan: error: no psql found") and "\n" not in err


def test_an_unreachable_server_is_one_line(tmp_path, capfd):
    assert main(["--dsn", f"host={tmp_path} dbname=nothing connect_timeout=2", "sql"]) == 2
    err = capfd.readouterr().err.strip()
    assert err.startswith("liputan: error: cannot connect to database") and "\n" not in err


def test_interactive_psql_reads_its_input_and_ends_with_it(filled):
    done = subprocess.run([*CLI, "--dsn", filled, "sql"], input="SELECT 40 + 2 AS answer;\n",
                          capture_output=True, text=True, timeout=60, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert "answer" in done.stdout and "42" in done.stdout


def test_serve_keeps_the_embedded_server_up_for_other_tools_until_ctrl_c(tmp_path):
    env = {**os.environ, "LIPUTAN_HOME": str(tmp_path / "home")}
    env.pop("LIPUTAN_DSN", None)
    serve = subprocess.Popen([*CLI, "db", "serve", "--port", "0"], env=env, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        output = Lines(serve)
        lines = output.until("the Unix socket")
        tcp = next(line.strip() for line in lines if line.strip().startswith("postgresql://")
                   and "@127.0.0.1:" in line)
        unix = next(line.strip() for line in lines if "?host=" in line)
        jdbc = next(line.strip() for line in lines if line.strip().startswith("jdbc:"))
        assert jdbc.startswith("jdbc:postgresql://127.0.0.1:") and "?user=postgres" in jdbc

        for dsn in (tcp, unix):
            with psycopg.connect(dsn, connect_timeout=10) as conn:
                assert conn.execute("SELECT current_database()").fetchone() == ("liputan",)
        # Another command on the same home uses the served server, and leaves it up.
        done = subprocess.run([*CLI, "sql", "--csv", "-c", "SELECT current_database() AS db"],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=60,
                              check=False)
        assert done.stdout.splitlines() == ["db", "liputan"], done.stderr
        with psycopg.connect(tcp, connect_timeout=10) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)

        serve.send_signal(signal.SIGINT)
        serve.wait(timeout=60)
    finally:
        if serve.poll() is None:
            serve.kill()
    assert serve.returncode == 0, serve.stderr.read()
    assert "stopped serving" in output.rest()
    assert not (tmp_path / "home" / "pgdata" / "postmaster.pid").exists()  # stopped cleanly
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(unix, connect_timeout=3)


def test_serve_refuses_a_configured_server(capfd):
    assert main(["--dsn", "host=/nowhere dbname=x", "db", "serve"]) == 2
    assert "db serve keeps the embedded server up" in capfd.readouterr().err


class Lines:
    """A process's stdout read line by line in a thread (it prints, then waits for a signal)."""

    def __init__(self, process: subprocess.Popen):
        import queue
        import threading

        self.process, self.seen, self.queue = process, [], queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.queue.put(line)

    def until(self, marker: str, timeout: float = SERVER_START_TIMEOUT_S) -> list[str]:
        import queue

        while not self.seen or marker not in self.seen[-1]:
            try:
                self.seen.append(self.queue.get(timeout=timeout))
            except queue.Empty:
                self.process.kill()
                raise AssertionError(f"no {marker!r} from db serve: {self.seen}") from None
        return self.seen

    def rest(self) -> str:
        self.thread.join(timeout=10)
        while not self.queue.empty():
            self.seen.append(self.queue.get())
        return "".join(self.seen)


def test_a_password_goes_to_psql_by_environment_never_on_its_command_line():
    from crawler.db.serve import psql_command, psql_environment

    dsn = "host=db.example port=5433 dbname=news user=analyst password=s3cret"
    command = psql_command("psql", dsn, query="SELECT 1")
    assert not any("s3cret" in part for part in command)
    assert "host=db.example" in command[2] and "user=analyst" in command[2]
    assert psql_environment(dsn, reader=False)["PGPASSWORD"] == "s3cret"
    assert "role=liputan_reader" in psql_environment(dsn, reader=True)["PGOPTIONS"]
