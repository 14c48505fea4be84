"""Load benchmark for the handbook's web pages (issue 8): prints figures, asserts nothing.

The bot runs as a subprocess (``python -m bot``, local mode, the shipped handbook, reminders
off). ``--clients`` closed-loop clients (one keep-alive connection each) then ask for
``/rutiner/<id>`` for ``--seconds``, each walking through every routine from its own starting
point; a second phase does the same with the search (``/rutiner?q=…``, the caseworker
questions of tests/eval/questions.yaml). Latency is from sending the request to having read
the whole body; CPU per request is the server process's user+system time (/proc/<pid>/stat).

Before the load, the cost of rendering a routine page without the cache (Markdown to HTML,
in this process) is timed for every routine.

    python bench/pages_load.py [--seconds 10] [--clients 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bot_load import cpu_seconds, percentiles, questions, wait_ready  # noqa: E402

from bot.web.routine_html import Catalogue, routine_page  # noqa: E402
from handbook import Routine  # noqa: E402
from handbook.loader import load_handbook  # noqa: E402
from handbook.service import SHIPPED_HANDBOOK  # noqa: E402
from tests.playground import free_port, stop  # noqa: E402


@dataclass
class Result:
    name: str
    seconds: float
    cpu: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0

    def row(self) -> str:
        n = len(self.latencies)
        q = percentiles(self.latencies)
        cpu = self.cpu / n * 1000 if n else float("nan")
        return (
            f"| {self.name} | {n / self.seconds:,.0f} | {q[49]:.1f} | {q[94]:.1f} | {q[98]:.1f} "
            f"| {max(self.latencies, default=float('nan')):.1f} | {cpu:.2f} | {self.errors} |"
        )


def render_costs(routines: tuple[Routine, ...], rounds: int) -> list[float]:
    """Milliseconds to render each routine's page from scratch, ``rounds`` times each."""
    catalogue = Catalogue.of(routines)
    today = date(2026, 11, 23)
    costs = []
    for _ in range(rounds):
        for routine in routines:
            started = time.perf_counter()
            routine_page(catalogue, routine, today)
            costs.append((time.perf_counter() - started) * 1000)
    return costs


async def client(session, base, paths, deadline, result) -> None:
    for path in paths:
        if time.monotonic() >= deadline:
            return
        started = time.perf_counter()
        try:
            async with session.get(base + path) as response:
                await response.read()
                ok = response.status == 200
        except aiohttp.ClientError:
            ok = False
        result.latencies.append((time.perf_counter() - started) * 1000)
        result.errors += not ok


async def phase(name, base, pid, paths, clients, seconds) -> Result:
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(connector=connector) as session:
        # Warm-up: every path once (fills the page cache, as a first visitor would).
        for path in paths:
            async with session.get(base + path) as response:
                await response.read()
        cpu_before, started = cpu_seconds(pid), time.monotonic()
        result = Result(name, seconds)
        deadline = started + seconds
        loops = [
            client(
                session,
                base,
                itertools.islice(itertools.cycle(paths), i % len(paths), None),
                deadline,
                result,
            )
            for i in range(clients)
        ]
        await asyncio.gather(*loops)
        result.seconds = time.monotonic() - started
        result.cpu = cpu_seconds(pid) - cpu_before
    return result


async def main_async(args) -> None:
    routines = tuple(p.routine for p in load_handbook(SHIPPED_HANDBOOK).routines)
    costs = render_costs(routines, args.rounds)
    q = percentiles(costs)
    print(
        f"render without cache ({len(costs)} renders of the shipped routines): "
        f"p50 {q[49]:.2f} ms, p95 {q[94]:.2f} ms, max {max(costs):.2f} ms",
        flush=True,
    )
    asked = questions()
    phases = [
        (f"/rutiner/<id> ({len(routines)} routines)", [f"/rutiner/{r.id}" for r in routines]),
        (f"/rutiner?q=… ({len(asked)} questions)", [f"/rutiner?q={quote(q)}" for q in asked]),
    ]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("Microsoft")},
            "PORT": str(port),
            "DATA_DIR": data,
            "DELIVERY_ENABLED": "false",
        }
        env.pop("DATABASE_URL", None)
        env.pop("HANDBOOK_DIR", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            await wait_ready(port, "/healthz", process)
            results = [
                await phase(name, base, process.pid, paths, args.clients, args.seconds)
                for name, paths in phases
            ]
        finally:
            stop(process)
    print(
        f"\n{args.clients} concurrent clients, {args.seconds:.0f} s per row, load average "
        f"{os.getloadavg()[0]:.1f}:\n"
    )
    print(
        "| pages | requests/s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/request | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(result.row())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=20, help="renders per routine, no cache")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
