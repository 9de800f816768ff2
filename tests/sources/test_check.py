"""`liputan sources check`: each source's URLs fetched once, broken sources named, exit 1."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import yaml

from crawler.config import load_config
from crawler.sources.check import broken_sources
from tests.newsweb.server import TEST_SETTINGS
from tests.sources.support import assert_one_line_error, closed_port, liputan


def sources_file(tmp_path, *entries: dict, **settings: object):
    path = tmp_path / "sources.yaml"
    # A timeout of 10 s, not the crawl tests' 1 s: no test here is about timeouts, and a
    # machine busy with other tests must not turn a healthy source into a broken one.
    data = {**TEST_SETTINGS, "download_timeout": 10, **settings, "sources": list(entries)}
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def healthy(web) -> dict:
    return web.outlets["kotaberita"].source_entry()


def moved(web) -> dict:
    """The portal as a source whose feed moved and whose pattern matches none of its URLs."""
    return {"name": "kota-lama", "url": web.url("kotaberita", "/"),
            "feeds": [web.url("kotaberita", "/rss/pindah.xml")],
            "sitemaps": [web.url("kotaberita", "/sitemaps/news.xml")],
            "article_url_pattern": r"/arsip/\d+/"}


def block(stdout: str, name: str) -> str:
    """The lines of one source in the table, from its verdict on."""
    return ("\n" + stdout).split(f"\n{name}  ", 1)[1].split("\n\n", 1)[0]


def test_a_healthy_source_is_ok_with_counts_ages_and_two_trial_articles(portal, tmp_path):
    path = sources_file(tmp_path, healthy(portal))
    done = liputan("sources", "check", "--sources", path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = block(done.stdout, "kotaberita").splitlines()
    assert lines[0] == "ok"
    feed = next(line for line in lines if "/rss/terbaru.xml" in line).split()
    assert feed[:5] == ["feed", "200", "8", "8", "(100%)"] and feed[5] == "1h"
    assert any(line.split()[:2] == ["sitemap<", "200"] and "/sitemaps/news.xml" in line
               for line in lines)  # the index's sitemaps are read too
    trials = [line for line in lines if line.lstrip().startswith("trial")]
    titles = {a.title[:60] for a in portal.expected_articles("kotaberita")}
    assert len(trials) == 2
    assert all(any(repr(title) in line for title in titles) and " words" in line
               for line in trials)
    assert done.stdout.rstrip().endswith("1 source(s) checked: 1 ok, 0 broken")


def test_a_moved_feed_and_a_pattern_matching_nothing_make_a_source_broken(portal, tmp_path):
    path = sources_file(tmp_path, healthy(portal), moved(portal))
    done = liputan("sources", "check", "--sources", path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert block(done.stdout, "kotaberita").startswith("ok")
    verdict = block(done.stdout, "kota-lama").splitlines()[0]
    assert verdict.startswith("BROKEN: ")
    assert f"feed {portal.url('kotaberita', '/rss/pindah.xml')}: 404" in verdict
    assert "none of 6 article URL(s) matches article_url_pattern" in verdict
    assert "2 source(s) checked: 1 ok, 1 broken (kota-lama)" in done.stdout


def test_each_url_is_fetched_once_and_robots_txt_is_obeyed(portal, tmp_path):
    entry = {**healthy(portal), "feeds": [portal.url("kotaberita", "/rss/terbaru.xml"),
                                          portal.url("kotaberita", "/rahasia/feed.xml")]}
    done = liputan("sources", "check", "--sources", sources_file(tmp_path, entry))
    assert done.returncode == 1
    assert f"feed {portal.url('kotaberita', '/rahasia/feed.xml')}: robots" in done.stdout
    paths = portal.requested_paths("kotaberita")
    assert not [p for p in paths if p.startswith("/rahasia/")]
    seeds = ["/rss/terbaru.xml", "/sitemap_index.xml", "/kanal/nasional", "/robots.txt"]
    assert all(paths.count(p) == 1 for p in seeds), paths
    assert {r.headers.get("user-agent") for r in portal.requests("kotaberita")} == {
        TEST_SETTINGS["user_agent"]}


def test_a_redirect_to_a_link_local_address_is_refused(portal, tmp_path):
    entry = {**healthy(portal), "start_urls": [portal.url("kotaberita", "/promo")]}
    done = liputan("sources", "check", "--sources", sources_file(tmp_path, entry))
    assert done.returncode == 1
    assert f"listing {portal.url('kotaberita', '/promo')}: private_address" in done.stdout


def test_only_the_named_sources_are_checked(portal, tmp_path):
    path = sources_file(tmp_path, healthy(portal), moved(portal))
    done = liputan("sources", "check", "--sources", path, "--source", "kotaberita")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kota-lama" not in done.stdout
    assert "/rss/pindah.xml" not in portal.requested_paths("kotaberita")


def test_a_source_whose_newest_item_is_old_is_broken_unless_max_age_allows(news_web, tmp_path):
    path = news_web.sources_file(tmp_path, sites=["wartaharian"], download_timeout=10)
    newest = max(a.published_at for a in news_web.expected_articles("wartaharian"))
    days = (datetime.now(UTC) - newest).days
    done = liputan("sources", "check", "--sources", path)
    assert done.returncode == 1
    said = re.search(r"BROKEN: newest item is (\d+) days old \(limit 7\)", done.stdout)
    # Its feed also lists a robots-forbidden article a day newer than the expected ones.
    assert said and days - 2 <= int(said.group(1)) <= days, done.stdout
    done = liputan("sources", "check", "--sources", path, "--max-age", str(days + 2))
    assert done.returncode == 0, done.stdout


def test_broken_sources_names_each_broken_source_with_its_reasons(portal, tmp_path):
    config = load_config(sources_file(tmp_path, healthy(portal), moved(portal)))
    broken = broken_sources(config)
    assert list(broken) == ["kota-lama"]
    assert any("404" in reason for reason in broken["kota-lama"])
    assert any("article_url_pattern" in reason for reason in broken["kota-lama"])


def test_a_private_address_the_file_does_not_allow_is_one_line_before_any_fetch(portal,
                                                                              tmp_path):
    path = sources_file(tmp_path, healthy(portal), allow_private_addresses=False)
    done = liputan("sources", "check", "--sources", path)
    assert_one_line_error(done, "source 'kotaberita'", "not a public address")
    assert portal.requests("kotaberita") == []


def test_sources_nothing_answers_for_are_one_line_and_exit_2(tmp_path):
    base = f"http://127.0.0.1:{closed_port()}"
    path = sources_file(tmp_path, {"name": "mati", "url": base + "/", "feeds": [base + "/rss"],
                                   "start_urls": [base + "/kanal"]})
    assert_one_line_error(liputan("sources", "check", "--sources", path),
                          "no URL of the selected source(s) answered", "connection_refused")


def test_a_source_whose_only_url_is_not_html_is_one_line_and_exit_2(portal, tmp_path):
    pdf = portal.url("kotaberita", "/laporan-tahunan.pdf")
    path = sources_file(tmp_path, {"name": "pdf", "url": portal.url("kotaberita", "/"),
                                   "start_urls": [pdf]})
    assert_one_line_error(liputan("sources", "check", "--sources", path),
                          "no URL of the selected source(s) answered", "not_html")


def test_an_unknown_source_name_is_one_line(portal, tmp_path):
    path = sources_file(tmp_path, healthy(portal))
    assert_one_line_error(liputan("sources", "check", "--sources", path, "--source", "nope"),
                          "no source named 'nope'")
    assert portal.requests("kotaberita") == []


def test_the_weekly_dag_task_names_each_broken_source_and_counts_all(portal, tmp_path):
    from crawler.airflow_tasks import source_problems

    config = load_config(sources_file(tmp_path, healthy(portal), moved(portal)))
    problems, total = source_problems(config)
    assert total == 2 and len(problems) == 1
    assert problems[0].startswith(f"{moved(portal)['name']}: ")
