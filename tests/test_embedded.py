"""The embedded PostgreSQL comes up sized for a bulk load, not with the 128MB defaults."""

from __future__ import annotations

import psycopg

from crawler.db.embedded import SETTINGS


def test_a_new_embedded_server_runs_with_liputans_settings(own_server):
    with psycopg.connect(own_server.uri(), autocommit=True) as conn:
        for name, value in SETTINGS.items():
            assert conn.execute(f"SHOW {name}").fetchone() == (value,), name
        # Kept in the data folder: a later start needs no second restart.
        assert conn.execute("SELECT count(*) FROM pg_file_settings WHERE applied AND "
                            "sourcefile LIKE '%%postgresql.auto.conf' AND name = ANY(%s)",
                            (list(SETTINGS),)).fetchone() == (len(SETTINGS),)
