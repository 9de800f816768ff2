"""`liputan export`: every format read back whole, with provenance URLs and story ids,
filters, and one-line errors for what does not exist.

The articles are made by the pipeline's own functions: crawl runs and fetches through the
crawl's FetchStore, documents through the load (load_documents), stories by update_stories.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from crawler.cli import main
from crawler.fetch.store import FetchRecord, FetchStore
from crawler.load.merge import ExternalDocument, load_documents
from crawler.stories.assign import update_stories

T0 = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)

# Two events, each reported by three outlets in their own words around a shared core (names,
# places, numbers), as outlets do; and one article no other outlet has.
EVENTS = {
    "flood": ("Banjir bandang melanda Kabupaten Garut setelah Sungai Cimanuk meluap pada "
              "Selasa malam. Badan Penanggulangan Bencana Daerah Garut mencatat 1.240 rumah "
              "terendam dan 312 warga mengungsi ke Gedung Olahraga Kerkhof. Bupati Garut "
              "Rudy Gunawan menetapkan status tanggap darurat selama empat belas hari dan "
              "meminta bantuan perahu karet dari Basarnas Bandung."),
    "rate": ("Bank Indonesia menahan suku bunga acuan BI-Rate di level 5,75 persen dalam "
             "Rapat Dewan Gubernur bulan November. Gubernur Perry Warjiyo menyebut keputusan "
             "itu sejalan dengan upaya menjaga stabilitas nilai tukar rupiah yang melemah ke "
             "Rp15.900 per dolar AS serta inflasi yang terkendali di kisaran 2,5 persen."),
}
# What only one outlet reports: about something else each.
EXCLUSIVES = {
    "kabar": "Festival kuliner khas Sunda digelar di alun-alun Tasikmalaya selama tiga hari "
             "dengan seratus lebih pedagang nasi liwet, karedok dan surabi.",
    "warta": "Tim sepak bola Persib Bandung menang dua gol tanpa balas atas Persija di Stadion "
             "Gelora Bandung Lautan Api dalam laga pekan kesebelas Liga 1.",
    "suara": "Harga cabai rawit di Pasar Induk Kramat Jati naik menjadi delapan puluh ribu "
             "rupiah per kilogram karena panen di Jawa Tengah terganggu hujan.",
}
OUTLET_WORDS = {
    "kabar": "Reporter kami di lokasi melaporkan situasi terkini kepada redaksi.",
    "warta": "Sejumlah pengamat menilai langkah tersebut sudah diperkirakan sebelumnya.",
    "suara": "Warga berharap pemerintah segera memberikan kepastian dalam beberapa hari ke depan.",
}


@dataclass
class Newsroom:
    """What the fixture stored: article ids by (source, key), stories by event."""

    dsn: str
    articles: dict[tuple[str, str], int] = field(default_factory=dict)
    urls: dict[int, list[str]] = field(default_factory=dict)
    stories: dict[str, int] = field(default_factory=dict)


def crawl(dsn: str, source: str, pages: list[tuple[str, datetime]],
          failures: list[tuple[str, str]] = ()) -> dict[str, int]:
    """One finished crawl run of `source` through the crawl's store: article pages found in
    its feed, and failed fetches (url, reason); returns url -> fetch_id."""
    store = FetchStore(dsn, source)
    store.begin_run({"test": True})
    feed = f"https://{source}.example/rss"
    for url, fetched_at in pages:
        store.add(FetchRecord(url=url, kind="article", discovered_via="feed",
                              discovered_from=feed, fetched_at=fetched_at, final_url=url,
                              http_status=200, content_type="text/html",
                              body=f"<html><title>{url}</title></html>".encode()))
    for url, reason in failures:
        store.add(FetchRecord(url=url, kind="article", discovered_via="feed",
                              discovered_from=feed, fetched_at=pages[0][1], reason=reason))
    store.finish_run("finished", discovered=len(pages) + len(failures), stats={})
    store.close()
    with psycopg.connect(dsn) as conn:
        return dict(conn.execute(
            "SELECT url, max(fetch_id) FROM liputan.fetches WHERE crawl_run_id = %s"
            " GROUP BY url", (store.run_id,)).fetchall())


def build_newsroom(dsn: str, *, now: datetime = T0,
                   titles: dict[tuple[str, str], str] | None = None) -> Newsroom:
    """Three outlets, two shared events and one exclusive, crawled twice (the second crawl
    refetches one article through another URL: two provenance entries), loaded and grouped."""
    room = Newsroom(dsn)
    titles = titles or {}
    documents: list[ExternalDocument] = []
    for n, source in enumerate(OUTLET_WORDS):
        keys = [*EVENTS, "own"]
        when = {key: now - timedelta(hours=30 - 2 * n - 10 * i) for i, key in enumerate(keys)}
        urls = {key: f"https://{source}.example/berita/{key}-{n}" for key in keys}
        fetched = crawl(dsn, source, [(urls[k], when[k] + timedelta(minutes=5)) for k in keys],
                        failures=[(f"https://{source}.example/berita/gone-{n}", "http_404"),
                                  (f"https://{source}.example/berita/slow-{n}", "timeout")])
        for key in keys:
            body = f"{EVENTS.get(key) or EXCLUSIVES[source]}\n\n{OUTLET_WORDS[source]}"
            title = titles.get((source, key), f"{source}: {key} {n}")
            documents.append(ExternalDocument(fetch_id=fetched[urls[key]], text=body,
                                              title=title, published_at=when[key],
                                              language="id", authors=[f"Penulis {source}"]))
    load_documents(dsn, documents)
    # A later crawl of kabar finds its flood article again through a tracking URL.
    again_url = "https://kabar.example/berita/flood-0?utm_source=rss"
    again = crawl(dsn, "kabar", [(again_url, now - timedelta(hours=1))])
    load_documents(dsn, [ExternalDocument(fetch_id=again[again_url], text=documents[0].text,
                                          title=documents[0].title, language="id",
                                          published_at=documents[0].published_at,
                                          canonical_url="https://kabar.example/berita/flood-0")])
    update_stories(dsn)
    with psycopg.connect(dsn) as conn:
        for article_id, url, source in conn.execute(
                "SELECT article_id, url, source FROM news.articles"):
            room.articles[(source, url.rsplit("/", 1)[1].split("-")[0])] = article_id
        for article_id, url in conn.execute(
                "SELECT article_id, url FROM news.article_urls ORDER BY fetched_at, fetch_id"):
            room.urls.setdefault(article_id, []).append(url)
        for event in EVENTS:
            room.stories[event] = conn.execute(
                "SELECT story_id FROM news.story_articles WHERE article_id = %s",
                (room.articles[("kabar", event)],)).fetchone()[0]
    return room


@pytest.fixture(scope="module")
def room(dsn) -> Newsroom:
    return build_newsroom(dsn)


def export_rows(dsn: str, tmp_path: Path, fmt: str, *options: str) -> list[dict]:
    out = tmp_path / f"out.{fmt}"
    assert main(["--dsn", dsn, "export", "--format", fmt, *options, str(out)]) == 0
    assert not out.with_name(out.name + ".part").exists()
    return read_back(out, fmt)


def read_back(path: Path, fmt: str) -> list[dict]:
    if fmt == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as stream:
            rows = list(csv.DictReader(stream))
        for row in rows:
            row["fetches"] = json.loads(row["fetches"])
            row["authors"] = json.loads(row["authors"])
            row["story_id"] = int(row["story_id"]) if row["story_id"] else None
            row["article_id"] = int(row["article_id"])
        return rows
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow not installed: "
                             "pip install 'liputan[export]' to test --format parquet")
    return pq.read_table(path).to_pylist()


def test_the_fixture_made_two_shared_stories_and_refetched_one_article(room):
    assert room.stories["flood"] != room.stories["rate"]
    assert len(room.urls[room.articles[("kabar", "flood")]]) == 2
    assert len(room.articles) == 9


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_each_format_reads_back_every_article_with_provenance_and_story(room, tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow", reason="pyarrow not installed: "
                            "pip install 'liputan[export]' to test --format parquet")
    rows = export_rows(room.dsn, tmp_path, fmt)

    assert sorted(r["article_id"] for r in rows) == sorted(room.articles.values())
    by_id = {r["article_id"]: r for r in rows}
    for (source, key), article_id in room.articles.items():
        row = by_id[article_id]
        assert row["source"] == source
        assert [f["url"] for f in row["fetches"]] == room.urls[article_id]
        assert all(f["discovered_via"] == "feed" and f["fetched_at"] for f in row["fetches"])
        assert row["fetches"][0]["discovered_from"] == f"https://{source}.example/rss"
        assert row["story_id"] == room.stories.get(key, row["story_id"])
        assert row["authors"] == [f"Penulis {source}"]
        assert row["text"].startswith(EVENTS.get(key) or EXCLUSIVES[source])
    own_stories = {by_id[room.articles[(s, "own")]]["story_id"] for s in OUTLET_WORDS}
    assert len(own_stories) == 3 and not own_stories & set(room.stories.values())


def test_filters_select_by_source_story_and_date(room, tmp_path):
    kabar = export_rows(room.dsn, tmp_path, "jsonl", "--source", "kabar")
    assert {r["source"] for r in kabar} == {"kabar"} and len(kabar) == 3

    flood = export_rows(room.dsn, tmp_path, "jsonl", "--story", str(room.stories["flood"]))
    assert sorted(r["article_id"] for r in flood) == sorted(
        room.articles[(s, "flood")] for s in OUTLET_WORDS)

    both = export_rows(room.dsn, tmp_path, "csv", "--story", str(room.stories["flood"]),
                       "--source", "warta", "--source", "suara")
    assert sorted(r["source"] for r in both) == ["suara", "warta"]

    since = T0 - timedelta(hours=12)
    recent = export_rows(room.dsn, tmp_path, "jsonl", "--since", since.isoformat())
    assert recent and all(datetime.fromisoformat(r["published_at"]) >= since for r in recent)
    assert len(recent) < len(room.articles)


def test_stdout_gets_jsonl_and_the_count_goes_to_stderr(room, capsys):
    assert main(["--dsn", room.dsn, "export", "--format", "jsonl", "--source", "suara", "-"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["source"] for line in out.splitlines()] == ["suara"] * 3
    assert "exported 3 article(s) to stdout" in err


def test_csv_to_stdout_keeps_texts_with_commas_quotes_and_newlines_whole(room, capsys):
    with psycopg.connect(room.dsn) as conn:
        texts = dict(conn.execute("SELECT article_id::text, text FROM news.articles"
                                  " WHERE source = 'kabar'").fetchall())
    assert any("," in t and "\n" in t for t in texts.values())

    assert main(["--dsn", room.dsn, "export", "--format", "csv", "--source", "kabar", "-"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))

    assert {row["article_id"]: row["text"] for row in rows} == texts


def test_unknown_source_or_story_is_one_line_naming_what_exists(room, tmp_path, capsys):
    out = tmp_path / "none.jsonl"
    assert main(["--dsn", room.dsn, "export", "--format", "jsonl", "--source", "nosuch",
                 str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "'nosuch'" in err and "kabar, suara, warta" in err
    assert main(["--dsn", room.dsn, "export", "--format", "jsonl", "--story", "999999",
                 str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no story 999999" in err
    assert not out.exists()


def test_parquet_to_stdout_is_refused(room, capsys):
    pytest.importorskip("pyarrow", reason="pyarrow not installed")
    assert main(["--dsn", room.dsn, "export", "--format", "parquet", "-"]) == 2
    assert "give a file name" in capsys.readouterr().err


def test_parquet_without_pyarrow_names_the_extra(room, tmp_path, capsys, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    assert main(["--dsn", room.dsn, "export", "--format", "parquet",
                 str(tmp_path / "a.parquet")]) == 2
    assert "pip install 'liputan[export]'" in capsys.readouterr().err
