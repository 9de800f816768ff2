"""The clean step stores each article's near-duplicate sketch beside its hash (sql/006)."""

from __future__ import annotations

from pathlib import Path

from crawler import fingerprint
from crawler.clean.step import clean
from crawler.config import Config, Source
from tests.clean.pages import Page, article_html, documents, listing_html, store


def test_articles_get_the_sketch_of_their_text_and_other_pages_none(dsn):
    ids = store(dsn, "kabar", [Page("a1", article_html().encode()),
                               Page("index", listing_html().encode())])
    config = Config(path=Path("sources.yaml"),
                    sources=(Source("kabar", "https://kabarkota.example/", language="id"),))
    clean(dsn, config, sources=["kabar"], workers=1)
    docs = documents(dsn, "kabar")

    article = docs[ids["a1"]]
    assert article["is_article"]
    assert article["sketch"] == list(fingerprint.sketch(article["text"]))
    assert not docs[ids["index"]]["is_article"]
    assert docs[ids["index"]]["sketch"] is None

