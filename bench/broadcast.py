"""Broadcast benchmark (issue 7): a leader's message to many conversations through real bot
processes and a local Bot Connector; prints figures, asserts nothing.

For each setup, ``python -m bot`` instances start (SQLite in the instance's DATA_DIR, or a
throwaway PostgreSQL shared by several, tests/postgres.py), the conversations are stored with
their ``serviceUrl`` pointing at the fake connector (bench/fake_connector.py, in this process),
then one ``broadcast`` row per conversation is planned, due now. Time is from the rows being
committed to the last message reaching the connector; duplicates and losses are counted per
conversation at the connector after the outbox says all are sent (both must be 0).

With Teams' limits on, one instance keeps to 50 messages/s per tenant (the goal is the limit
itself: ~20 s for 1,000); several instances share it with DELIVERY_TENANT_RATE = 50/N. With the
limits off it shows how fast our side is.

    python bench/broadcast.py [--conversations 1000] [--only sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from fake_connector import FakeConnector  # noqa: E402

from bot.delivery.outbox import Outbox  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.delivery_fixtures import record  # noqa: E402
from tests.instance_fixtures import BotProcess, broadcast, status_counts  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402

TIMEOUT = 300.0  # per setup, far above any expected run


@dataclass(frozen=True)
class Setup:
    name: str
    instances: int
    database: str  # "sqlite" or "postgresql"
    limits: bool

    @property
    def tenant_rate(self) -> int:
        return 50 // self.instances


SETUPS = (
    Setup("1 instance, SQLite, Teams' limits on", 1, "sqlite", True),
    Setup("1 instance, SQLite, limits off", 1, "sqlite", False),
    Setup("1 instance, PostgreSQL, Teams' limits on", 1, "postgresql", True),
    Setup("1 instance, PostgreSQL, limits off", 1, "postgresql", False),
    Setup("3 instances, PostgreSQL, limits on (16/s each)", 3, "postgresql", True),
    Setup("3 instances, PostgreSQL, limits off", 3, "postgresql", False),
)


@dataclass
class Figures:
    setup: Setup
    seconds: float
    delivered: int
    duplicates: int
    lost: int
    peak: int  # most messages in any one second at the connector

    def row(self) -> str:
        rate = self.delivered / self.seconds if self.seconds else float("nan")
        return (
            f"| {self.setup.name} | {self.seconds:.1f} | {rate:.0f} | {self.peak} | "
            f"{self.duplicates} | {self.lost} |"
        )


async def run(setup: Setup, n: int, cluster: PostgresCluster | None) -> Figures:
    connector = FakeConnector(keep=10 * n)
    await connector.start()
    with tempfile.TemporaryDirectory(prefix="rutinebot-broadcast-") as tmp:
        base = Path(tmp)
        if setup.database == "postgresql":
            url = cluster.create_database()
            settings = {"DATABASE_URL": url}
        else:
            url = f"sqlite:///{base / 'bot0' / 'rutinebot.db'}"
            settings = {}
        bots = [
            BotProcess(
                base / f"bot{i}",
                HANDBOOK_DIR="",
                DELIVERY_TICK_SECONDS="0.2",
                DELIVERY_LEASE_SECONDS="60",
                DELIVERY_RATE_LIMIT="true" if setup.limits else "false",
                DELIVERY_TENANT_RATE=str(setup.tenant_rate),
                **settings,
            )
            for i in range(setup.instances)
        ]
        store = None
        try:
            for bot in bots:
                bot.start()
            await asyncio.gather(*(bot.wait_healthy() for bot in bots))
            store = Store.open(url)
            ids = [f"19:bench-{i:05d}@thread.tacv2" for i in range(n)]
            for cid in ids:
                store.save_conversation(record(cid, connector.url))
            rows = broadcast(ids, 1, datetime.now(UTC))
            started = time.perf_counter()
            Outbox(store.engine).plan(rows)
            deadline = started + TIMEOUT
            while status_counts(store.engine).get("sent", 0) < n and time.perf_counter() < deadline:
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)  # anything sent twice would arrive now
            messages = [a for a in connector.arrivals if a.type == "message"]
            per_conversation = Counter(a.conversation for a in messages)
            last = max((a.at for a in messages), default=started)
            per_second = Counter(int(a.at - started) for a in messages)
            return Figures(
                setup,
                last - started,
                len(per_conversation),
                sum(per_conversation.values()) - len(per_conversation),
                sum(1 for cid in ids if cid not in per_conversation),
                max(per_second.values(), default=0),
            )
        finally:
            for bot in bots:
                if bot.process is not None and bot.process.poll() is None:
                    await bot.terminate()
            if store is not None:
                store.close()
            if setup.database == "postgresql":
                cluster.drop_database(url)
            await connector.stop()


async def main_async(args) -> None:
    setups = [
        s for s in SETUPS if not args.only or any(o.lower() in s.name.lower() for o in args.only)
    ]
    cluster = None
    if any(s.database == "postgresql" for s in setups):
        cluster = PostgresCluster().start()
    try:
        results = []
        for setup in setups:
            results.append(await run(setup, args.conversations, cluster))
            print(results[-1].row(), file=sys.stderr, flush=True)
    finally:
        if cluster is not None:
            cluster.stop()
    print(
        f"\n{args.conversations} conversations in one tenant; {os.cpu_count()} CPUs; the bots, "
        "the fake connector and PostgreSQL share the machine\n"
    )
    print("| setup | seconds to deliver all | messages/s | peak in 1 s | duplicates | lost |")
    print("|---|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--only", nargs="*", help="setups whose name contains one of these")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
