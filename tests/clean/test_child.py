"""clean in a child process (crawler.clean.child): what the Airflow tasks run, because a task
process may not start clean's pool itself.

- it cleans as `clean()` does and hands back the same figures;
- it works where the pool cannot start: inside a daemonic process (a Celery prefork worker's
  task) and under a host script that must not be imported again (the `airflow` script);
- a child that ends without a result is an error, never "0 cleaned".
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crawler.clean.child import CleanFailed, clean_in_child
from crawler.config import Config, Source
from tests.clean.pages import Page, article_html, documents, short_html, store

REPO = Path(__file__).resolve().parents[2]


def sources_file(tmp_path: Path, *names: str) -> Config:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n" + "".join(
        f"  - name: {name}\n    url: https://{name}.example/\n"
        f"    feeds: [https://{name}.example/rss]\n    language: id\n" for name in names))
    return Config(path=path, sources=tuple(Source(name, f"https://{name}.example/",
                                                   language="id") for name in names))


def test_the_child_cleans_the_chosen_sources_and_reports_their_figures(dsn, tmp_path):
    store(dsn, "anak", [Page("a1", article_html().encode()),
                        Page("a2", article_html("Banjir surut di Jakarta").encode()),
                        Page("stub", short_html().encode())])
    store(dsn, "lain", [Page("a1", article_html().encode())])
    result = clean_in_child(dsn, sources_file(tmp_path, "anak", "lain"), sources=["anak"])
    assert (result.cleaned, result.articles, result.not_articles, result.failed) == (3, 2, 1, 0)
    assert sum(result.reasons.values()) == 1
    assert [doc["is_article"] for doc in documents(dsn, "anak").values()].count(True) == 2
    assert documents(dsn, "lain") == {}


def _clean_as_a_celery_task(dsn: str, path: str, answer) -> None:
    from crawler.config import load_config

    answer.put(clean_in_child(dsn, load_config(path), sources=["harian"]).articles)


def test_a_daemonic_process_can_clean_through_the_child(dsn, tmp_path):
    # Celery's prefork pool runs tasks in daemonic processes, which may not have children.
    store(dsn, "harian", [Page("a1", article_html().encode())])
    config = sources_file(tmp_path, "harian")
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    task = context.Process(target=_clean_as_a_celery_task,
                           args=(dsn, str(config.path), answer), daemon=True)
    task.start()
    task.join(120)
    assert task.exitcode == 0
    assert answer.get(timeout=5) == 1


def test_a_host_script_that_cannot_be_imported_again_does_not_stop_the_clean(dsn, tmp_path):
    # Like the `airflow` script inside a task: importing it a second time (as multiprocessing's
    # children do with the main script) fails.
    store(dsn, "mingguan", [Page("a1", article_html().encode())])
    config = sources_file(tmp_path, "mingguan")
    host = tmp_path / "host.py"
    host.write_text(textwrap.dedent(f"""
        if __name__ != "__main__":
            raise ImportError("the host script was imported again by " + __name__)
        from crawler.clean.child import clean_in_child
        from crawler.config import load_config
        result = clean_in_child({dsn!r}, load_config({str(config.path)!r}),
                                sources=["mingguan"])
        print("articles", result.articles, "failed", result.failed)
    """))
    out = subprocess.run([sys.executable, str(host)], capture_output=True, text=True,
                         cwd=REPO, timeout=120, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["articles", "1", "failed", "0"]


def test_a_child_that_ends_without_a_result_is_an_error(dsn, tmp_path):
    config = sources_file(tmp_path, "hilang")
    config.path.write_text("sources: not a list\n")  # the child's own reading of it fails
    with pytest.raises(CleanFailed, match="exited with 2 without a result"):
        clean_in_child(dsn, config, sources=["hilang"])
