"""Each source's child process gets its validated settings from the parent, not the file."""

from __future__ import annotations

import dataclasses

from crawler.config import default_sources_path, load_config
from crawler.fetch.crawl import crawl
from tests.crawl.support import fetches, runs

SITE = "suarapagi"


def articles(dsn: str) -> list[dict]:
    return [r for r in fetches(dsn) if r["kind"] == "article"]


def test_child_crawls_with_what_the_parent_read_though_the_file_changed(news_web, new_database,
                                                                        tmp_path):
    dsn = new_database()
    path = news_web.sources_file(tmp_path, sites=[SITE], max_pages=3)
    config = load_config(path)
    news_web.sources_file(tmp_path, sites=[SITE], max_pages=1)  # same path, other settings

    result = crawl(dsn, config)

    assert result.ok, result.summary()
    assert len(articles(dsn)) == 3  # the parsed max_pages, not the file's new one
    (run,) = runs(dsn, SITE)
    assert run["status"] == "finished" and run["params"]["sources_file"] == str(path)


def test_child_crawls_though_the_file_is_gone(news_web, new_database, tmp_path):
    dsn = new_database()
    path = news_web.sources_file(tmp_path, sites=[SITE], max_pages=2)
    config = load_config(path)
    path.unlink()

    result = crawl(dsn, config)

    assert result.ok, result.summary()
    assert len(articles(dsn)) == 2


def test_settings_survive_the_trip_to_the_child(news_web, tmp_path):
    from crawler.config import config_from_json

    path = news_web.sources_file(tmp_path, since="2024-05-01")
    for config in (load_config(path), load_config(default_sources_path())):
        for source in config.sources:
            child = config_from_json(config.to_json([source.name]))
            assert child == dataclasses.replace(config, sources=(source,))
            assert child.source(source.name) == source
