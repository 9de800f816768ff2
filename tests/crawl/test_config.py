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


# -- numbers: finite and in range (a delay of .inf hung the crawl, .nan switched it off) -------

@pytest.mark.parametrize(("key", "value"), [
    ("delay", ".inf"), ("delay", ".nan"), ("delay", "-.inf"), ("delay", "86400"),
    ("delay", "-1"), ("max_pages", "10000000000"), ("concurrency", "100000"),
    ("max_depth", "1000000"), ("max_listing_pages", "100000000"), ("max_pages", ".inf")])
def test_non_finite_or_out_of_range_source_number_is_refused(tmp_path, key, value):
    message = error_of(tmp_path, GOOD + f"    {key}: {value}\n")
    assert "source 'kabar'" in message and f"{key}: expected a" in message


@pytest.mark.parametrize(("key", "value"), [
    ("download_timeout", ".nan"), ("download_timeout", ".inf"), ("download_timeout", "86400"),
    ("retry_backoff", ".nan"), ("retry_backoff", ".inf"), ("retries", "1000000"),
    ("max_download_bytes", "1099511627776")])
def test_non_finite_or_out_of_range_crawl_wide_number_is_refused(tmp_path, key, value):
    message = error_of(tmp_path, GOOD + f"{key}: {value}\n")
    assert f"{key}: expected a" in message


def test_a_non_finite_default_is_refused_naming_the_source(tmp_path):
    message = error_of(tmp_path, GOOD + "defaults: {delay: .nan}\n")
    assert "source 'kabar'" in message and "delay: expected a number" in message


def test_numbers_at_their_limits_are_accepted(tmp_path):
    config = load_config(write(tmp_path, GOOD + "    delay: 0\n    concurrency: 100\n"
                                                "download_timeout: 600\nretry_backoff: 0\n"))
    assert config.sources[0].delay == 0.0 and config.download_timeout == 600.0
    assert config.retry_backoff == 0.0 and config.sources[0].concurrency == 100


# -- one line per value: `$` also matches before a final newline --------------------------------

def test_name_with_a_trailing_newline_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD.replace("name: kabar", 'name: "kabar\\n"'))
    assert "name:" in message and "is not a slug" in message


def test_language_with_a_trailing_newline_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD + '    language: "id\\n"\n')
    assert "source 'kabar'" in message and "language:" in message


def test_url_with_a_newline_inside_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD.replace("[https://kabar.example/rss]",
                                              '["https://kabar.example/r\\nss"]'))
    assert "source 'kabar'" in message and "feeds" in message and "bad URL" in message


def test_user_agent_with_a_newline_is_refused(tmp_path):
    message = error_of(tmp_path, GOOD.replace('"Liputan-test (+https://example.org/contact)"',
                                              '"Liputan-test (+https://example.org/)\\nX-A: b"'))
    assert "user_agent" in message


# -- regexes from the file run on RE2: linear time, so no pattern can hang a crawl --------------

def test_article_url_pattern_is_matched_by_re2(tmp_path):
    import re2

    config = load_config(write(tmp_path, GOOD + "    article_url_pattern: '/berita/\\d+/'\n"))
    regex = config.sources[0].article_regex
    assert isinstance(regex, re2._Regexp)
    assert regex.search("https://kabar.example/berita/12/judul")
    assert not regex.search("https://kabar.example/tag/politik")


@pytest.mark.parametrize("pattern", ["(\\w+)/\\1", "/berita/(?!foto)", "(?<=/)read/",
                                     "a++", "(?>a+)b"])
def test_pattern_re2_cannot_take_is_one_line_naming_the_key(tmp_path, pattern):
    message = error_of(tmp_path, GOOD + f"    article_url_pattern: '{pattern}'\n")
    assert "source 'kabar'" in message and "article_url_pattern:" in message
    assert "RE2" in message


def test_drop_pattern_re2_cannot_take_is_refused_naming_the_key(tmp_path):
    message = error_of(tmp_path, GOOD + "    clean:\n      drop_patterns: ['^Baca(?= juga)']\n")
    assert "source 'kabar'" in message and "clean.drop_patterns:" in message
    assert "RE2" in message


def test_reading_leaves_the_garbage_collector_on(tmp_path):
    import gc

    load_config(write(tmp_path, GOOD))
    error_of(tmp_path, "sources: [\n")
    error_of(tmp_path, GOOD + "    delay: .nan\n")
    assert gc.isenabled()
