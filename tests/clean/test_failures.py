"""A page that hangs or kills its worker is recorded, and the run goes on with the rest.

The misbehaving extractors (tests/clean/extractors.py) are injected with `extractor=`.
"""

from __future__ import annotations

import pytest

import crawler.clean.step
from crawler.clean.step import clean
from tests.clean import extractors
from tests.clean.pages import Page, article_html, documents, store

pytestmark = pytest.mark.timeout(120)


def pages_around(marker: str) -> list[Page]:
    """Six good pages and one bad one in the middle of a batch."""
    good = [Page(f"good{n}", article_html(f"Berita {n}").encode()) for n in range(6)]
    bad = Page("bad", article_html(extra=f"<p>{marker}</p>").encode())
    return good[:3] + [bad] + good[3:]


def assert_only_bad_page_failed(dsn, source, ids, result, reason):
    docs = documents(dsn, source)
    assert result.ok and result.cleaned == 7 and result.articles == 6
    assert result.reasons == {reason: 1}
    assert docs[ids["bad"]]["reason"] == reason and not docs[ids["bad"]]["is_article"]
    assert all(docs[ids[f"good{n}"]]["is_article"] for n in range(6))


def test_a_page_that_hangs_is_interrupted_and_recorded_as_timeout(dsn):
    ids = store(dsn, "macet", pages_around(extractors.HANG))
    result = clean(dsn, sources=["macet"], workers=1, batch_size=10, page_timeout=1.0,
                   extractor=extractors.hanging)
    assert_only_bad_page_failed(dsn, "macet", ids, result, "timeout")


def test_a_page_that_ignores_the_alarm_gets_its_worker_killed(dsn, monkeypatch):
    monkeypatch.setattr(crawler.clean.step, "HARD_KILL_GRACE_S", 1.0)
    ids = store(dsn, "buntu", pages_around(extractors.STUCK))
    result = clean(dsn, sources=["buntu"], workers=2, batch_size=10, page_timeout=1.0,
                   extractor=extractors.hanging)
    assert_only_bad_page_failed(dsn, "buntu", ids, result, "timeout")


def test_a_worker_crash_loses_no_page_and_stops_nothing(dsn):
    ids = store(dsn, "mogok", pages_around(extractors.CRASH))
    result = clean(dsn, sources=["mogok"], workers=2, batch_size=3,
                   extractor=extractors.crashing)
    assert_only_bad_page_failed(dsn, "mogok", ids, result, "extraction_crashed")


def test_an_extractor_exception_is_recorded_as_extraction_failed(dsn):
    ids = store(dsn, "galat", pages_around(extractors.RAISE))
    result = clean(dsn, sources=["galat"], workers=1, extractor=extractors.crashing)
    assert_only_bad_page_failed(dsn, "galat", ids, result, "extraction_failed")


def test_a_rerun_after_a_crash_does_not_retry_the_recorded_page(dsn):
    store(dsn, "sekali", pages_around(extractors.CRASH))
    clean(dsn, sources=["sekali"], workers=1, extractor=extractors.crashing)
    again = clean(dsn, sources=["sekali"], workers=1, extractor=extractors.crashing)
    assert again.pending == 0 and again.cleaned == 0


def test_a_batch_the_database_refuses_is_retried_then_left_for_the_next_run(dsn):
    good = [Page(f"good{n}", article_html(f"Berita {n}").encode()) for n in range(7)]
    bad = Page("bad", article_html(extra=f"<p>{extractors.BAD_ROW}</p>").encode())
    ids = store(dsn, "ditolak", good[:4] + [bad] + good[4:])  # batches: 4 good, bad + 3 good
    result = clean(dsn, sources=["ditolak"], workers=1, batch_size=4,
                   extractor=extractors.unwritable)
    assert not result.ok and result.failed == 4 and result.cleaned == 4
    assert set(documents(dsn, "ditolak")) == {ids[f"good{n}"] for n in range(4)}
    assert "4 FAILED" in result.summary()

    rerun = clean(dsn, sources=["ditolak"], workers=1)
    assert rerun.ok and rerun.pending == 4 and rerun.cleaned == 4
    assert len(documents(dsn, "ditolak")) == 8
