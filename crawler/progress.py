"""Progress of a step: a bar redrawn in place on a terminal, plain log lines elsewhere.

On a terminal (stderr is a TTY, INFO logging on, not an Airflow task) a step shows one line
`clean [#######.......] 45/120 pages` redrawn at most 5 times a second; in a file, a pipe, CI or
an Airflow task log the same figures go out as ordinary log lines every PLAIN_EVERY_S seconds,
so logs stay readable. README.md, "Logs".
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import TextIO

__all__ = ["Progress"]

BAR_WIDTH = 24
REDRAW_EVERY_S = 0.2
PLAIN_EVERY_S = 10.0


class Progress:
    def __init__(self, label: str, total: int | None, *, unit: str = "pages",
                 logger: logging.Logger | None = None, stream: TextIO | None = None) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.logger = logger or logging.getLogger("crawler")
        self.stream = stream or sys.stderr
        self.bar = _is_terminal(self.stream) and self.logger.isEnabledFor(logging.INFO) \
            and not os.environ.get("AIRFLOW_CTX_DAG_ID")
        self._last = 0.0
        self._drawn = False

    def due(self) -> bool:
        """Whether an update now would show: figures that cost a query are read only then."""
        return time.monotonic() - self._last >= (REDRAW_EVERY_S if self.bar else PLAIN_EVERY_S)

    def update(self, done: int, detail: str = "", *, force: bool = False) -> None:
        if not force and not self.due():
            return
        self._last = time.monotonic()
        of = f"/{self.total}" if self.total is not None else ""
        figures = f"{done}{of} {self.unit}" + (f", {detail}" if detail else "")
        if not self.bar:
            self.logger.info("%s: %s", self.label, figures)
            return
        share = min(1.0, done / self.total) if self.total else 0.0
        filled = int(share * BAR_WIDTH)
        line = f"{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {figures}"
        self.stream.write("\r" + line[:_columns() - 1].ljust(_columns() - 1))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Leave the terminal's line clean for what is printed next."""
        if self._drawn:
            self.stream.write("\r" + " " * (_columns() - 1) + "\r")
            self.stream.flush()
            self._drawn = False


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _columns() -> int:
    try:
        columns = os.get_terminal_size(2).columns
    except OSError:
        columns = 0
    return columns if columns >= 40 else 100  # 0: a pseudo terminal that gives no size
