"""The outlets shipped in crawler/sources/indonesia.yaml are checked against public references.

Each outlet names the references its feeds and URL shapes come from, and its
article_url_pattern, matched as the crawl matches it (Source.article_regex searched in the
absolute URL, crawler/fetch/spiders/news.py `consider`), accepts the real article URLs of
tests/fixtures/source_urls.yaml and rejects the section, tag, index and search URLs listed there.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from crawler.config import Config, Source, default_sources_path, load_config

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "source_urls.yaml"
# Issue 18 asks for at least this many outlets: national, regional, English and the wire.
MIN_OUTLETS = 40
MIN_ARTICLE_URLS = 2
MIN_REJECTED_URLS = 1
# Article requests of one `make run` (the sum of max_pages): 630 when the file grew to 42
# outlets, against 450 for the 15 outlets before; a run must stay about that size.
MAX_RUN_ARTICLE_REQUESTS = 700
# Second-level domains under which an outlet's own domain has three labels (kontan.co.id).
SECOND_LEVEL_DOMAINS = frozenset({"co.id", "or.id", "ac.id", "go.id", "web.id", "my.id"})
# Content networks a feed, sitemap or start URL may be served from instead of the outlet's own
# domain. None is used; one that is must be named here.
NAMED_CDNS: frozenset[str] = frozenset()
ENGLISH_OUTLETS = frozenset({"thejakartapost", "jakartaglobe", "antaranews-en", "tempo-en"})
SOURCE_LINE = re.compile(r"^  - name: (\S+)\s*$")
COMMENT_LINE = re.compile(r"^\s*#")


def shipped() -> Config:
    return load_config(default_sources_path())


def fixture() -> dict[str, dict[str, list[dict[str, str]]]]:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


def fixture_cases(kind: str) -> list[tuple[str, str]]:
    return [(name, entry["url"]) for name, urls in fixture().items() for entry in urls[kind]]


def comment_above(lines: list[str], index: int) -> str:
    """The comment lines right above line `index` of the sources file."""
    start = index
    while start > 0 and COMMENT_LINE.match(lines[start - 1]):
        start -= 1
    return "\n".join(lines[start:index])


def own_domain(url: str) -> str:
    """The registrable domain of `url`'s host: antaranews.com, kontan.co.id."""
    labels = (urlsplit(url).hostname or "").lower().split(".")
    keep = 3 if ".".join(labels[-2:]) in SECOND_LEVEL_DOMAINS else 2
    return ".".join(labels[-keep:])


def on_site(url: str, source: Source) -> bool:
    """`url` belongs to the source as the crawl decides (news.py `_sites`, `on_site`)."""
    host = (urlsplit(url).hostname or "").lower()
    bases = {(urlsplit(u).hostname or "").lower().removeprefix("www.")
             for u in (source.url, *source.seed_urls)}
    return any(host == base or host.endswith("." + base) for base in bases)


def test_the_shipped_file_lists_at_least_forty_outlets():
    assert len(shipped().sources) >= MIN_OUTLETS


def test_every_outlet_names_its_references_in_a_comment():
    lines = default_sources_path().read_text(encoding="utf-8").splitlines()
    named = {match.group(1): comment_above(lines, index)
             for index, line in enumerate(lines) if (match := SOURCE_LINE.match(line))}
    assert set(named) == {source.name for source in shipped().sources}
    assert [name for name, comment in named.items() if "Refs:" not in comment] == []


def test_every_outlet_has_referenced_article_urls_and_urls_to_reject():
    urls = fixture()
    assert set(urls) == {source.name for source in shipped().sources}
    assert [name for name, kinds in urls.items()
            if len(kinds["articles"]) < MIN_ARTICLE_URLS
            or len(kinds["rejected"]) < MIN_REJECTED_URLS] == []
    assert [name for name, kinds in urls.items()
            if any(not entry.get("ref") for entry in kinds["articles"] + kinds["rejected"])] == []


def test_every_outlet_has_an_article_url_pattern():
    assert [source.name for source in shipped().sources if source.article_regex is None] == []


@pytest.mark.parametrize(("name", "url"), fixture_cases("articles"))
def test_the_pattern_accepts_a_referenced_article_url(name, url):
    source = shipped().source(name)
    assert on_site(url, source), "the crawl would not follow it at all"
    assert source.article_regex.search(url), source.article_url_pattern


@pytest.mark.parametrize(("name", "url"), fixture_cases("rejected"))
def test_the_pattern_rejects_a_section_tag_index_or_search_url(name, url):
    source = shipped().source(name)
    assert not source.article_regex.search(url), source.article_url_pattern


def test_feeds_sitemaps_and_start_urls_are_on_the_outlets_own_domain():
    misplaced = [(source.name, url) for source in shipped().sources for url in source.seed_urls
                 if own_domain(url) != own_domain(source.url)
                 and (urlsplit(url).hostname or "") not in NAMED_CDNS]
    assert misplaced == []


def test_english_language_outlets_say_so():
    config = shipped()
    assert {source.name for source in config.sources if source.language == "en"} \
        == ENGLISH_OUTLETS
    assert all(config.source(name).timezone == "Asia/Jakarta" for name in ENGLISH_OUTLETS)


def test_a_make_run_of_the_shipped_outlets_stays_bounded():
    config = shipped()
    assert sum(source.max_pages for source in config.sources) <= MAX_RUN_ARTICLE_REQUESTS
    assert config.obey_robots and not config.allow_private_addresses
