"""A step's progress: a bar on a terminal, plain log lines in files, pipes and Airflow logs."""

from __future__ import annotations

import io
import logging

from crawler.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_is_redrawn_in_place_and_cleared(caplog):
    screen = Terminal()
    with caplog.at_level(logging.INFO, logger="crawler"):
        progress = Progress("clean", 40, stream=screen)
        progress.update(10, force=True)
        progress.update(40, "3.0 pages/s", force=True)
        progress.close()
    drawn = screen.getvalue().split("\r")
    assert any(line.startswith("clean [######..................] 10/40 pages") for line in drawn)
    assert any("[########################] 40/40 pages, 3.0 pages/s" in line for line in drawn)
    assert drawn[-1] == "" and "\n" not in screen.getvalue()  # the line is left blank
    assert caplog.records == []  # no log lines meanwhile


def test_elsewhere_the_figures_are_plain_log_lines(caplog):
    pipe = io.StringIO()
    with caplog.at_level(logging.INFO, logger="crawler"):
        progress = Progress("load", None, unit="documents", stream=pipe)
        progress.update(2000, "1990 new", force=True)
        progress.close()
    assert pipe.getvalue() == ""
    assert [r.getMessage() for r in caplog.records] == ["load: 2000 documents, 1990 new"]


def test_in_an_airflow_task_there_is_no_bar_even_on_a_terminal(caplog, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CTX_DAG_ID", "liputan_nightly")
    screen = Terminal()
    with caplog.at_level(logging.INFO, logger="crawler"):
        Progress("crawl", 4, unit="sources", stream=screen).update(1, force=True)
    assert screen.getvalue() == "" and len(caplog.records) == 1


def test_updates_are_throttled(caplog):
    with caplog.at_level(logging.INFO, logger="crawler"):
        progress = Progress("clean", 10, stream=io.StringIO())
        progress.update(1, force=True)
        progress.update(2)  # within PLAIN_EVERY_S of the last line: not shown
    assert len(caplog.records) == 1 and not progress.due()
