"""Headless Chromium (Debian's ``chromium``, no downloaded browser) driven over the DevTools
protocol: open a page, wait until some text has rendered, take a screenshot."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path

import aiohttp

from tests.playground import free_port, stop

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


class Page:
    def __init__(self, ws):
        self._ws = ws
        self._ids = itertools.count(1)

    async def call(self, method: str, **params) -> dict:
        call_id = next(self._ids)
        await self._ws.send_json({"id": call_id, "method": method, "params": params})
        async for message in self._ws:
            data = json.loads(message.data)
            if data.get("id") == call_id:
                if "error" in data:
                    raise RuntimeError(data["error"])
                return data["result"]
        raise ConnectionError("DevTools connection closed")

    async def text(self) -> str:
        result = await self.call(
            "Runtime.evaluate", expression="document.body ? document.body.innerText : ''"
        )
        return result["result"].get("value", "")

    async def count(self, selector: str) -> int:
        expression = f"document.querySelectorAll({json.dumps(selector)}).length"
        result = await self.call("Runtime.evaluate", expression=expression)
        return int(result["result"].get("value", 0))

    async def wait_for_text(self, needle: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = await self.text()
            if needle in text:
                return text
            await asyncio.sleep(0.3)
        raise TimeoutError(f"{needle!r} never appeared; page text: {text[:500]!r}")

    async def type_into(self, selector: str, text: str) -> None:
        """Type ``text`` into the element ``selector`` finds and press Enter, as a person would."""
        focus = (
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " if (!el) return false; el.focus(); return true; })()"
        )
        deadline = time.monotonic() + 30
        while not (await self.call("Runtime.evaluate", expression=focus))["result"].get("value"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"nothing to type into at {selector!r}")
            await asyncio.sleep(0.3)
        await self.call("Input.insertText", text=text)
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                text="\r" if kind == "keyDown" else "",
            )

    async def screenshot(self, path: Path) -> None:
        result = await self.call("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(result["data"]))


class Chromium:
    def __init__(self, profile: Path, width: int = 1280, height: int = 1000):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                *FLAGS,
                f"--window-size={width},{height}",
                f"--user-data-dir={profile}",
                f"--remote-debugging-port={self.port}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._session: aiohttp.ClientSession | None = None
        self._ws = None

    async def open(self, url: str) -> Page:
        self._session = aiohttp.ClientSession()
        deadline = time.monotonic() + 30
        while True:
            try:
                async with self._session.get(f"http://127.0.0.1:{self.port}/json/list") as r:
                    targets = await r.json()
                target = next(t for t in targets if t["type"] == "page")
                break
            except (aiohttp.ClientError, StopIteration):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                await asyncio.sleep(0.2)
        self._ws = await self._session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        page = Page(self._ws)
        await page.call("Page.enable")
        await page.call("Page.navigate", url=url)
        return page

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        stop(self.process)
