"""Outbox claim benchmark (issue 6): how long one claim takes on a throwaway PostgreSQL with a
broadcast of N rows just planned (the table's statistics stale, as right after a broadcast);
prints figures, asserts nothing.

    python bench/outbox_claim.py [--rows 1000] [--batch 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bot.delivery.outbox import Outbox, OutboxItem  # noqa: E402
from bot.store import create_db_engine  # noqa: E402
from tests.delivery_fixtures import migrated  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    cluster = PostgresCluster().start()
    try:
        engine = create_db_engine(migrated(cluster.create_database()))
        box = Outbox(engine, lambda: T0)
        box.plan(
            OutboxItem(f"broadcast|b|c{n}", f"c{n}", "broadcast", "b", T0, {})
            for n in range(args.rows)
        )
        times = []
        while True:
            start = time.perf_counter()
            batch = box.claim("bench", T0, args.batch, timedelta(minutes=5), 7)
            times.append(time.perf_counter() - start)
            if not batch:
                break
            for delivery in batch:
                box.mark_sent(delivery)
        ms = [t * 1000 for t in times]
        print(
            f"{args.rows} due rows, {len(ms)} claims of up to {args.batch}: "
            f"mean {statistics.mean(ms):.1f} ms, median {statistics.median(ms):.1f} ms, "
            f"max {max(ms):.1f} ms"
        )
        engine.dispose()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
