"""`liputan status` and `liputan load` on the command line."""

from __future__ import annotations

from datetime import timedelta

from crawler.cli import main
from crawler.health.status import status
from crawler.load.merge import load
from tests.load.conftest import T0
from tests.load.corpus import Corpus

corpus = Corpus(seed=9)


def crawl_two_days(pages) -> tuple[int, int]:
    first = pages.run("kabar")
    for i in range(4):
        pages.page(first, f"https://kabar.example/{i}", corpus.text(), source="kabar")
    pages.fetch(first, "https://kabar.example/x", source="kabar", http_status=404,
                reason="http_404")
    pages.conn.execute("UPDATE liputan.crawl_runs SET finished_at = started_at"
                       " + interval '95 seconds' WHERE crawl_run_id = %s", (first,))
    pages.tick(24 * 60)
    second = pages.run("warta")
    pages.page(second, "https://warta.example/1", corpus.text(), source="warta")
    for reason in ("timeout", "timeout", "dns"):
        pages.fetch(second, f"https://warta.example/{reason}", source="warta", reason=reason,
                    http_status=None)
    load(pages.dsn)
    return first, second


def test_status_lists_last_runs_and_per_source_health(pages):
    first, second = crawl_two_days(pages)

    text = status(pages.dsn, days=2, now=T0 + timedelta(days=2)).render()
    lines = text.splitlines()

    runs = [line.split() for line in lines[3:5]]
    assert runs[0][:2] == [str(second), "warta"] and runs[1][:2] == [str(first), "kabar"]
    assert runs[1][4:] == ["1m35s", "finished", "0", "4", "1", "4", "0", "0", "0"]
    health = {line.split()[0]: line for line in lines
              if line.startswith(("  kabar ", "  warta "))}
    assert "20%" in health["kabar"] and "http_404" in health["kabar"]
    assert health["kabar"].split()[-3:] == ["2.0", "4", "0"]
    assert "75%" in health["warta"] and "timeout" in health["warta"]
    assert health["warta"].split()[-3:] == ["0.5", "1", "0"]
    assert lines[-1].startswith("5 article(s), 0 duplicate(s); 0 document(s) waiting to load")


def test_status_of_an_empty_database_says_none(pages):
    text = status(pages.dsn).render()
    assert "(none)" in text
    assert "0 article(s)" in text


def test_load_and_status_commands(pages, capsys):
    crawl_two_days(pages)
    pages.page(pages.run("suara"), "https://suara.example/1", corpus.text(), source="suara")
    pages.page(pages.run("kabar"), "https://kabar.example/9", corpus.text(), source="kabar")

    assert main(["--dsn", pages.dsn, "load", "--source", "suara"]) == 0
    assert "1 new, 0 updated, 0 unchanged, 0 duplicate, 0 rejected" in capsys.readouterr().out
    assert main(["--dsn", pages.dsn, "status", "--runs", "3"]) == 0
    out = capsys.readouterr().out
    assert "Last 3 crawl run(s)" in out
    assert "1 document(s) waiting to load" in out


def test_load_command_refuses_a_bad_batch_size(pages, capsys):
    try:
        main(["--dsn", pages.dsn, "load", "--batch-size", "0"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "positive whole number" in capsys.readouterr().err


def test_load_help_states_the_real_default_batch_size(capsys):
    from crawler.load.merge import DEFAULT_BATCH_SIZE

    try:
        main(["load", "--help"])
    except SystemExit:
        pass
    assert f"(default: {DEFAULT_BATCH_SIZE})" in capsys.readouterr().out
