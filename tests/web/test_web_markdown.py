"""Routine Markdown as safe HTML, with links made to work on the web."""

from __future__ import annotations

import doctest
import importlib

import pytest

from bot.web.legal_links import legal_spans
from bot.web.markdown import render


def nowhere(routine_id: str, anchor: str) -> str | None:
    return None


def to_pages(routine_id: str, anchor: str) -> str | None:
    return f"../rutiner/{routine_id}" + (f"#{anchor}" if anchor else "")


@pytest.mark.parametrize(
    "name", ["bot.web.markdown", "bot.web.legal_links", "bot.chat.routine_links"]
)
def test_docstring_examples(name: str) -> None:
    failed, attempted = doctest.testmod(importlib.import_module(name))
    assert failed == 0 and attempted > 0


def test_raw_html_is_text_and_dangerous_links_are_not_links() -> None:
    html = render(
        '<script>alert(1)</script>\n\n<b onclick="x()">fet</b> [a](javascript:alert(1)) '
        "[b](data:text/html;base64,PHNjcmlwdD4=) [c](https://lovdata.no/)",
        routine_href=nowhere,
    )
    assert "<script" not in html and "<b" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "javascript:" not in html.split("[a](")[0] and 'href="javascript' not in html
    assert 'href="data:' not in html
    assert '<a href="https://lovdata.no/">c</a>' in html


def test_routine_links_resolve_or_become_text() -> None:
    html = render(
        "- [Klage](rutine:klage#frister)\n- [Borte](rutine:borte)\n- [Journal](rutine:journalforing)",
        routine_href=lambda i, a: None if i == "borte" else to_pages(i, a),
    )
    assert '<a href="../rutiner/klage#frister">Klage</a>' in html
    assert '<a href="../rutiner/journalforing">Journal</a>' in html
    assert "<li>Borte</li>" in html


def test_legal_references_link_to_lovdata_but_not_inside_links_or_code() -> None:
    html = render(
        "Vedtak etter §§ 18 og 19, jf. fvl. § 11 d. Se [§ 17-rutinen](rutine:v) og `§ 4`.",
        routine_href=lambda i, a: "v",
    )
    assert '<a href="https://lovdata.no/lov/2009-12-18-131/%C2%A718">§§ 18</a>' in html
    assert '<a href="https://lovdata.no/lov/2009-12-18-131/%C2%A719">19</a>' in html
    assert '<a href="https://lovdata.no/lov/1967-02-10/%C2%A711d">fvl. § 11 d</a>' in html
    assert '<a href="v">§ 17-rutinen</a>' in html  # not a link inside a link
    assert "<code>§ 4</code>" in html


def test_headings_are_renumbered_without_gaps() -> None:
    html = render("#### Først\n\ntekst\n\n###### Under\n\n# Stor", routine_href=nowhere)
    assert html.splitlines() == [
        "<h4>Først</h4>",
        "<p>tekst</p>",
        "<h5>Under</h5>",
        "<h3>Stor</h3>",
    ]
    assert render("### A\n\n#### B", routine_href=nowhere, top_heading=3).startswith("<h3>A</h3>")


def test_tables_scroll_in_their_own_box() -> None:
    html = render("| a | b |\n|---|---|\n| 1 | 2 |", routine_href=nowhere)
    assert html.startswith('<div class="table"><table>') and html.rstrip().endswith(
        "</table>\n</div>"
    )


def test_legal_spans_never_overlap() -> None:
    text = "etter sosialtjenesteloven §§ 18, 19 og 20 og forskrift 2018-06-04-810"
    spans = legal_spans(text)
    assert [text[s:e] for s, e, _ in spans] == [
        "sosialtjenesteloven §§ 18",
        "19",
        "20",
        "forskrift 2018-06-04-810",
    ]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
