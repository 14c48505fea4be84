"""/rutiner and /rutiner/<id> in Debian's headless Chromium at 1280 and 320 px: layout, outline,
landmarks, contrast, keyboard use and the search form, with screenshots kept in tests/artifacts/.

Driven over the DevTools protocol (tests/chromium.py); the pages are measured as served, under
their own Content-Security-Policy (DevTools evaluation is not page script).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.web.routines import HandbookPages
from handbook import Handbook
from tests.chromium import Chromium, Page
from tests.conftest import NOW, ROOT
from tests.web.test_web_pages import png_distinct_bytes, png_size
from tests.web_support import FakeClock, serve

ARTIFACTS = ROOT / "tests" / "artifacts"
QUESTION = "hvordan skriver jeg vedtak etter § 17?"
ROUTINE = "muntlig-soknad"
SCREEN_HEIGHT = 900

# The page's layout, outline and landmarks as the browser sees them. Tables scroll inside
# their own box, so they do not count towards the page's width.
LAYOUT = """(() => {
  const d = document.documentElement;
  const boxes = [...document.body.querySelectorAll('*')]
    .filter(e => !e.closest('.table') && !e.classList.contains('skip'))
    .map(e => e.getBoundingClientRect());
  const count = s => document.querySelectorAll(s).length;
  return {
    lang: d.lang,
    viewport: d.clientWidth,
    scrollWidth: d.scrollWidth,
    rightmost: Math.ceil(Math.max(...boxes.map(b => b.right))),
    headings: [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1])),
    header: count('body > header'), main: count('body > main'), footer: count('body > footer'),
    navLabels: [...document.querySelectorAll('nav')].map(n =>
      n.getAttribute('aria-label') || document.getElementById(n.getAttribute('aria-labelledby'))?.innerText),
    searchLabel: document.querySelector('label[for="_sok"]')?.innerText,
    loaded: performance.getEntriesByType('resource').length,
    button: getComputedStyle(document.querySelector('form.search button')).backgroundColor,
  };
})()"""

# The worst WCAG contrast between a text and the background behind it.
CONTRAST = """(() => {
  const rgba = c => c.match(/[\\d.]+/g).map(Number);
  const lin = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const behind = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
  let worst = {ratio: 21, text: ''};
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || !box.width || !box.height) continue;
    const [a, b] = [lum(rgba(getComputedStyle(el).color)), lum(behind(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < worst.ratio) worst = {ratio, text: el.innerText.slice(0, 60)};
  }
  return worst;
})()"""


@pytest.fixture
async def site(shipped_handbook: Handbook) -> AsyncIterator[TestClient]:
    pages = HandbookPages(lambda: shipped_handbook, clock=FakeClock(NOW))
    async with serve(pages.routes()) as client:
        yield client


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Chromium]:
    assert Path("/usr/bin/chromium").exists(), (
        "Debian's chromium is missing: `make test` installs it"
    )
    chromium = Chromium(tmp_path / "profile", width=1280, height=SCREEN_HEIGHT)
    try:
        yield chromium
    finally:
        await chromium.close()


async def evaluate(page: Page, expression: str):
    result = await page.call("Runtime.evaluate", expression=expression, returnByValue=True)
    return result["result"].get("value")


async def goto(page: Page, url: str) -> None:
    await page.call("Page.navigate", url=url)
    await until(page, f"location.href === {url!r} && document.readyState === 'complete'")


async def until(page: Page, condition: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not await evaluate(page, condition):
        if time.monotonic() > deadline:
            raise TimeoutError(f"never true: {condition}")
        await asyncio.sleep(0.1)


async def key(page: Page, name: str, code: int) -> None:
    for kind in ("keyDown", "keyUp"):
        await page.call(
            "Input.dispatchKeyEvent", type=kind, key=name, code=name, windowsVirtualKeyCode=code
        )


async def screenshot(page: Page, path: Path) -> None:
    path.unlink(missing_ok=True)
    await page.screenshot(path)
    assert path.stat().st_size > 10_000
    assert png_distinct_bytes(path) > 50  # text and colours, not a blank page


@pytest.mark.parametrize("width", [1280, 320])
async def test_layout_outline_and_contrast(site: TestClient, browser: Chromium, width: int) -> None:
    base = str(site.make_url("")).rstrip("/")
    page = await browser.open("about:blank")
    await page.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=SCREEN_HEIGHT,
        deviceScaleFactor=1,
        mobile=width < 500,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots = {
        f"rutiner-sok-{width}.png": f"{base}/rutiner?q={QUESTION}",
        f"rutine-{width}.png": f"{base}/rutiner/{ROUTINE}",
    }
    for name, url in shots.items():
        await page.call("Page.navigate", url=url)
        await until(page, "document.readyState === 'complete' && !!document.querySelector('h1')")
        layout = await evaluate(page, LAYOUT)

        assert layout["lang"] == "nb"
        assert layout["viewport"] == width
        assert layout["scrollWidth"] <= width, name  # no sideways scrolling
        assert layout["rightmost"] <= width, name
        levels = layout["headings"]
        assert levels[0] == 1 and levels.count(1) == 1, levels
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        assert (layout["header"], layout["main"], layout["footer"]) == (1, 1, 1)
        labels = layout["navLabels"]
        assert "Hovedmeny" in labels and len(set(labels)) == len(labels), labels
        assert layout["searchLabel"] == "Søk i rutinene"
        assert layout["loaded"] == 0  # no fonts, scripts or images from anywhere
        assert layout["button"] == "rgb(0, 86, 180)"  # the stylesheet ran under the CSP
        worst = await evaluate(page, CONTRAST)
        assert worst["ratio"] >= 4.5, worst  # WCAG AA for normal text

        shot = ARTIFACTS / name
        await screenshot(page, shot)
        assert png_size(shot) == (width, SCREEN_HEIGHT)


async def test_search_form_and_the_link_to_the_section(site: TestClient, browser: Chromium) -> None:
    base = str(site.make_url("")).rstrip("/")
    page = await browser.open("about:blank")
    await goto(page, f"{base}/rutiner")

    await page.type_into("#_sok", QUESTION)  # types, then presses Enter
    await until(page, "location.search.startsWith('?q=') && document.readyState === 'complete'")
    text = await page.wait_for_text("Rutinen som passer best")
    assert "Vedtak om økonomisk rådgivning" in text
    assert await evaluate(page, "document.querySelector('#_sok').value") == QUESTION

    href = await evaluate(page, "document.querySelector('.hit.best a').href")
    await evaluate(page, "document.querySelector('.hit.best a').click()")
    await until(page, "location.pathname.endsWith('/vedtak-okonomisk-radgivning')")
    await until(page, "document.readyState === 'complete' && !!document.querySelector(':target')")
    anchor = href.split("#")[1]
    target = await evaluate(page, "document.querySelector(':target').id")
    assert target == anchor
    # The section is scrolled into view.
    top = await evaluate(page, "document.querySelector(':target').getBoundingClientRect().top")
    assert 0 <= top < SCREEN_HEIGHT / 2


async def test_keyboard_skip_link_and_visible_focus(site: TestClient, browser: Chromium) -> None:
    base = str(site.make_url("")).rstrip("/")
    page = await browser.open("about:blank")
    await goto(page, f"{base}/rutiner/{ROUTINE}")

    await key(page, "Tab", 9)
    focused = await evaluate(
        page,
        """(() => { const e = document.activeElement, s = getComputedStyle(e);
        return {text: e.innerText, top: e.getBoundingClientRect().top,
                outline: s.outlineStyle + ' ' + s.outlineWidth}; })()""",
    )
    assert focused["text"] == "Hopp til hovedinnholdet"
    assert focused["top"] >= 0  # shown when focused
    assert focused["outline"] == "solid 3px"  # a visible focus ring

    await key(page, "Enter", 13)
    await until(page, "location.hash === '#_hoved'")
    assert await evaluate(page, "document.activeElement.id") == "_hoved"
    await key(page, "Tab", 9)  # the next stop is inside the main content
    assert await evaluate(page, "document.querySelector('main').contains(document.activeElement)")
