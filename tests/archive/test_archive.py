"""`liputan archive`: stored fetches out to WARC, bodies pruned, and read back by a re-clean."""

from __future__ import annotations

import gzip
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from warcio.archiveiterator import ArchiveIterator

from crawler.archive import export
from crawler.archive.export import archive
from crawler.clean.step import clean
from crawler.cli import main
from tests.clean.pages import Page, article_html, documents, listing_html, store

NOW = timedelta(0)  # --older-than 0d: everything stored so far


def pages(n: int) -> list[Page]:
    return [Page(f"a{i}", article_html(f"Berita nomor {i} dari kota").encode())
            for i in range(n)] + [Page("index", listing_html().encode())]


def stored_bodies(dsn: str, source: str) -> dict[int, bytes | None]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT fetch_id, body_gz FROM liputan.fetches WHERE source = %s",
                            [source]).fetchall()
    return {fetch_id: gzip.decompress(body) if body else None for fetch_id, body in rows}


def comparable(docs: dict[int, dict]) -> dict[int, dict]:
    return {fetch_id: {k: v for k, v in doc.items() if k not in ("cleaned_at", "loaded_at")}
            for fetch_id, doc in docs.items()}


def test_archived_fetches_are_warc_records_warcio_reads_with_their_provenance(dsn, tmp_path):
    ids = store(dsn, "arsip", pages(5))
    bodies = stored_bodies(dsn, "arsip")
    result = archive(dsn, tmp_path, older_than=NOW, max_file_bytes=6_000)
    assert result.fetches >= 6 and len(result.files) >= 2  # bounded size: several files
    assert not list(tmp_path.glob("*.part"))
    seen = {}
    for path in result.files:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type == "response":
                    fetch_id = int(record.rec_headers.get_header("WARC-Liputan-Fetch-Id"))
                    seen[fetch_id] = (record.content_stream().read(),
                                      record.rec_headers.get_header("WARC-Liputan-Source"),
                                      record.http_headers.get_statuscode())
    assert {i: seen[i] for i in ids.values()} == {
        i: (bodies[i], "arsip", "200") for i in ids.values()}


def test_a_rerun_archives_nothing_twice(dsn, tmp_path):
    store(dsn, "ulang", pages(2))
    first = archive(dsn, tmp_path, older_than=NOW)
    again = archive(dsn, tmp_path, older_than=NOW)
    assert first.fetches > 0 and again.fetches == 0 and again.files == []


def test_pruned_bodies_are_read_back_from_the_warc_by_a_reclean(dsn, tmp_path):
    store(dsn, "pangkas", pages(4))
    clean(dsn, sources=["pangkas"], workers=1)
    before = comparable(documents(dsn, "pangkas"))
    result = archive(dsn, tmp_path, older_than=NOW, do_prune=True)
    assert result.pruned >= 5 and result.prune_refused == []
    assert set(stored_bodies(dsn, "pangkas").values()) == {None}
    again = clean(dsn, sources=["pangkas"], reclean=True, workers=1)
    assert again.cleaned == len(before) and again.failed == 0
    assert comparable(documents(dsn, "pangkas")) == before


def test_a_missing_warc_leaves_the_documents_and_fails_the_clean(dsn, tmp_path):
    store(dsn, "hilang", pages(1))
    clean(dsn, sources=["hilang"], workers=1)
    before = comparable(documents(dsn, "hilang"))
    result = archive(dsn, tmp_path, older_than=NOW, do_prune=True)
    for path in result.files:
        path.unlink()
    again = clean(dsn, sources=["hilang"], reclean=True, workers=1)
    assert again.failed == len(before) and not again.ok
    assert comparable(documents(dsn, "hilang")) == before


def test_a_warc_that_differs_from_the_database_is_not_pruned(dsn, tmp_path):
    store(dsn, "beda", pages(1))
    result = archive(dsn, tmp_path, older_than=NOW)
    with psycopg.connect(dsn) as conn:  # the stored body changes after archiving
        conn.execute("UPDATE liputan.fetches SET body_sha256 = sha256('other') "
                     "WHERE source = 'beda'")
    pruned = export.prune(dsn, before=export.datetime.now().astimezone())
    assert pruned.prune_refused == [str(p) for p in result.files]
    assert None not in stored_bodies(dsn, "beda").values()


def test_an_archive_killed_between_files_leaves_no_reference_and_the_rerun_completes(
        dsn, tmp_path, monkeypatch):
    store(dsn, "mati", pages(5))
    closes = []
    real_close = export._OpenFile.close

    def dies_on_second_file(self):
        closes.append(self.path)
        if len(closes) == 2:
            raise KeyboardInterrupt  # the process is stopped while writing its second file
        real_close(self)

    monkeypatch.setattr(export._OpenFile, "close", dies_on_second_file)
    with pytest.raises(KeyboardInterrupt):
        archive(dsn, tmp_path, older_than=NOW, max_file_bytes=6_000)
    monkeypatch.undo()
    result = archive(dsn, tmp_path, older_than=NOW, max_file_bytes=6_000)
    with psycopg.connect(dsn) as conn:
        missing, files = conn.execute(
            "SELECT count(*) FILTER (WHERE warc_file IS NULL), count(DISTINCT warc_file) "
            "FROM liputan.fetches WHERE source = 'mati'").fetchone()
    assert missing == 0 and files == len(list(tmp_path.glob("*.warc.gz")))
    assert result.files[0] == closes[1]  # the same name again, now complete


def test_archive_command_prints_one_line_and_refuses_a_bad_age(dsn, tmp_path, capsys):
    store(dsn, "perintah", pages(1))
    assert main(["--dsn", dsn, "archive", "--older-than", "0d", str(tmp_path / "w")]) == 0
    assert "archived" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main(["--dsn", dsn, "archive", "--older-than", "soon", str(tmp_path)])
    assert exit_info.value.code == 2
    (tmp_path / "a-file").write_text("")
    assert main(["--dsn", dsn, "archive", str(tmp_path / "a-file" / "warc")]) == 2
    assert "cannot create the archive folder" in capsys.readouterr().err
    assert Path(tmp_path / "w").is_dir()
