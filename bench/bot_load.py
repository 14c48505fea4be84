"""Load benchmark for the bot (issue 4, "Measured"): prints figures, asserts nothing.

Closed loop: each simulated conversation posts a caseworker question (tests/eval/questions.yaml)
to ``/api/messages`` and sends its next one when the reply has reached the fake Bot Connector
(bench/fake_connector.py, in this process). Each server runs as a subprocess in local mode (no
app id, loopback only); every server is measured at 1 and then 50 concurrent conversations for
``--seconds`` each. Latency is from the request being sent to the reply arriving at the
connector; CPU per reply is the server process's user+system time (/proc/<pid>/stat) over the
replies it sent.

    python bench/bot_load.py [--seconds 30] [--conversations 1 50]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from fake_connector import FakeConnector  # noqa: E402

from tests.eval.harness import load_questions  # noqa: E402
from tests.playground import free_port, stop  # noqa: E402

REPLY_TIMEOUT = 10.0
UNPATCHED_BOT = (
    "import bot.teams.adapter as a; a.REUSE_CONNECTOR_CLIENTS = False; "
    "from bot.__main__ import main; main()"
)


@dataclass(frozen=True)
class Server:
    name: str
    argv: tuple[str, ...]  # {port} is filled in
    health: str  # a GET path that answers when ready, or "" to wait for the port only


SERVERS = (
    Server("echo bot (unpatched framework)", ("bench/echo_bot.py", "{port}"), ""),
    Server("echo bot + our connector fixes", ("bench/echo_bot.py", "{port}", "--patched"), ""),
    Server("Rutinebot, SDK connector (before)", ("-c", UNPATCHED_BOT), "/healthz"),
    Server("Rutinebot (after)", ("-m", "bot"), "/healthz"),
)


@dataclass
class Result:
    server: str
    conversations: int
    seconds: float
    latencies: list[float]
    errors: int
    cpu_seconds: float

    def row(self) -> str:
        n = len(self.latencies)
        q = percentiles(self.latencies)
        cpu = self.cpu_seconds / n * 1000 if n else float("nan")
        return (
            f"| {self.server} | {self.conversations} | {n / self.seconds:.0f} | "
            f"{q[49] * 1000:.1f} | {q[94] * 1000:.1f} | {q[98] * 1000:.1f} | {cpu:.1f} | "
            f"{self.errors} |"
        )


def percentiles(values: list[float]) -> list[float]:
    """The 99 cut points of ``values`` ([49] is p50, [94] p95, [98] p99); NaN below two values."""
    return statistics.quantiles(values, n=100) if len(values) >= 2 else [float("nan")] * 99


def questions() -> list[str]:
    return [question.text for question in load_questions()]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def activity(service_url: str, conversation: str, text: str) -> dict:
    return {
        "type": "message",
        "id": str(uuid.uuid4()),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:bench-user", "name": "Kari Veileder", "aadObjectId": "aad-bench"},
        "recipient": {"id": "28:rutinebot", "name": "Rutinebot"},
        "conversation": {"id": conversation, "conversationType": "personal", "tenantId": "t"},
        "channelData": {"tenant": {"id": "t"}},
        "text": text,
    }


async def one_turn(session, url, connector, conversation, text) -> float:
    waiting = connector.expect_reply(conversation)
    sent = time.perf_counter()
    async with session.post(url, json=activity(connector.url, conversation, text)) as response:
        await response.read()
        if response.status >= 300:
            waiting.cancel()
            raise RuntimeError(f"HTTP {response.status}")
    arrival = await asyncio.wait_for(waiting, REPLY_TIMEOUT)
    return arrival.at - sent


async def conversation_loop(session, url, connector, name, texts, deadline, result) -> None:
    for text in texts:  # bounded: texts is finite (see closed_loop)
        if time.perf_counter() >= deadline:
            return
        try:
            result.latencies.append(await one_turn(session, url, connector, name, text))
        except (TimeoutError, aiohttp.ClientError, RuntimeError):
            result.errors += 1


async def closed_loop(name, urls, pids, connector, conversations, seconds, prefix) -> Result:
    """``conversations`` closed-loop conversations for ``seconds``: conversation ``c`` is
    ``{prefix}-{c}`` and posts to ``urls[c mod len(urls)]``; CPU is summed over ``pids``."""
    texts = questions()
    result = Result(name, conversations, seconds, [], 0, 0.0)
    limit = aiohttp.TCPConnector(limit=conversations + 10)
    async with aiohttp.ClientSession(connector=limit) as session:
        for i, url in enumerate(urls):  # warm-up: each server's first search and connector client
            for j in range(3):
                await one_turn(session, url, connector, f"warm-{i}-{j}", texts[j])
        max_turns = int(seconds * 2000)  # far more than any server answers: a bound, not a goal
        cpu_before = sum(cpu_seconds(pid) for pid in pids)
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(
                conversation_loop(
                    session,
                    urls[c % len(urls)],
                    connector,
                    f"{prefix}-{c}",
                    itertools.islice(itertools.cycle(texts[c % len(texts) :] + texts), max_turns),
                    deadline,
                    result,
                )
                for c in range(conversations)
            )
        )
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    return result


async def wait_ready(port: int, health: str, process: subprocess.Popen) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(600):  # at most 60 s
            if process.poll() is not None:
                raise RuntimeError(f"server exited with {process.returncode}")
            try:
                if health:
                    async with session.get(f"http://127.0.0.1:{port}{health}") as response:
                        if response.status == 200:
                            return
                else:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                        return
            except OSError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start within 60 s")


async def measure(server: Server, connector, counts, seconds) -> list[Result]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="rutinebot-bench-") as data:
        env = {
            **os.environ,
            "PORT": str(port),
            "DATA_DIR": data,
            "PYTHONPATH": str(ROOT),
            "MicrosoftAppId": "",
            "MicrosoftAppPassword": "",
        }
        argv = [sys.executable, *(a.format(port=port) for a in server.argv)]
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            await wait_ready(port, server.health, process)
            urls, pids = [f"http://127.0.0.1:{port}/api/messages"], [process.pid]
            results = []
            for n in counts:
                results.append(
                    await closed_loop(server.name, urls, pids, connector, n, seconds, f"bench-{n}")
                )
                print(results[-1].row(), file=sys.stderr, flush=True)
            return results
        finally:
            stop(process)


async def main_async(args) -> None:
    connector = FakeConnector()
    await connector.start()
    try:
        results = []
        for server in SERVERS:
            if args.only and not any(o.lower() in server.name.lower() for o in args.only):
                continue
            results += await measure(server, connector, args.conversations, args.seconds)
    finally:
        await connector.stop()
    print(
        f"\n{args.seconds:g} s per row; {os.cpu_count()} CPUs; load driver and fake connector "
        "share the machine with the server\n"
    )
    print(
        "| server | conversations | replies/s | p50 ms | p95 ms | p99 ms | CPU ms/reply | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in sorted(results, key=lambda r: r.conversations):
        print(result.row())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="per row (default 30)")
    parser.add_argument("--conversations", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--only", nargs="*", help="servers whose name contains one of these")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
