"""Load on several instances (issue 7): 1, 2 and 3 bot processes on one PostgreSQL, and one on
SQLite, each under the same closed-loop load as bench/bot_load.py; prints figures, asserts
nothing.

Each simulated conversation asks caseworker questions (tests/eval/questions.yaml) one after the
other; conversation ``c`` talks to instance ``c mod N`` (clients spread across ports, as a load
balancer without sticky sessions would spread them). Latency is from the request to the reply
reaching the fake Bot Connector; CPU per reply sums all instances' user+system time.

    python bench/instances_load.py [--seconds 20] [--conversations 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bot_load import Result, closed_loop  # noqa: E402
from fake_connector import FakeConnector  # noqa: E402

from tests.instance_fixtures import BotProcess  # noqa: E402
from tests.postgres import PostgresCluster  # noqa: E402

SETUPS = (("SQLite", 1), ("PostgreSQL", 1), ("PostgreSQL", 2), ("PostgreSQL", 3))


async def run(database, instances, cluster, connector, conversations, seconds) -> Result:
    name = f"{instances} instance{'s' if instances > 1 else ''}, {database}"
    with tempfile.TemporaryDirectory(prefix="rutinebot-load-") as tmp:
        url = cluster.create_database() if database == "PostgreSQL" else ""
        bots = [
            BotProcess(
                Path(tmp) / f"bot{i}",
                HANDBOOK_DIR="",
                DATABASE_URL=url,
                DELIVERY_TICK_SECONDS="15",
                DELIVERY_LEASE_SECONDS="300",
            )
            for i in range(instances)
        ]
        try:
            for bot in bots:
                bot.start()
            await asyncio.gather(*(bot.wait_healthy(timeout=120) for bot in bots))
            urls = [f"{bot.url}/api/messages" for bot in bots]
            pids = [bot.pid for bot in bots]
            return await closed_loop(
                name, urls, pids, connector, conversations, seconds, f"load-{instances}"
            )
        finally:
            for bot in bots:
                if bot.process is not None and bot.process.poll() is None:
                    await bot.terminate()
            if url:
                cluster.drop_database(url)


async def main_async(args) -> None:
    connector = FakeConnector()
    await connector.start()
    cluster = PostgresCluster().start()
    try:
        results = []
        for database, instances in SETUPS:
            results.append(
                await run(database, instances, cluster, connector, args.conversations, args.seconds)
            )
            print(results[-1].row(), file=sys.stderr, flush=True)
    finally:
        cluster.stop()
        await connector.stop()
    print(
        f"\n{args.seconds:g} s per row; {args.conversations} concurrent conversations; "
        f"{os.cpu_count()} CPUs shared by the instances, PostgreSQL, the load driver and the "
        "fake connector\n"
    )
    print(
        "| setup | conversations | replies/s | p50 ms | p95 ms | p99 ms | CPU ms/reply | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="per row (default 20)")
    parser.add_argument("--conversations", type=int, default=100)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
