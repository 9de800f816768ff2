"""`liputan report --html`: one static page, rendered by headless Chromium (Debian's chromium
package), showing the stories with their outlets on a timeline and an SVG chart per source,
with every crawled text shown as text, never as markup.

The database is filled by the pipeline's own functions (tests/test_export.py, build_newsroom).
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest

from crawler.cli import main
from crawler.fetch.store import FetchRecord, FetchStore
from tests.test_export import OUTLET_WORDS, build_newsroom

NOW = datetime.now(UTC)

# Long enough for a cold Chromium start on a loaded machine (it took ~2s here).
CHROMIUM_TIMEOUT_S = 60
# Titles are untrusted text from crawled pages: markup in them must show as text.
HOSTILE_TITLE = ('Banjir Garut <img src=x onerror="document.body.dataset.pwned=1">'
                 '<script>document.body.dataset.pwned=2</script> & "air" naik')
FLOOD_TITLE = "Banjir bandang rendam 1.240 rumah di Garut"


def chromium() -> str | None:
    return next((found for name in ("chromium", "chromium-browser", "google-chrome")
                 if (found := shutil.which(name))), None)


def rendered_dom(page: Path, tmp_path: Path) -> lxml.html.HtmlElement:
    """The page as headless Chromium parsed and laid it out (its DOM after loading)."""
    browser = chromium()
    if browser is None:
        pytest.skip("no Chromium found (Debian: apt-get install chromium)")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S, check=True)
    assert done.stdout.strip(), done.stderr[-2000:]
    return lxml.html.document_fromstring(done.stdout)


@pytest.fixture(scope="module")
def room(dsn):
    # Around now: crawl runs are stamped by the database's clock, the report's window ends now.
    # A story's title is its first article's: kabar's, the first to publish each event.
    room = build_newsroom(dsn, now=NOW,
                          titles={("kabar", "flood"): HOSTILE_TITLE,
                                  ("kabar", "rate"): "Bank Indonesia tahan BI-Rate 5,75%"})
    # An outlet whose feed fails on DNS: no article page, no article, a failed run.
    store = FetchStore(dsn, "sepi")
    store.begin_run({})
    store.add(FetchRecord(url="https://sepi.example/rss", kind="feed", discovered_via="config",
                          fetched_at=NOW, reason="dns"))
    store.finish_run("failed", discovered=0, stats={}, error="every feed failed")
    store.close()
    return room


@pytest.fixture(scope="module")
def page(room, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "coverage.html"
    assert main(["--dsn", room.dsn, "report", "--html", str(out), "--days", "3"]) == 0
    return out


@pytest.fixture(scope="module")
def dom(page, tmp_path_factory) -> lxml.html.HtmlElement:
    return rendered_dom(page, tmp_path_factory.mktemp("chromium"))


def test_the_page_is_one_file_that_loads_nothing_from_elsewhere(page):
    tree = lxml.html.fromstring(page.read_bytes())
    assert not tree.xpath("//script | //link | //img | //iframe | //object | //embed")
    assert not [el for el in tree.iter() if el.get("src") or el.get("style")]
    hrefs = [el.get("href") for el in tree.iter() if el.get("href")]
    assert hrefs and all(h.startswith("https://") and ".example/" in h for h in hrefs)
    assert "script-src" not in page.read_text() and "default-src 'none'" in page.read_text()


def test_each_shared_story_shows_its_title_and_its_outlets_on_a_timeline(room, dom):
    stories = {el.get("id"): el for el in dom.xpath("//article[@class='story']")}
    assert set(stories) == {f"story-{room.stories[e]}" for e in ("flood", "rate")}
    flood = stories[f"story-{room.stories['flood']}"]
    assert flood.xpath("string(.//h3)").strip() == HOSTILE_TITLE
    timeline = flood.xpath(".//svg[contains(@class, 'timeline')]")[0]
    assert set(OUTLET_WORDS) <= set(timeline.xpath(".//text/text()"))
    assert len(timeline.xpath(".//circle")) == 3  # one article per outlet
    rate = stories[f"story-{room.stories['rate']}"]
    assert "5,75%" in rate.xpath("string(.//h3)")


def test_stories_covered_by_one_outlet_are_left_out(room, dom):
    shown = " ".join(dom.xpath("//section[@id='stories']//h3//text()"))
    assert "own" not in shown


def test_markup_in_titles_shows_as_text_and_never_runs(dom):
    assert dom.body.get("data-pwned") is None
    assert not dom.xpath("//main//img | //main//script")
    assert HOSTILE_TITLE in dom.text_content()


def test_every_source_has_its_charts(room, dom):
    for source in OUTLET_WORDS:
        card = dom.xpath(f"//article[@id='source-{source}']")[0]
        assert card.xpath("string(.//h3)") == source
        per_day = card.xpath(".//svg[contains(@class, 'per-day')]")
        assert len(per_day) == 1 and len(per_day[0].xpath(".//rect")) == 3  # one bar a day
        runs = card.xpath(".//svg[contains(@class, 'runs')]//rect")
        assert len(runs) == (2 if source == "kabar" else 1)
        reasons = card.xpath(".//svg[contains(@class, 'skipped')]//text/text()")
        assert "fetch: http_404" in reasons and "fetch: timeout" in reasons


def test_the_chart_bars_follow_the_articles_per_day(room, dom):
    # kabar: three articles first seen in the three days (published 30, 20 and 10 hours ago,
    # each seen five minutes later).
    bars = dom.xpath("//article[@id='source-kabar']//svg[contains(@class, 'per-day')]//rect")
    heights = [float(bar.get("height")) for bar in bars]
    titles = [bar.xpath("string(title)") for bar in bars]
    assert sum(int(t.split(": ")[1].split()[0]) for t in titles) == 3
    assert all((h > 0) == (not t.endswith(": 0 article(s)")) for h, t in zip(heights, titles))


def test_an_empty_database_gives_a_page_that_says_so(new_database, tmp_path):
    out = tmp_path / "empty.html"
    assert main(["--dsn", new_database(), "report", "--html", str(out)]) == 0
    dom = rendered_dom(out, tmp_path)
    text = " ".join(dom.text_content().split())
    assert "No story covered by 2 or more outlets" in text
    assert "No source has been crawled yet" in text


def test_an_unwritable_destination_is_one_line(dsn, tmp_path, capsys):
    assert main(["--dsn", dsn, "report", "--html", str(tmp_path / "no" / "such.html")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("liputan: error: cannot write") and "\n" not in err


def test_a_source_failing_on_dns_shows_why(dom):
    card = dom.xpath("//article[@id='source-sepi']")[0]
    assert card.xpath(".//svg[contains(@class, 'skipped')]//text/text()")[:2] == ["fetch: dns",
                                                                                "1"]
    runs = card.xpath(".//svg[contains(@class, 'runs')]//rect")
    assert len(runs) == 1 and "failed" in runs[0].xpath("string(title)")
    bars = card.xpath(".//svg[contains(@class, 'per-day')]//rect")
    assert [float(bar.get("height")) for bar in bars] == [0, 0, 0]
