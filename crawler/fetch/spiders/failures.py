"""Why a fetch failed, as the one word stored in liputan.fetches.reason.

The words and what each means: docs/crawl.md, "What a fetch row holds".
"""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer, error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived, _DataLoss

from crawler.fetch.browser import RenderFailed
from crawler.fetch.middlewares import Refused

# Checked in order: the first matching class names the reason.
_BY_EXCEPTION: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, error.TimeoutError, error.TCPTimedOutError), "timeout"),
    ((CannotResolveHostError, error.DNSLookupError), "dns"),
    ((DownloadConnectionRefusedError, error.ConnectionRefusedError), "connection_refused"),
    ((ResponseDataLossError, _DataLoss), "truncated"),
    ((DownloadCancelledError, defer.CancelledError), "too_large"),
    ((error.ConnectionLost, error.ConnectionDone, ResponseNeverReceived, ResponseFailed,
      DownloadFailedError, ConnectionResetError), "connection_reset"),
)


def classify(failure: Failure) -> str:
    """The reason word for a failed request (errback failure)."""
    value = failure.value
    if isinstance(value, (Refused, RenderFailed)):
        return value.reason
    if isinstance(value, HttpError):
        response = value.response
        if 300 <= response.status < 400 and response.meta.get("liputan_known_target"):
            return "duplicate"
        return f"http_{response.status}"
    if isinstance(value, IgnoreRequest):
        message = str(value).lower()
        if "robots.txt" in message:
            return "robots"
        if "redirect" in message:
            return "too_many_redirects"
        if "download_maxsize" in message:  # a compressed body inflating past the limit
            return "too_large"
        return "ignored"
    # Twisted wraps the real cause: ResponseFailed/ResponseNeverReceived carry `reasons`.
    causes = [value, value.__cause__] + [f.value for f in getattr(value, "reasons", []) or []
                                         if isinstance(f, Failure)]
    for cause in causes:
        for classes, reason in _BY_EXCEPTION:
            if isinstance(cause, classes):
                if reason == "connection_reset" and _is_truncation(cause):
                    return "truncated"
                return reason
    return "download_error"


def _is_truncation(value: BaseException) -> bool:
    reasons = getattr(value, "reasons", None) or []
    return any(isinstance(f, Failure) and f.check(_DataLoss) for f in reasons)
