"""The outline of a Word handbook: which paragraphs are headings, and which heading level is a
routine, read from the whole document before any of it is mapped.

Offices write headings in three ways, and this module reads each to a level (1 = top):

- **Heading styles** (``Heading 1``–``9``, ``Overskrift 1``–``9``): the style's number.
- **Outline numbers typed by hand** in a plain paragraph (``3.2 Muntlig søknad``): the depth of
  the number, when the line is short, has no final full stop and is bold, larger than body text,
  or numbered in two or more parts (a single ``3 …`` could be a hand-typed list item).
- **Bold or large text** (no heading styles anywhere in the document): a short line, all of it
  bold or larger than the body text, without a final full stop, that is not a list item.
  The larger the font, the higher the level; bold at body size is the lowest.

The routine level is the top level used, unless those top headings are chapters: headings that
have no text of their own and hold the headings of the level below, which themselves hold
headings (``1 Søknad og saksbehandling`` › ``1.2 Muntlige søknader`` › ``1.2.1 Slik …``). Then
each routine is one level down and its chapter becomes its ``theme``.

Lines of a table of contents typed by hand (``3.2 Muntlig søknad ........ 5``, or a tab and a
page number) are marked as such so the import leaves them out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from handbook.docx_markdown import Styles
from handbook.docx_source import body_blocks

# "3", "3.2", "3.2.1" (and "3.2." ) before the heading's text
OUTLINE_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?=[^\W\d_])")
# A table-of-contents line typed by hand: dot leaders or a tab, then a page number.
TOC_LINE = re.compile(r"(?:\.{3,}|…+|\t)\s*\d{1,4}\s*$")
MAX_HEADING_CHARS = 120
MAX_HEADING_WORDS = 14
# What a paragraph is when it is not a heading of some level:
TOC = "toc"  # a line of a table of contents typed by hand
TITLE = "title"  # the document's title (the Title style)
EMPTY = "empty"  # no text


@dataclass(frozen=True)
class Outline:
    """Per body paragraph, in document order: its heading level, ``None`` for body text, or
    :data:`TOC`; and the level that is one routine."""

    levels: tuple[int | str | None, ...]  # a level (1 = top), TOC, TITLE, EMPTY or None
    routine_level: int

    def role(self, ordinal: int) -> int | str | None:
        """The heading's place relative to a routine: ``0`` a chapter (above a routine), ``1`` a
        routine, ``2`` a section, ``3`` and more a sub-heading; :data:`TOC` or :data:`TITLE`;
        ``None`` for body text."""
        level = self.levels[ordinal] if ordinal < len(self.levels) else None
        if not isinstance(level, int):
            return None if level == EMPTY else level
        return max(0, level - self.routine_level + 1)


@dataclass
class _Paragraph:
    text: str  # whitespace folded
    raw: str  # as written, tabs kept
    styled: int | None  # the heading style's level (0 for the title style)
    # How it looks; read only in a document without heading styles (see _look).
    size: float = 11.0  # the largest font size of its text, in points
    bold: bool = False  # all of its text is bold
    listed: bool = False


def read_outline(document: Document, styles: Styles) -> Outline:
    blocks: list[_Paragraph | None] = []  # None: a table or a skipped block (text of its own)
    found: list[tuple[_Paragraph, Paragraph]] = []
    for block in body_blocks(document):
        if isinstance(block, Paragraph):
            raw = block.text
            described = _Paragraph(" ".join(raw.split()), raw, styles.heading_level(block))
            blocks.append(described)
            found.append((described, block))
        elif isinstance(block, Table):
            blocks.append(None)
    styled = any(p.styled and p.text for p, _ in found)
    if not styled:  # headings by their looks: each paragraph's font, weight and list level
        fonts = _StyleFonts(document)
        for described, paragraph in found:
            _look(described, paragraph, styles, fonts)
    paragraphs = [p for p, _ in found]
    body_size = _body_size(paragraphs)
    sizes = sorted(
        {p.size for p in paragraphs if _looks_like_heading(p, body_size) and not styled},
        reverse=True,
    )
    levels: list[int | str | None] = []
    for p in blocks:
        if p is None:
            levels.append(None)
        else:
            levels.append(_level(p, styled, body_size, sizes))
    return Outline(
        tuple(lv for lv, b in zip(levels, blocks, strict=True) if b is not None), _routine(levels)
    )


class _StyleFonts:
    """Each paragraph style's font size (points) and boldness, looked up once per style."""

    def __init__(self, document: Document):
        self._document = document
        self._fonts: dict[str | None, tuple[float, bool]] = {}
        try:
            normal = document.styles["Normal"].font.size
        except KeyError:
            normal = None
        self.default = normal.pt if normal else 11.0

    def __call__(self, paragraph: Paragraph) -> tuple[float, bool]:
        style_id = paragraph._p.style
        if style_id not in self._fonts:
            style = paragraph.style
            size = style.font.size if style is not None else None
            self._fonts[style_id] = (
                size.pt if size else self.default,
                bool(style is not None and style.font.bold),
            )
        return self._fonts[style_id]


def _look(described: _Paragraph, paragraph: Paragraph, styles: Styles, fonts: _StyleFonts) -> None:
    """Fill in how ``paragraph`` looks: only needed in a document without heading styles."""
    style_size, style_bold = fonts(paragraph)
    size, bold = 0.0, bool(described.text)
    for run in paragraph.runs:
        if not run.text.strip():
            continue
        length = run.font.size
        size = max(size, length.pt if length else style_size)
        bold = bold and (styles.run_format(run)[0] or style_bold)
    described.size = size or 11.0
    described.bold = bold
    described.listed = styles.list_info(paragraph) is not None


def _body_size(paragraphs: list[_Paragraph]) -> float:
    """The font size most of the text is written in."""
    weights: Counter[float] = Counter()
    for p in paragraphs:
        weights[p.size] += len(p.text)
    return weights.most_common(1)[0][0] if weights else 11.0


def _short(p: _Paragraph) -> bool:
    return (
        0 < len(p.text) <= MAX_HEADING_CHARS
        and len(p.text.split()) <= MAX_HEADING_WORDS
        and not p.text.endswith((".", ":", ";", ","))
        and not p.listed
    )


def _looks_like_heading(p: _Paragraph, body_size: float) -> bool:
    return _short(p) and not OUTLINE_NUMBER.match(p.text) and (p.bold or p.size > body_size)


def _level(p: _Paragraph, styled: bool, body_size: float, sizes: list[float]) -> int | str | None:
    if not p.text:
        return EMPTY
    if _toc_line(p):
        return TOC
    if p.styled is not None:
        return p.styled or TITLE
    if styled:
        return None  # a document with heading styles uses them for its headings
    number = OUTLINE_NUMBER.match(p.text)
    if number and _short(p):
        depth = number.group(1).count(".") + 1
        if depth > 1 or p.bold or p.size > body_size:
            return depth
    if _looks_like_heading(p, body_size):
        return sizes.index(p.size) + 1
    return None


def _toc_line(p: _Paragraph) -> bool:
    """``3.2 Muntlig søknad ........ 5`` or ``3.2 Muntlig søknad<tab>5``: dot leaders, or a tab
    after an outline number, before a page number."""
    if len(p.text) > MAX_HEADING_CHARS + 20 or not TOC_LINE.search(p.raw):
        return False
    return bool(re.search(r"\.{3,}|…", p.raw)) or (
        "\t" in p.raw and OUTLINE_NUMBER.match(p.text) is not None
    )


def _routine(levels: list[int | str | None]) -> int:
    """The level of one routine: the top heading level, or the one below it when the top
    headings are chapters (no text of their own; they hold headings that hold headings)."""
    levels = [lv for lv in levels if lv != EMPTY]
    headings = [lv for lv in levels if isinstance(lv, int)]
    if not headings:
        return 1
    top = min(headings)
    own_text = 0  # top headings with text before their next heading
    holds_sections = 0  # top headings whose children have children of their own
    count = 0
    for index, level in enumerate(levels):
        if level != top:
            continue
        count += 1
        following = levels[index + 1 :]
        if following and following[0] is None:
            own_text += 1
        below = []
        for lv in following:
            if lv == top:
                break
            if isinstance(lv, int) and lv > top:
                below.append(lv)
        if top + 1 in below and top + 2 in below:
            holds_sections += 1
    if own_text * 3 <= count and holds_sections * 3 >= count * 2:
        return top + 1
    return top
