"""The handbook on the web, /rutiner and /rutiner/<id>, through aiohttp's test client."""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from bot.web.layout import CSP, MAX_QUERY_CHARS
from bot.web.routine_html import NO_ANSWER, PII_REMOVED
from bot.web.routines import HandbookPages
from handbook import Handbook
from handbook.model import INTRO_ANCHOR
from schedule import OSLO
from tests.conftest import FIXTURES, NOW, write_routine
from tests.web.test_web_pages import Node, parse
from tests.web_support import FakeClock, edit, serve

CONTACT = "Fagansvarlig Kari Nordmann"
QUESTION = "hvordan skriver jeg vedtak etter § 17?"


@asynccontextmanager
async def pages(
    handbook: Handbook, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[TestClient]:
    site = HandbookPages(lambda: handbook, clock=clock or FakeClock(NOW), contact=CONTACT)
    async with serve(site.routes()) as client:
        yield client


@pytest.fixture
async def shipped(shipped_handbook: Handbook) -> AsyncIterator[TestClient]:
    async with pages(shipped_handbook) as client:
        yield client


async def get(client: TestClient, path: str, status: int = 200, **params: str) -> Node:
    response = await client.get(path, params=params or None)
    assert response.status == status, await response.text()
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert response.headers["Content-Security-Policy"] == CSP
    return parse(await response.text())


def hrefs(node: Node) -> dict[str, str]:
    return {a.text: a.attrs.get("href", "") for a in node.find_all("a")}


def by_class(node: Node, tag: str, css: str) -> list[Node]:
    return [n for n in node.find_all(tag) if css in n.classes()]


def headings(root: Node) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, Node):
                if re.fullmatch(r"h[1-6]", child.tag):
                    found.append((int(child.tag[1]), child.text))
                walk(child)

    walk(root)
    return found


def assert_outline(root: Node) -> None:
    """One h1 first, and no heading more than one level below the one before it."""
    levels = [level for level, _ in headings(root)]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


# --- /rutiner ------------------------------------------------------------------------------


async def test_every_routine_grouped_by_theme(shipped: TestClient, shipped_handbook: Handbook):
    root = await get(shipped, "/rutiner")

    assert_outline(root)
    (main,) = root.find_all("main")
    themes = [text for level, text in headings(main) if level == 3]
    assert themes == [
        "Barn og familie",
        "Dokumentasjon",
        "Kvalitet og internkontroll",
        "Søknad og saksbehandling",
        "Tilgjengelighet og brukermøter",
        "Vedtak",
    ]
    items = by_class(main, "li", "routine")
    linked = {next(iter(hrefs(li).values())) for li in items}
    assert linked == {f"rutiner/{r.id}" for r in shipped_handbook.routines}
    assert "Søknad og saksbehandling" in hrefs(main)  # the themes' own table of contents
    label = next(n for n in root.find_all("label") if n.attrs.get("for") == "_sok")
    assert label.text == "Søk i rutinene"
    (form,) = root.find_all("form")
    assert (form.attrs["action"], form.attrs["method"]) == ("rutiner", "get")
    assert root.find_all("input")[0].attrs["name"] == "q"
    current = [a.text for a in root.find_all("a") if a.attrs.get("aria-current") == "page"]
    assert current == ["Rutiner"]


async def test_a_confident_question_gets_the_bots_answer(
    shipped: TestClient, shipped_handbook: Handbook
):
    expected = shipped_handbook.search(QUESTION, 3)
    assert expected.confident  # the bot answers this one with a card

    root = await get(shipped, "/rutiner", q=QUESTION)
    (answer,) = [s for s in root.find_all("section") if s.attrs.get("aria-labelledby") == "_svar"]
    assert NO_ANSWER not in answer.text
    (best,) = by_class(answer, "div", "best")
    best_hit = expected.hits[0]
    assert hrefs(best)[best_hit.title] == (
        f"rutiner/{best_hit.routine_id}#{best_hit.section_anchor}"
    )
    assert best_hit.section in best.text
    assert best.find_all("mark")  # the matched words of the excerpt
    assert hrefs(best)["sosialtjenesteloven § 17"] == (
        "https://lovdata.no/lov/2009-12-18-131/%C2%A717"
    )
    others = [h.title for h in expected.hits[1:]]
    assert [li.find_all("a")[0].text for li in by_class(answer, "li", "hit")] == others
    assert root.find_all("input")[0].attrs["value"] == QUESTION  # kept in the box
    assert_outline(root)


@pytest.mark.parametrize(
    ("question", "closest"),
    [
        ("hva er lunsjmenyen i kantina", []),
        ("vedtak", ["barneperspektiv-vedtak", "godkjenning-vedtak", "vedtak-okonomisk-radgivning"]),
    ],
)
async def test_no_confident_answer_says_so_and_shows_the_closest(
    shipped: TestClient, shipped_handbook: Handbook, question: str, closest: list[str]
):
    assert not shipped_handbook.search(question, 3).confident

    root = await get(shipped, "/rutiner", q=question)
    (answer,) = [s for s in root.find_all("section") if s.attrs.get("aria-labelledby") == "_svar"]
    assert NO_ANSWER in answer.text
    assert f"Rutinehåndboka eies av {CONTACT}." in answer.text
    links = [
        li.find_all("a")[0].attrs["href"].split("#")[0] for li in by_class(answer, "li", "hit")
    ]
    assert links == [f"rutiner/{rid}" for rid in closest]
    if not closest:
        assert "Ingen rutiner passet til søket." in answer.text
    assert_outline(root)


async def test_an_identity_number_is_removed_before_the_search(shipped: TestClient):
    response = await shipped.get("/rutiner", params={"q": "bruker 150765 00565 søkte muntlig"})
    html = await response.text()

    assert response.status == 200
    assert "00565" not in html and "150765" not in html
    assert PII_REMOVED in parse(html).text
    assert 'value="bruker [fødselsnummer fjernet] søkte muntlig"' in html
    assert 'href="rutiner/muntlig-soknad#' in html  # the rest was still searched


async def test_an_oversized_question_is_a_clean_400(shipped: TestClient):
    root = await get(shipped, "/rutiner", status=400, q="søknad " * (MAX_QUERY_CHARS // 6))
    assert root.find_all("h1")[0].text == "Søket er for langt"
    assert root.find_all("input")[0].attrs["value"] == ""
    # Far beyond: aiohttp refuses the request line itself, still with a 400.
    response = await shipped.get("/rutiner", params={"q": "x" * 10_000})
    assert response.status == 400


async def test_blank_question_is_the_plain_list(shipped: TestClient):
    root = await get(shipped, "/rutiner", q="   ")
    assert not [s for s in root.find_all("section") if s.attrs.get("aria-labelledby") == "_svar"]


# --- /rutiner/<id> -------------------------------------------------------------------------


async def test_the_whole_routine(shipped: TestClient, shipped_handbook: Handbook):
    routine = shipped_handbook.routine("muntlig-soknad")
    root = await get(shipped, "/rutiner/muntlig-soknad")

    assert_outline(root)
    (main,) = root.find_all("main")
    assert main.find_all("h1")[0].text == "Muntlige søknader"
    (facts,) = main.find_all("dl")
    assert [n.text for n in facts.find_all("dt")] == [
        "Eier",
        "Revidert",
        "Neste gjennomgang",
        "Lovgrunnlag",
    ]
    values = [n.text for n in facts.find_all("dd")]
    assert values[:3] == [routine.owner, "15. september 2026", "15. september 2027"]
    assert hrefs(facts) == {ref.text: ref.url.replace("§", "%C2%A7") for ref in routine.legal}

    # Every section under its search anchor, in order, and a table of contents to them.
    sections = [h for h in main.find_all("h2") if not h.attrs["id"].startswith("_")]
    assert [(h.attrs["id"], h.text) for h in sections] == [
        (s.anchor, s.heading) for s in routine.sections
    ]
    (toc,) = [n for n in main.find_all("nav") if n.attrs.get("aria-labelledby") == "_innhold"]
    assert list(hrefs(toc).values()) == [f"#{s.anchor}" for s in routine.sections]
    # The introduction is where a search hit on it links to.
    (intro,) = [n for n in main.find_all("div") if n.attrs.get("id") == INTRO_ANCHOR]
    assert intro.text.strip().startswith(routine.summary.split(".")[0])

    links = hrefs(main)
    assert links["Journalføring og samtalereferat"] == "../rutiner/journalforing"  # Se også
    assert links["fvl. § 11 d"] == "https://lovdata.no/lov/1967-02-10/%C2%A711d"  # in the text
    assert links["Alle rutiner"] == "../rutiner"
    assert hrefs(root)["Fredagsprat"] == "../"
    assert not [a for a in root.find_all("a") if "aria-current" in a.attrs]  # a page below
    # Routines that point here are listed too.
    (back,) = [
        s for s in main.find_all("section") if s.attrs.get("aria-labelledby") == "_viser_hit"
    ]
    assert "Akutt hjelp samme dag" in hrefs(back)
    assert "Forfalt" not in main.text


async def test_unknown_routine_is_a_polite_404(shipped: TestClient):
    root = await get(shipped, "/rutiner/klage-pa-vedtak", status=404)
    assert root.find_all("h1")[0].text == "Fant ikke rutinen"
    assert "ingen rutine med adressen «klage-pa-vedtak»" in root.text
    assert hrefs(root)["Klage på vedtak"] == "../rutiner/klage"  # a search for its words
    assert_outline(root)

    personal = await shipped.get("/rutiner/15076500565")
    assert personal.status == 404 and "00565" not in await personal.text()

    hostile = await shipped.get("/rutiner/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert hostile.status == 404
    html = await hostile.text()
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_trailing_slash_goes_to_the_list(shipped: TestClient):
    response = await shipped.get("/rutiner/", allow_redirects=False)
    assert response.status == 301 and response.headers["Location"] == "../rutiner"
    assert (await shipped.get("/rutiner/")).url.path == "/rutiner"


async def test_served_with_a_strict_content_security_policy(shipped: TestClient):
    response = await shipped.get("/rutiner/klage")
    html = await response.text()
    head = await shipped.head("/rutiner/klage")

    assert "script-src" not in CSP and "default-src 'none'" in CSP
    assert "form-action 'self'" in CSP and "frame-ancestors 'none'" in CSP
    (style,) = re.findall(r"<style>(.*?)</style>", html, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in CSP
    assert "<script" not in html and "http://" not in html  # nothing loaded from elsewhere
    assert head.status == 200 and await head.read() == b""


# --- a handbook with hostile and stale content -----------------------------------------------

HOSTILE_FRONT = """
id: farlig
title: "<script>alert(1)</script> & co"
theme: "<b>Tema</b>"
owner: "<i>Eier</i>"
revised: 2025-01-01
review_by: 2026-11-23
legal:
  - sosialtjenesteloven § 17
"""
HOSTILE_BODY = """<script>alert(2)</script>

## <img src=x onerror=alert(3)>
Tekst med <b onclick="alert(4)">rå HTML</b> og [en lenke](javascript:alert(5)).

## Se også
- [Borte](rutine:finnes-ikke)
- [Journalføring](rutine:journalforing#gjeldsradgivning)
- [Denne](rutine:farlig)
"""


@pytest.fixture
def handbook_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "handbook"
    shutil.copytree(FIXTURES / "handbook", directory)
    write_routine(directory, "farlig", HOSTILE_FRONT, HOSTILE_BODY)
    return directory


class Monotonic:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_everything_from_the_handbook_is_escaped(handbook_dir: Path, tmp_path: Path):
    handbook = Handbook(handbook_dir, tmp_path / "index")
    try:
        async with pages(handbook) as client:
            listing = await (await client.get("/rutiner")).text()
            page = await (await client.get("/rutiner/farlig")).text()
    finally:
        handbook.close()

    for html in (listing, page):
        assert "<script" not in html and "<b>" not in html and "<i>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
        root = parse(html)
        for node in _all(root):
            assert not [a for a in node.attrs if a.startswith("on")], node
        assert not root.find_all("img")
        assert not [a for a in root.find_all("a") if "javascript" in a.attrs.get("href", "")]
    assert "&lt;img src=x onerror=alert(3)&gt;" in page  # a heading shown as its text
    links = hrefs(parse(page))
    assert "Borte" not in links and "Borte" in parse(page).text  # no link to a missing routine
    assert links["Journalføring"] == "../rutiner/journalforing#gjeldsradgivning"
    assert links["Denne"] == "#_hoved"
    assert "&lt;i&gt;Eier&lt;/i&gt;" in page


def _all(node: Node) -> list[Node]:
    found = []
    for child in node.children:
        if isinstance(child, Node):
            found.append(child)
            found.extend(_all(child))
    return found


async def test_a_passed_review_date_is_marked_from_the_next_day(handbook_dir: Path, tmp_path: Path):
    handbook = Handbook(handbook_dir, tmp_path / "index")
    clock = FakeClock(datetime(2026, 11, 23, 23, 30, tzinfo=OSLO))
    try:
        async with pages(handbook, clock) as client:
            on_the_day = await get(client, "/rutiner/farlig")
            clock.advance(hours=1)  # past midnight in Oslo: the date has passed
            after = await get(client, "/rutiner/farlig")
            listing = await get(client, "/rutiner")
    finally:
        handbook.close()

    assert "Forfalt" not in on_the_day.text
    (facts,) = after.find_all("dl")
    review = facts.find_all("dd")[2]
    assert review.text.startswith("23. november 2026 Forfalt")
    items = by_class(listing, "li", "routine")
    (item,) = [li for li in items if "rutiner/farlig" in hrefs(li).values()]
    assert "Gjennomgang forfalt" in item.text
    others = [li for li in items if li is not item]
    assert all("forfalt" not in li.text for li in others)
    # A theme that is not one of the others' goes in its own group.
    assert "<b>Tema</b>" in [text for level, text in headings(listing) if level == 3]


async def test_an_edited_routine_shows_without_a_restart(handbook_dir: Path, tmp_path: Path):
    monotonic = Monotonic()
    handbook = Handbook(handbook_dir, tmp_path / "index", clock=monotonic)
    clock = FakeClock(NOW)
    try:
        async with pages(handbook, clock) as client:
            before = await get(client, "/rutiner/muntlig-soknad")
            searched = await get(client, "/rutiner", q="muntlig søknad")
            edit(handbook_dir / "muntlig-soknad.md", "title: Muntlige søknader", "title: Ny tittel")
            cached = await get(client, "/rutiner/muntlig-soknad")
            clock.advance(seconds=2)
            monotonic.now += 2
            after = await get(client, "/rutiner/muntlig-soknad")
            searched_after = await get(client, "/rutiner", q="muntlig søknad")
    finally:
        handbook.close()

    assert before.find_all("h1")[0].text == "Muntlige søknader"
    assert cached.find_all("h1")[0].text == "Muntlige søknader"  # checked at most once a second
    assert after.find_all("h1")[0].text == "Ny tittel"
    assert "Muntlige søknader" in [
        li.find_all("a")[0].text for li in by_class(searched, "li", "routine")
    ]
    assert "Ny tittel" in [
        li.find_all("a")[0].text for li in by_class(searched_after, "li", "routine")
    ]


async def test_a_routine_not_quality_assured_is_marked_on_its_page_and_in_the_list(
    handbook_dir: Path, tmp_path: Path
):
    write_routine(
        handbook_dir,
        "tolk",
        "\nid: tolk\ntitle: Tolk\nowner: TODO\nrevised: TODO\nreview_by: TODO\nlegal: TODO\n",
        "## Bestilling\nBestill tolk to dager før samtalen.\n",
    )
    note = "Ikke kvalitetssikret ennå – eier, revisjonsdato og lovgrunnlag mangler"
    handbook = Handbook(handbook_dir, tmp_path / "index")
    try:
        async with pages(handbook) as client:
            page = await get(client, "/rutiner/tolk")
            listing = await get(client, "/rutiner")
            answer = await get(client, "/rutiner", q="bestille tolk til samtalen")
            assured = await get(client, "/rutiner/journalforing")
    finally:
        handbook.close()
    [notice] = by_class(page, "p", "not-assured")
    assert note in notice.text
    facts = page.find_all("dd")
    assert [d.text for d in facts[:3]] == ["ikke fylt ut"] * 3
    assert note in listing.text and note in answer.text
    assert "Ikke kvalitetssikret" not in assured.text
