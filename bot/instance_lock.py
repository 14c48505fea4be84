"""One serving process per ``DATA_DIR``: the search index there is this instance's own.

Every instance builds its own Whoosh index from ``HANDBOOK_DIR`` (shared, read-only for the bot)
into ``DATA_DIR/index`` and keeps it in step by itself. Two processes writing one index would
trip over Whoosh's writer lock, so ``python -m bot`` takes an exclusive ``flock`` on
``DATA_DIR/instance.lock`` for as long as it runs and refuses to start when another process
holds it. The kernel drops the lock when the process dies, even on SIGKILL: nothing stale is
left behind.

    with lock_data_dir(config.data_dir):
        serve(config)
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "instance.lock"


class DataDirInUse(RuntimeError):
    """Another running instance holds the lock on this ``DATA_DIR``."""


@contextmanager
def lock_data_dir(data_dir: Path) -> Iterator[Path]:
    """Hold the instance lock on ``data_dir`` (created if missing) for the ``with`` block."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            raise DataDirInUse(f"{data_dir} is in use by another instance (pid {holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield path
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
