"""Misbehaving extractors for the failure tests, injected with clean(..., extractor=...).

Module-level functions: workers receive them by reference (pickled by name). Each behaves
like the real extractor except on a page holding its marker.
"""

from __future__ import annotations

import os
import signal
import time

from crawler.clean.extract import extract

HANG = "PAGE-THAT-HANGS"
STUCK = "PAGE-THAT-IGNORES-THE-ALARM"
CRASH = "PAGE-THAT-KILLS-THE-WORKER"
RAISE = "PAGE-THAT-RAISES"
SLOW_S = 0.05


def hanging(html: str, url: str | None = None, **kwargs):
    if HANG in html:
        time.sleep(3600)  # interruptible: the alarm ends it
    if STUCK in html:
        # As if stuck in C code: the alarm is never delivered to Python.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
    return extract(html, url, **kwargs)


def crashing(html: str, url: str | None = None, **kwargs):
    if CRASH in html:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
    if RAISE in html:
        raise RecursionError("maximum recursion depth exceeded")
    return extract(html, url, **kwargs)


def slow(html: str, url: str | None = None, **kwargs):
    time.sleep(SLOW_S)  # long enough for two concurrent cleans to overlap
    return extract(html, url, **kwargs)


BAD_ROW = "PAGE-THE-DATABASE-REFUSES"


def unwritable(html: str, url: str | None = None, **kwargs):
    """A result the database refuses: stands in for any failure of a batch's write."""
    extraction = extract(html, url, **kwargs)
    if BAD_ROW in html:
        extraction.published_at = "not a date"
    return extraction
