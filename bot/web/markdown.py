"""A routine's Markdown as safe HTML, with its links made to work on the web.

markdown-it-py (CommonMark) with raw HTML switched off, so ``<script>`` in a routine is shown
as text, and with its link check, so ``javascript:`` and ``data:`` links are left as text.
On top of the parsed tokens:

- ``[Tittel](rutine:id#anker)`` links go where ``routine_href`` says; a link to a routine that
  does not exist (``python -m handbook check`` reports those) stays plain text;
- legal references in the text (``§ 17``, ``fvl. § 11 d``) link to Lovdata;
- headings are renumbered from ``top_heading`` in the order of their levels, so the page's
  outline has no gaps whatever the author wrote;
- tables sit in a box of their own that scrolls sideways, so a wide table never widens the page.

>>> render("Se [Klage](rutine:klage) og § 17.", routine_href=lambda i, a: f"/rutiner/{i}")
'<p>Se <a href="/rutiner/klage">Klage</a> og <a href="https://lovdata.no/lov/2009-12-18-131/%C2%A717">§ 17</a>.</p>\\n'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.chat.cards import lovdata_url

from .legal_links import legal_spans

#: (routine id, section anchor or "") -> the link's href, or None when there is no such routine.
RoutineHref = Callable[[str, str], str | None]

ROUTINE_SCHEME = "rutine:"

_MD = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _table_open(self, tokens, idx, options, env) -> str:
    return '<div class="table">' + self.renderToken(tokens, idx, options, env)


def _table_close(self, tokens, idx, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


_MD.add_render_rule("table_open", _table_open)
_MD.add_render_rule("table_close", _table_close)


def render(markdown: str, *, routine_href: RoutineHref, top_heading: int = 3) -> str:
    """``markdown`` as an HTML fragment (see the module docstring for what is changed)."""
    tokens = _MD.parse(markdown)
    levels = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    renumber = {f"h{level}": f"h{min(6, top_heading + i)}" for i, level in enumerate(levels)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = renumber[token.tag]
        elif token.type == "inline" and token.children:
            token.children = _inline(token.children, routine_href)
    return _MD.renderer.render(tokens, _MD.options, {})


def _inline(children: Sequence[Token], routine_href: RoutineHref) -> list[Token]:
    result: list[Token] = []
    in_link = False
    dropped = False  # the current link_open was left out, so its link_close must be too
    for token in children:
        if token.type == "link_open":
            in_link = True
            href = str(token.attrGet("href") or "")
            if href.startswith(ROUTINE_SCHEME):
                target, _, anchor = href.removeprefix(ROUTINE_SCHEME).partition("#")
                resolved = routine_href(target, anchor)
                if resolved is None:
                    dropped = True
                    continue
                token.attrSet("href", resolved)
        elif token.type == "link_close":
            in_link = False
            if dropped:
                dropped = False
                continue
        elif token.type == "text" and not in_link:
            result.extend(_linked_text(token.content))
            continue
        result.append(token)
    return result


def _linked_text(text: str) -> list[Token]:
    """A text token split around its legal references, each wrapped in a Lovdata link."""
    pieces: list[Token] = []
    last = 0
    for start, end, ref in legal_spans(text):
        if start > last:
            pieces.append(_text(text[last:start]))
        pieces.append(Token("link_open", "a", 1, attrs={"href": lovdata_url(ref)}))
        pieces.append(_text(text[start:end]))
        pieces.append(Token("link_close", "a", -1))
        last = end
    if last < len(text) or not pieces:
        pieces.append(_text(text[last:]))
    return pieces


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)
