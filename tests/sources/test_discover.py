"""`liputan sources discover URL`: a homepage in, a sources-file entry out."""

from __future__ import annotations

import pytest
import yaml

from crawler.config import DEFAULT_USER_AGENT, load_config
from crawler.sources.discover import source_name
from tests.newsweb.server import TEST_SETTINGS
from tests.sources.support import assert_one_line_error, closed_port, liputan


def discovered(tmp_path, text: str):
    """The printed entry, as a sources file would hold it (it must load)."""
    path = tmp_path / "printed.yaml"
    path.write_text("sources:\n" + text, encoding="utf-8")
    return load_config(path).sources[0]


def test_discover_finds_feeds_sitemaps_sections_and_a_pattern(portal, tmp_path):
    done = liputan("sources", "discover", portal.url("kotaberita", "/"), "--allow-private")
    assert done.returncode == 0, done.stderr
    source = discovered(tmp_path, done.stdout)
    url = portal.url("kotaberita", "")
    assert source.name == "127-0-0-1" and source.language == "id"
    # declared by <link rel=alternate>, then found at a usual path; /rss is a redirect to
    # the first, so it is not a third feed
    assert source.feeds == (url + "/rss/terbaru.xml", url + "/feed.xml")
    assert source.sitemaps == (url + "/sitemap_index.xml",)  # robots.txt's Sitemap: line
    assert source.start_urls == tuple(url + f"/kanal/{s}"
                                      for s in ("nasional", "ekonomi", "olahraga"))
    regex = source.article_regex
    articles = [a.url for a in portal.expected_articles("kotaberita")]
    assert articles and all(regex.search(a) for a in articles)
    assert all(regex.search(a + "?utm_source=rss") for a in articles)
    for not_article in ("/", "/kanal/nasional", "/tag/pemilu-2024", "/penulis/rina-wulandari",
                        "/tentang-kami", "/rss/terbaru.xml", "/laporan-tahunan.pdf"):
        assert not regex.search(url + not_article), not_article
    assert "accepts 12/13 article URLs" in done.stdout  # /tentang-kami is in the sitemap


def test_discover_obeys_robots_txt_and_sends_the_user_agent(portal):
    done = liputan("sources", "discover", portal.url("kotaberita", "/"), "--allow-private",
                   "--name", "kota")
    assert done.returncode == 0, done.stderr
    paths = portal.requested_paths("kotaberita")
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert not [p for p in paths if p.startswith(portal.disallowed_paths("kotaberita"))]
    assert "/rahasia/" not in done.stdout.split("- name: kota", 1)[1]
    assert "/rahasia/feed.xml: robots" in done.stdout  # a declared feed it may not read
    agents = {r.headers.get("user-agent") for r in portal.requests("kotaberita")}
    assert agents == {DEFAULT_USER_AGENT}


def test_discover_write_appends_a_valid_entry_with_the_files_settings(portal, tmp_path):
    path = portal.sources_file(tmp_path, sites=["kotaberita"], download_timeout=10)
    before = path.read_text(encoding="utf-8")
    # No --allow-private: the file's allow_private_addresses (127.0.0.0/8) applies.
    done = liputan("sources", "discover", portal.url("kotaberita", "/"), "--name", "kota2",
                   "--write", path)
    assert done.returncode == 0, done.stderr
    assert f"{path}: source 'kota2' appended" in done.stdout
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and every existing line kept
    config = load_config(path)
    assert [s.name for s in config.sources] == ["kotaberita", "kota2"]
    assert config.sources[1].feeds[0] == portal.url("kotaberita", "/rss/terbaru.xml")
    agents = {r.headers.get("user-agent") for r in portal.requests("kotaberita")}
    assert agents == {TEST_SETTINGS["user_agent"]}


def test_discover_write_refuses_a_duplicate_name_and_leaves_the_file_alone(portal, tmp_path):
    path = portal.sources_file(tmp_path, sites=["kotaberita"], download_timeout=10)
    before = path.read_text(encoding="utf-8")
    done = liputan("sources", "discover", portal.url("kotaberita", "/"), "--name",
                   "kotaberita", "--write", path)
    assert_one_line_error(done, str(path), "already has a source named 'kotaberita'")
    assert path.read_text(encoding="utf-8") == before


def test_discover_write_refuses_a_file_whose_sources_list_is_not_last(portal, tmp_path):
    path = tmp_path / "sources.yaml"
    entry = {"name": "lain", "url": "http://127.0.0.1:1/", "feeds": ["http://127.0.0.1:1/rss"]}
    text = yaml.safe_dump({"sources": [entry]}) + "allow_private_addresses: true\n"
    path.write_text(text, encoding="utf-8")
    done = liputan("sources", "discover", portal.url("kotaberita", "/"), "--name", "kota",
                   "--write", path)
    assert_one_line_error(done, "cannot append the entry")
    assert path.read_text(encoding="utf-8") == text


def test_discover_write_creates_a_missing_file(portal, tmp_path):
    path = tmp_path / "new.yaml"
    done = liputan("sources", "discover", portal.url("kotaberita", "/"), "--allow-private",
                   "--name", "kota", "--write", path)
    assert done.returncode == 0, done.stderr
    assert [s.name for s in load_config(path).sources] == ["kota"]


def test_a_private_address_is_refused_before_any_request(portal):
    done = liputan("sources", "discover", portal.url("kotaberita", "/"))
    assert_one_line_error(done, "not a public address", "--allow-private")
    assert portal.requests("kotaberita") == []


@pytest.mark.parametrize(("path", "fragment"), [
    ("/laporan-tahunan.pdf", "not an HTML page (application/pdf)"),
    ("/rss/terbaru.xml", "not an HTML page (application/rss+xml)"),
    ("/tidak-ada", "answered HTTP 404"),
    ("/rahasia/dapur", "robots.txt forbids it"),
])
def test_a_url_that_is_no_homepage_is_one_line_and_exit_2(portal, path, fragment):
    done = liputan("sources", "discover", portal.url("kotaberita", path), "--allow-private")
    assert_one_line_error(done, fragment)
    if path.startswith("/rahasia/"):
        assert path not in portal.requested_paths("kotaberita")


@pytest.mark.parametrize(("url", "fragment"), [
    (f"http://127.0.0.1:{closed_port()}/", "connection_refused"),
    ("http://nowhere.invalid/", "dns"),
    ("ftp://127.0.0.1/", "not an http:// or https:// URL"),
])
def test_an_unreachable_host_is_one_line_and_exit_2(url, fragment):
    assert_one_line_error(liputan("sources", "discover", url, "--allow-private"), fragment)


def test_a_bad_name_is_refused_before_any_request(portal):
    done = liputan("sources", "discover", portal.url("kotaberita", "/"), "--name", "Kota Berita",
                   "--allow-private")
    assert_one_line_error(done, "--name", "not a slug")
    assert portal.requests("kotaberita") == []


@pytest.mark.parametrize(("url", "name"), [
    ("https://www.kompas.com/", "kompas"),
    ("https://news.detik.com/berita", "detik"),
    ("https://www.republika.co.id/", "republika"),
    ("https://www.pikiran-rakyat.com/", "pikiran-rakyat"),
    ("https://en.tempo.co/", "tempo"),
    ("http://127.0.0.1:8080/", "127-0-0-1"),
])
def test_a_source_is_named_after_its_host(url, name):
    assert source_name(url) == name
