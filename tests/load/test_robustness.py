"""Concurrent loads and a database crash in the middle of a load lose and double nothing."""

from __future__ import annotations

import multiprocessing
import random
import time
from contextlib import AbstractContextManager

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from crawler.db.migrate import upgrade
from crawler.db.scratch import scratch_database
from crawler.errors import UserError
from crawler.load.merge import load
from tests.load.conftest import Pages
from tests.load.corpus import Corpus, edit

DOCUMENTS = 800
SPAWN = multiprocessing.get_context("spawn")  # a fresh interpreter: no inherited connections


def populate(pages: Pages, documents: int, seed: int = 0) -> None:
    """Pages of three outlets: wire copies, small edits, re-crawled URLs with new versions."""
    corpus, rng = Corpus(seed=seed), random.Random(seed)
    texts: list[str] = []
    with pages.conn.transaction():
        runs = {source: pages.run(source) for source in ("kabar", "warta", "suara")}
        for i in range(documents):
            source = rng.choice(list(runs))
            roll = rng.random()
            if texts and roll < 0.1:
                text = rng.choice(texts)                      # wire copy
            elif texts and roll < 0.15:
                text = edit(rng.choice(texts), rng)           # small edit
            else:
                text = corpus.text(rng.randint(300, 500))
            texts.append(text)
            # One page in five is a re-crawl of an earlier URL of the same outlet.
            n = rng.randrange(i) if i and rng.random() < 0.2 else i
            pages.page(runs[source], f"https://{source}.example/berita/{n}", text, source=source)


def snapshot(dsn: str) -> dict:
    with psycopg.connect(dsn) as conn:
        return {
            "articles": conn.execute(
                "SELECT canonical_url, version, encode(sha256(convert_to(text, 'UTF8')), 'hex'),"
                " duplicate_kind, (SELECT canonical_url FROM news.articles o"
                "                  WHERE o.article_id = a.duplicate_of)"
                " FROM news.articles a ORDER BY a.canonical_url").fetchall(),
            "links": conn.execute(
                "SELECT u.fetch_id, a.canonical_url, u.version, u.outcome FROM news.article_urls u"
                " JOIN news.articles a USING (article_id) ORDER BY u.fetch_id").fetchall(),
            "versions": conn.execute(
                "SELECT a.canonical_url, v.version, v.fetch_id FROM news.article_versions v"
                " JOIN news.articles a USING (article_id) ORDER BY 1, 2").fetchall(),
            "pending": conn.execute(
                "SELECT count(*) FROM liputan.documents WHERE loaded_at IS NULL").fetchone()[0],
        }


def load_in_child(dsn: str, batch_size: int) -> tuple[int, int, int, int]:
    result = load(dsn, batch_size=batch_size)
    return result.new, result.updated, result.unchanged, result.duplicate


def clone(server_dsn: str, dsn: str) -> AbstractContextManager[str]:
    """A copy of the database `dsn` (which nobody may be connected to), dropped afterwards."""
    source = conninfo_to_dict(dsn)["dbname"]
    return scratch_database(server_dsn, prefix="liputan_test", migrated=False, template=source)


@pytest.fixture
def populated_pair(server_dsn, new_database):
    """Two identical databases of 400 pages: one for two loads at once, one for a single load."""
    pages = Pages(new_database())
    try:
        populate(pages, 400, seed=11)
    finally:
        pages.close()
    with clone(server_dsn, pages.dsn) as twin:
        yield pages.dsn, twin


def test_two_loads_at_once_give_what_one_load_gives(populated_pair):
    together, alone = populated_pair

    with SPAWN.Pool(2) as pool:
        runs = [pool.apply_async(load_in_child, (together, 25)) for _ in range(2)]
        counts = [run.get(timeout=120) for run in runs]
    load(alone, batch_size=25)

    expected = snapshot(alone)
    assert snapshot(together) == expected
    assert expected["pending"] == 0
    # Each fetch was counted by exactly one of the two loads.
    assert sum(sum(c) for c in counts) == len(expected["links"]) == 400


def test_database_crash_in_the_middle_of_a_load_then_rerun_loads_everything_once(own_server):
    dsn = own_server.ensure_database("crash")
    upgrade(dsn)
    pages = Pages(dsn)
    try:
        populate(pages, DOCUMENTS, seed=12)
    finally:
        pages.close()
    with clone(own_server.uri(), dsn) as reference:
        child = SPAWN.Pool(1)
        try:
            running = child.apply_async(load_in_child, (dsn, 10))
            with psycopg.connect(dsn, autocommit=True) as watch:
                deadline = time.monotonic() + 60
                while watch.execute(
                        "SELECT count(*) FROM liputan.article_fetches").fetchone()[0] < 100:
                    assert time.monotonic() < deadline, "the load never got going"
                    time.sleep(0.01)
            own_server.stop(mode="immediate")
            with pytest.raises(UserError, match="run `liputan load` again"):
                running.get(timeout=60)
        finally:
            child.terminate()
            child.join()

        own_server.start()
        interrupted = snapshot(dsn)
        assert 0 < len(interrupted["links"]) < DOCUMENTS, \
            "the crash must hit the middle of the load"
        load(dsn, batch_size=10)
        load(reference, batch_size=10)

        assert snapshot(dsn) == snapshot(reference)
        assert snapshot(dsn)["pending"] == 0
        assert len(snapshot(dsn)["links"]) == DOCUMENTS


def test_a_document_recleaned_after_it_was_read_is_left_for_the_next_load(pages, monkeypatch):
    import crawler.load.merge as loading

    run = pages.run()
    kept = pages.page(run, "https://kabar.example/tetap", Corpus(seed=21).text())
    changed = pages.page(run, "https://kabar.example/diubah", Corpus(seed=22).text())
    real_batches = loading.pending_batches

    def batches_then_reclean(*args):
        for batch in real_batches(*args):
            # The clean step replaces one document between the reader and the merge.
            pages.document(changed, Corpus(seed=23).text())
            yield batch

    monkeypatch.setattr(loading, "pending_batches", batches_then_reclean)
    first = load(pages.dsn)
    monkeypatch.undo()

    assert (first.new, first.skipped) == (1, 1)
    assert pages.one("SELECT fetch_id FROM news.article_urls") == (kept,)
    assert load(pages.dsn).new == 1  # the replaced document, as it is now
    assert pages.one("SELECT count(*) FROM news.article_versions") == (2,)
