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
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_connector import FakeConnector  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "tests" / "eval" / "questions.yaml"
REPLY_TIMEOUT = 10.0
UNPATCHED_BOT = (
    "import bot.adapter as a; a.REUSE_CONNECTOR_CLIENTS = False; "
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
        q = statistics.quantiles(self.latencies, n=100) if n >= 2 else [float("nan")] * 99
        cpu = self.cpu_seconds / n * 1000 if n else float("nan")
        return (
            f"| {self.server} | {self.conversations} | {n / self.seconds:.0f} | "
            f"{q[49] * 1000:.1f} | {q[94] * 1000:.1f} | {q[98] * 1000:.1f} | {cpu:.1f} | "
            f"{self.errors} |"
        )


def questions() -> list[str]:
    return [item["q"] for item in yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    for text in texts:  # bounded: texts is finite (see run_phase)
        if time.perf_counter() >= deadline:
            return
        try:
            result.latencies.append(await one_turn(session, url, connector, name, text))
        except (TimeoutError, aiohttp.ClientError, RuntimeError):
            result.errors += 1


async def run_phase(server, pid, port, connector, conversations, seconds) -> Result:
    url = f"http://127.0.0.1:{port}/api/messages"
    texts = questions()
    result = Result(server.name, conversations, seconds, [], 0, 0.0)
    limit = aiohttp.TCPConnector(limit=conversations + 10)
    async with aiohttp.ClientSession(connector=limit) as session:
        for i in range(3):  # warm-up: first search, first connector client
            await one_turn(session, url, connector, f"warm-{i}", texts[i])
        max_turns = int(seconds * 2000)  # far more than any server answers: a bound, not a goal
        cpu_before = cpu_seconds(pid)
        started = time.perf_counter()
        deadline = started + seconds
        await asyncio.gather(
            *(
                conversation_loop(
                    session,
                    url,
                    connector,
                    f"bench-{conversations}-{c}",
                    itertools.islice(itertools.cycle(texts[c % len(texts) :] + texts), max_turns),
                    deadline,
                    result,
                )
                for c in range(conversations)
            )
        )
        result.seconds = time.perf_counter() - started
        result.cpu_seconds = cpu_seconds(pid) - cpu_before
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
            results = []
            for count in counts:
                results.append(
                    await run_phase(server, process.pid, port, connector, count, seconds)
                )
                print(results[-1].row(), file=sys.stderr, flush=True)
            return results
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


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
