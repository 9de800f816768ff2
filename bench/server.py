"""The PostgreSQL server a benchmark uses: --dsn / $LIPUTAN_TEST_DSN, else an embedded one in a
temporary folder, deleted afterwards. Each benchmark then makes its own scratch databases."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def admin_dsn(dsn: str | None) -> Iterator[str]:
    """An admin DSN: `dsn` itself, or an embedded server's, stopped when the block ends."""
    if dsn:
        yield dsn
        return
    from crawler.db.embedded import EmbeddedServer

    server = EmbeddedServer(tempfile.mkdtemp(prefix="liputan-bench-") + "/pgdata",
                            delete_on_exit=True).start()
    try:
        yield server.uri()
    finally:
        server.close()
