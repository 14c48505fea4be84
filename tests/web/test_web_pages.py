"""The public Fredagsprat page: its HTML, and how headless Chromium renders it at 320 and 1280 px."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import signal
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.web.calendar import calendar_routes
from bot.web.pages import CSP, page_routes, render_page
from bot.web.schedule_provider import ScheduleProvider
from schedule import OSLO, SHIPPED_DIR, Schedule, load
from tests.chromium import FLAGS
from tests.conftest import BASE_URL, NOW, ROOT, WriteDir, session_yaml
from tests.playground import free_port
from tests.web_support import FakeClock, serve

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = (
    *FLAGS,
    "--no-proxy-server",  # the page is on 127.0.0.1; never go through an environment proxy
    "--force-device-scale-factor=1",
)


# --- a small DOM for assertions ------------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def text(self) -> str:
        parts = (c if isinstance(c, str) else c.text for c in self.children)
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    found.append(child)
                found.extend(child.find_all(tag))
        return found

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


VOID = {"meta", "link", "br", "img", "input", "hr"}


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def links(root: Node) -> dict[str, str]:
    """Link text → href (the last one for repeated texts)."""
    return {a.text: a.attrs.get("href", "") for a in root.find_all("a")}


def session_items(root: Node) -> dict[str, Node]:
    return {li.attrs["id"]: li for li in root.find_all("li") if "session" in li.classes()}


# --- the HTML -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Schedule:
    schedule, problems = load(SHIPPED_DIR)
    assert problems == ()
    return schedule


def test_upcoming_sessions_with_their_state(shipped: Schedule) -> None:
    root = parse(render_page(shipped, NOW, BASE_URL))
    items = session_items(root)

    # Only sessions that have not ended: the first is 27 November 2026.
    assert list(items)[0] == "fredagsprat-2026-11"
    assert "fredagsprat-2026-10" not in items
    first = items["fredagsprat-2026-11"]
    assert first.find_all("h3")[0].text == "Fredag 27. november 2026"
    assert first.find_all("time")[0].attrs["datetime"] == "2026-11-27T12:00+01:00"
    assert "kl. 12:00–13:00" in first.text
    assert "Tema: Tilgjengelighet til sosiale tjenester" in first.text
    assert links(first) == {
        "Bli med i Teams-møtet": next(
            s for s in shipped.sessions if s.id == first.attrs["id"]
        ).join_url,
        "Legg til i kalender": f"{BASE_URL}/calendar/fredagsprat/fredagsprat-2026-11.ics",
    }

    no_topic = items["fredagsprat-2027-01"]
    assert "Tema kommer (legges ut fredag 15. januar 2027)" in no_topic.text

    moved = items["fredagsprat-2027-03"]
    assert moved.find_all("h3")[0].text == "Fredag 19. mars 2027 Flyttet"
    assert "Flyttet fra fredag 26. mars 2027 kl. 12:00–13:00." in moved.text

    cancelled = items["fredagsprat-2027-05"]
    assert "cancelled" in cancelled.classes()
    assert cancelled.find_all("h3")[0].text == "Fredag 28. mai 2027 Avlyst"
    assert "Samlingen er avlyst." in cancelled.text
    assert links(cancelled) == {}  # no meeting to join, nothing to add


def test_a_session_in_progress_is_marked_and_a_passed_publication_date_is_not_promised(
    write_dir: WriteDir,
) -> None:
    directory = write_dir(
        s__yaml="sessions:\n"
        + session_yaml("naa", "2027-01-29")
        + session_yaml("senere", "2027-02-26", topic_published="2027-01-01")
    )
    schedule, problems = load(directory)
    assert problems == ()
    during = datetime(2027, 1, 29, 12, 30, tzinfo=OSLO)

    items = session_items(parse(render_page(schedule, during, BASE_URL)))
    assert items["naa"].find_all("h3")[0].text == "Fredag 29. januar 2027 Pågår nå"
    assert "Tema kommer" in items["naa"].text
    assert "legges ut" not in items["senere"].text  # 1 January has passed

    after = datetime(2027, 1, 29, 13, 0, tzinfo=OSLO)
    assert list(session_items(parse(render_page(schedule, after, BASE_URL)))) == ["senere"]


def test_everything_from_the_files_is_escaped(write_dir: WriteDir) -> None:
    hostile_url = 'https://teams.example.no/l/x"onmouseover="alert(1)'
    directory = write_dir(
        s__yaml="sessions:\n"
        + session_yaml(
            "a",
            "2027-01-29",
            topic="'<script>alert(1)</script> & co'",
            note="'<b>fet</b>'",
            join_url=f"'{hostile_url}'",
        )
    )
    schedule, problems = load(directory)
    assert problems == ()

    html = render_page(schedule, NOW, BASE_URL)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert 'href="https://teams.example.no/l/x&quot;onmouseover=&quot;alert(1)"' in html
    item = session_items(parse(html))["a"]
    assert links(item)["Bli med i Teams-møtet"] == hostile_url  # the same link, only quoted


def test_no_sessions(write_dir: WriteDir) -> None:
    schedule, _ = load(write_dir(s__yaml="sessions: []\n"))

    root = parse(render_page(schedule, NOW, BASE_URL))
    assert "Ingen kommende samlinger er satt opp ennå." in root.text
    assert "Abonner i kalender" in links(root)


@pytest.mark.parametrize(
    ("base", "webcal", "https"),
    [
        (
            "https://rutinebot.example.no",
            "webcal://rutinebot.example.no/calendar/fredagsprat.ics",
            "https://rutinebot.example.no/calendar/fredagsprat.ics",
        ),
        (
            "https://nav.example.no/rutinebot/",
            "webcal://nav.example.no/rutinebot/calendar/fredagsprat.ics",
            "https://nav.example.no/rutinebot/calendar/fredagsprat.ics",
        ),
        (
            "http://localhost:3978",
            "webcal://localhost:3978/calendar/fredagsprat.ics",
            "http://localhost:3978/calendar/fredagsprat.ics",
        ),
    ],
)
def test_subscribe_links_come_from_the_public_base_url(
    shipped: Schedule, base: str, webcal: str, https: str
) -> None:
    found = links(parse(render_page(shipped, NOW, base)))

    assert found["Abonner i kalender"] == webcal
    assert found["Abonner med https-lenke"] == https


async def test_served_with_a_strict_content_security_policy() -> None:
    provider = ScheduleProvider.open(SHIPPED_DIR, clock=FakeClock(NOW))
    async with serve(page_routes(provider, public_base_url=BASE_URL, clock=provider.clock)) as c:
        response = await c.get("/")
        html = await response.text()
        head = await c.head("/")

    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src" not in CSP and "default-src 'none'" in CSP
    # The header's hash is the hash of the <style> actually served.
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in CSP
    assert head.status == 200 and await head.read() == b""


# --- in headless Chromium -----------------------------------------------------------------------

# Measures the real layout of the page; allowed by its hash next to the page's own policy.
# Chromium's new headless mode lays out --dump-dom at least 500 px wide whatever the window
# size (its screenshots do honour 320), so the page is measured inside a 320 px iframe and
# reports to the frame around it, whose DOM is what --dump-dom prints.
PROBE = """
const d = document.documentElement;
const boxes = [...document.body.querySelectorAll('*')].map(e => e.getBoundingClientRect());
const buttons = [...document.querySelectorAll('ul.links a')].map(a => a.getBoundingClientRect());
const report = parent.document.documentElement.dataset;
report.viewport = d.clientWidth;
report.scrollWidth = d.scrollWidth;
report.rightmost = Math.ceil(Math.max(...boxes.map(b => b.right)));
report.smallestButton = Math.floor(Math.min(...buttons.map(b => b.height)));
report.badge = getComputedStyle(document.querySelector('.badge.cancelled')).backgroundColor;
""".strip()
FRAME_320 = (
    '<!DOCTYPE html><html><body style="margin:0">'
    '<iframe src="/probe" style="border:0;width:320px;height:900px"></iframe></body></html>'
)


async def chromium(tmp_path: Path, *args: str) -> bytes:
    """Run Debian's chromium headless with a fresh profile; its stdout."""
    assert CHROMIUM.exists(), "Debian's chromium is missing: `make test` installs it"
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    process = await asyncio.create_subprocess_exec(
        str(CHROMIUM),
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,  # its own process group, so a hang can be ended whole
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    except TimeoutError:
        os.killpg(process.pid, signal.SIGKILL)
        await process.wait()
        raise
    assert process.returncode == 0, err.decode(errors="replace")[-3000:]
    return out


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is no PNG"
    return struct.unpack(">II", data[16:24])


def png_distinct_bytes(path: Path) -> int:
    """How many different byte values the decoded pixel rows hold (1–2 for a blank image)."""
    data, pos, idat = path.read_bytes(), 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat)))


@pytest.fixture
async def site() -> AsyncIterator[TestClient]:
    """The page and the feeds on a real 127.0.0.1 port, the links pointing at that port."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    provider = ScheduleProvider.open(SHIPPED_DIR, clock=FakeClock(NOW))
    page = page_routes(provider, public_base_url=base, clock=provider.clock)
    feeds = calendar_routes(provider, public_base_url=base, calendar_token="", clock=provider.clock)

    async def probe(request: web.Request) -> web.Response:
        response = await page[0].handler(request)
        assert isinstance(response, web.Response) and response.text
        digest = base64.b64encode(hashlib.sha256(PROBE.encode()).digest()).decode()
        response.text = response.text.replace("</body>", f"<script>{PROBE}</script></body>")
        policy = response.headers["Content-Security-Policy"]
        policy = policy.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
        response.headers["Content-Security-Policy"] = f"{policy}; script-src 'sha256-{digest}'"
        return response

    async def frame(request: web.Request) -> web.Response:
        return web.Response(text=FRAME_320, content_type="text/html")

    test_routes = [web.get("/probe", probe), web.get("/frame-320", frame)]
    async with serve([*page, *feeds, *test_routes], port=port) as client:
        yield client


async def test_rendered_dom_has_landmarks_headings_and_working_links(
    site: TestClient, tmp_path: Path
) -> None:
    base = str(site.make_url("")).rstrip("/")
    dom = (await chromium(tmp_path, "--window-size=1280,900", "--dump-dom", base + "/")).decode()
    root = parse(dom)

    (html,) = root.find_all("html")
    assert html.attrs["lang"] == "nb"
    for landmark in ("header", "main", "footer"):
        assert len(root.find_all(landmark)) == 1, landmark
    assert [h.text for h in root.find_all("h1")] == ["Fredagsprat med Statsforvalteren"]
    assert [h.text for h in root.find_all("h2")] == ["Kommende samlinger", "Abonner i kalender"]
    assert len(root.find_all("h3")) == 10  # the ten sessions from 27 November 2026 on

    found = links(root)
    assert found["Få alle samlingene i kalenderen din"] == "#abonner"
    assert [h.attrs.get("id") for h in root.find_all("h2")][1] == "abonner"
    assert found["Abonner i kalender"] == base.replace("http://", "webcal://") + (
        "/calendar/fredagsprat.ics"
    )
    assert found["Abonner med https-lenke"] == base + "/calendar/fredagsprat.ics"
    cancelled = session_items(root)["fredagsprat-2027-05"]
    assert "cancelled" in cancelled.classes() and "Avlyst" in cancelled.find_all("h3")[0].text

    # Every calendar link on the page answers with a calendar.
    targets = {a.attrs["href"] for a in root.find_all("a") if a.attrs["href"].startswith(base)}
    assert len(targets) == 10  # nine "Legg til i kalender" (one session is cancelled) + the feed
    for href in sorted(targets):
        response = await site.get(href.removeprefix(base))
        assert response.status == 200, href
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"


async def test_fits_a_320_px_screen_with_its_styles_applied(
    site: TestClient, tmp_path: Path
) -> None:
    url = str(site.make_url("/frame-320"))
    root = parse((await chromium(tmp_path, "--window-size=1280,900", "--dump-dom", url)).decode())
    (html,) = root.find_all("html")

    assert html.attrs["data-viewport"] == "320"
    assert int(html.attrs["data-scroll-width"]) <= 320  # no sideways scrolling
    assert int(html.attrs["data-rightmost"]) <= 320
    assert int(html.attrs["data-smallest-button"]) >= 44  # touch targets
    # The stylesheet ran under the Content-Security-Policy (its hash is right).
    assert html.attrs["data-badge"] == "rgb(176, 0, 0)"


@pytest.mark.parametrize("width", [320, 1280])
async def test_screenshot(site: TestClient, tmp_path: Path, width: int) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"fredagsprat-{width}.png"
    shot.unlink(missing_ok=True)

    url = str(site.make_url("/"))
    await chromium(tmp_path, f"--window-size={width},900", f"--screenshot={shot}", url)

    assert png_size(shot) == (width, 900)
    assert shot.stat().st_size > 10_000
    assert png_distinct_bytes(shot) > 50  # text and colours, not a blank page
