"""Fuzzing the two doors hostile input comes through, with Hypothesis (bounded examples):

- the sources-file loader: any file -> a Config or a UserError (one line for the user),
  never another exception (a traceback is a bug);
- the extractor: any string -> an Extraction, never an exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.clean.extract import Extraction, extract
from crawler.config import GLOBAL_KEYS, SOURCE_KEYS, Config, load_config
from crawler.errors import UserError

# derandomize: the same examples every run (a CI failure can be replayed); no example database
# is written into the checkout.
FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# YAML scalars of every kind a hand-edited file may hold.
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=40), st.dates(), st.datetimes(),
    st.sampled_from(["http://", "https://[", "http://[::1", "https://x:99999/", "ftp://a/b",
                     "http://a b/", "(", "[a-", "*", "\\", "0.0.0.0/0", "127.0.0.1/33",
                     "2024-13-45", "id", "zz-ZZZZZZZZZ", "https://news.example/feed.xml"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(st.sampled_from(GLOBAL_KEYS + SOURCE_KEYS), st.text(max_size=8)),
                    inner, max_size=4)), max_leaves=12)

VALID = {
    "user_agent": "Fuzz/1 (+https://example.org/fuzz)",
    "sources": [{"name": "contoh", "url": "https://news.example/",
                 "feeds": ["https://news.example/feed.xml"]}],
}


@st.composite
def mutated_configs(draw) -> object:
    """A valid file with one key, at the top or in the source, set to anything."""
    data = yaml.safe_load(yaml.safe_dump(VALID))
    if draw(st.booleans()):
        data[draw(st.sampled_from(GLOBAL_KEYS))] = draw(values)
    else:
        data["sources"][0][draw(st.sampled_from(SOURCE_KEYS))] = draw(values)
    return data


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


documents = st.one_of(
    st.text(max_size=300),
    values.map(_yaml),
    mutated_configs().map(_yaml),
)

_folder = tempfile.TemporaryDirectory(prefix="liputan-fuzz-")


def _load(text: str) -> Config | UserError:
    path = Path(_folder.name) / "sources.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        return load_config(path)
    except UserError as exc:
        return exc


@FUZZ
@given(documents)
def test_any_sources_file_gives_a_config_or_a_one_line_user_error(text):
    outcome = _load(text)
    assert isinstance(outcome, Config | UserError)
    if isinstance(outcome, UserError):
        assert "\n" not in str(outcome) and str(outcome).startswith(_folder.name)


def test_the_fuzzed_base_file_itself_is_valid():
    """The mutations start from a file the loader accepts (else the fuzz proves little)."""
    assert isinstance(_load(_yaml(VALID)), Config)


# The fuzzing above found these (with more examples than a test run affords); each is kept
# as a plain example so the suite stays quick and the fixed bug stays fixed.
@pytest.mark.parametrize("key", ["url", "feeds", "start_urls"])
def test_a_bad_bracketed_host_in_a_url_key_gives_a_user_error(key):
    data = yaml.safe_load(yaml.safe_dump(VALID))
    data["sources"][0][key] = "http://[::1" if key == "url" else ["http://[::1/feed.xml"]
    assert isinstance(_load(_yaml(data)), UserError)


@pytest.mark.parametrize("opener", ["[", "{a: "])
def test_deeply_nested_yaml_gives_a_user_error(opener):
    assert isinstance(_load(opener * 3000), UserError)


# Markup that parsers trip over: unclosed, misnested, odd declarations, entities, scripts.
TAGS = ["html", "head", "body", "title", "meta", "article", "div", "p", "h1", "script",
        "style", "table", "td", "a", "br", "svg", "math", "template", "noscript", "![CDATA[",
        "!DOCTYPE html", "?xml version='1.0'?", "!--", "frameset", "iframe"]
fragments = st.one_of(
    st.text(max_size=60),
    st.builds(lambda t, a, v: f"<{t} {a}=\"{v}\">", st.sampled_from(TAGS),
              st.sampled_from(["class", "property", "content", "lang", "charset", "x"]),
              st.text(max_size=30)),
    st.builds(lambda t: f"</{t}>", st.sampled_from(TAGS)),
    st.sampled_from(["&amp;", "&#0;", "&#x110000;", "&nbsp;", "&xxe;", "\x00", "\ufeff",
                     "\r\n", "<meta property=\"og:type\" content=\"article\">",
                     "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\"</script>",
                     "<meta charset=\"utf-16\">", "<p>" + "kata " * 60 + "</p>"]),
)
pages = st.one_of(st.text(max_size=2000), st.lists(fragments, max_size=40).map("".join))


@FUZZ
@given(pages, st.one_of(st.none(), st.sampled_from(["https://news.example/2024/05/berita",
                                                    "not a url", "http://[::1"])))
def test_any_string_gives_an_extraction(html, url):
    result = extract(html, url)
    assert isinstance(result, Extraction)
    assert result.is_article or result.reason
