"""The sources file is validated once, with errors naming file, source and key."""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime

import pytest

from crawler.config import default_sources_path, load_config
from crawler.errors import UserError

GOOD = """
user_agent: "Liputan-test (+https://example.org/contact)"
sources:
  - name: kabar
    url: https://kabar.example/
    feeds: [https://kabar.example/rss]
"""


def write(tmp_path, text):
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text))
    return path


def error_of(tmp_path, text) -> str:
    path = write(tmp_path, text)
    with pytest.raises(UserError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def test_minimal_file_gets_polite_defaults(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert [s.name for s in config.sources] == ["kabar"]
    assert config.obey_robots is True
    assert config.allow_private_addresses is False
    source = config.sources[0]
    assert source.feeds == ("https://kabar.example/rss",)
    assert source.delay > 0 and source.max_pages > 0


def test_unknown_source_key_is_named_with_its_source(tmp_path):
    message = error_of(tmp_path, GOOD + "    feed: [https://kabar.example/x]\n")
    assert "source 'kabar'" in message and "feed: unknown key" in message


def test_unknown_top_level_key_is_named(tmp_path):
    message = error_of(tmp_path, GOOD + "obey_robot: false\n")
    assert "obey_robot: unknown key" in message


def test_missing_name_names_the_source_position(tmp_path):
    message = error_of(tmp_path, GOOD + "  - url: https://b.example/\n    feeds: [https://b.example/f]\n")
    assert "source #2" in message and "missing name" in message


@pytest.mark.parametrize("url", ["kabar.example/rss", "ftp://kabar.example/rss", "https://", "http://a b/"])
def test_bad_url_names_source_and_key(tmp_path, url):
    message = error_of(tmp_path, GOOD.replace("https://kabar.example/rss", url))
    assert "source 'kabar'" in message and "feeds" in message and "bad URL" in message


def test_bad_regex_names_source_and_key(tmp_path):
    message = error_of(tmp_path, GOOD + "    article_url_pattern: '/berita/(\\d+'\n")
    assert "source 'kabar'" in message and "article_url_pattern: bad regex" in message


def test_duplicate_name_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD + "  - name: kabar\n    url: https://b.example/\n"
                                        "    sitemaps: [https://b.example/s.xml]\n")
    assert "source 'kabar'" in message and "duplicate name" in message


def test_bad_cleaning_rule_names_source(tmp_path):
    message = error_of(tmp_path, GOOD + "    clean:\n      drop_patterns: ['(']\n")
    assert "source 'kabar'" in message and "clean.drop_patterns" in message


def test_source_without_anything_to_crawl_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD.replace("    feeds: [https://kabar.example/rss]\n", ""))
    assert "needs at least one of feeds, sitemaps, start_urls" in message


def test_user_agent_must_say_how_to_reach_the_operator(tmp_path):
    message = error_of(tmp_path, GOOD.replace("(+https://example.org/contact)", "bot"))
    assert "user_agent" in message


def test_not_yaml_and_missing_file_are_one_line_errors(tmp_path):
    assert "not valid YAML" in error_of(tmp_path, "sources: [\n")
    with pytest.raises(UserError, match="not found"):
        load_config(tmp_path / "nope.yaml")


def test_since_and_private_networks_are_parsed(tmp_path):
    config = load_config(write(tmp_path, GOOD + "since: 2024-05-01\n"
                                                "allow_private_addresses: [127.0.0.0/8]\n"))
    assert config.since == datetime(2024, 5, 1, tzinfo=UTC)
    assert config.allowed_private_networks == ("127.0.0.0/8",)
    assert "not a network" in error_of(tmp_path, GOOD + "allow_private_addresses: [nope]\n")


def test_select_refuses_unknown_names(tmp_path):
    config = load_config(write(tmp_path, GOOD))
    assert config.select(["kabar"]) == config.sources
    with pytest.raises(UserError, match="no source named 'nope'"):
        config.select(["nope"])


def test_shipped_indonesian_sources_are_valid():
    config = load_config(default_sources_path())
    names = {s.name for s in config.sources}
    assert {"antaranews", "kompas", "detik", "sindonews", "tempo", "cnnindonesia", "republika",
            "liputan6", "okezone", "tribunnews"} <= names
    assert config.obey_robots and not config.allow_private_addresses
    assert all(s.max_pages <= 50 for s in config.sources)


def test_news_web_sources_file_is_valid(news_web, tmp_path):
    config = load_config(news_web.sources_file(tmp_path))
    assert {s.name for s in config.sources} == set(news_web.sites())
    assert config.allow_private_addresses
