"""Word paragraphs and tables as Markdown: headings, list items, bold and italic, links, tables.

Pure functions over python-docx objects. Headings and lists are recognised by style name (Word writes
the English built-in names, ``Heading 2``, ``List Bullet 2``, also in a Norwegian Word; ``Overskrift 2``
is accepted too) and, for lists numbered by direct formatting, by the paragraph's numbering
properties, looked up in the numbering part through python-docx's element objects (python-docx has
no list API).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
LIST_STYLE = re.compile(
    r"^(?:list|liste)\s*(bullet|number|punkt|nummer)(?:\s*(\d))?$", re.IGNORECASE
)
TOC_STYLE = re.compile(r"^(?:toc\s*(?:\d|heading)|innholdsfortegnelse)", re.IGNORECASE)
TITLE_STYLES = {"title", "tittel"}
BOLD_STYLES = {"strong", "sterk", "sterk utheving"}
ITALIC_STYLES = {"emphasis", "utheving", "svak utheving", "subtle emphasis"}
BULLET, NUMBER = "bullet", "number"
# Leading outline numbers typed by hand ("3.1 Journalføring") are dropped from headings.
OUTLINE_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\S)")
_ESCAPE = re.compile(r"([\\*`])")
# A paragraph must not turn into a heading or a quote; hand-typed "1." and "-" stay lists, as meant.
_BLOCK_START = re.compile(r"^([#>])")


@dataclass(frozen=True)
class ListInfo:
    kind: str  # BULLET or NUMBER
    level: int  # 0 = top level


class Styles:
    """Style names and list formats of one document, looked up once per style or numbering id."""

    def __init__(self, document: Document):
        self._document = document
        self._names: dict[str | None, str] = {}
        self._run_styles: dict[str | None, tuple[bool, bool]] = {}
        self._formats: dict[tuple[str, str], str | None] = {}
        try:
            self._numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self._numbering = None

    def name(self, paragraph: Paragraph) -> str:
        style_id = paragraph._p.style
        if style_id not in self._names:
            style = paragraph.style
            self._names[style_id] = (style.name or "") if style is not None else ""
        return self._names[style_id]

    def run_format(self, run: Run) -> tuple[bool, bool]:
        """(bold, italic) from the run's own formatting or its character style (Strong, Emphasis)."""
        style_id = run._r.style
        if style_id not in self._run_styles:
            style = run.style
            name = (style.name or "").lower() if style is not None else ""
            self._run_styles[style_id] = (name in BOLD_STYLES, name in ITALIC_STYLES)
        bold, italic = self._run_styles[style_id]
        return bool(run.bold) or bold, bool(run.italic) or italic

    def heading_level(self, paragraph: Paragraph) -> int | None:
        """1 for Heading 1 and so on; 0 for the document title; ``None`` for body text."""
        name = self.name(paragraph)
        match = HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
        return 0 if name.lower() in TITLE_STYLES else None

    def is_toc(self, paragraph: Paragraph) -> bool:
        """A line of a table of contents that Word generated (styles *TOC 1*, *TOC Heading* …)."""
        return bool(TOC_STYLE.match(self.name(paragraph)))

    def list_info(self, paragraph: Paragraph) -> ListInfo | None:
        match = LIST_STYLE.match(self.name(paragraph))
        if match:
            kind = BULLET if match.group(1).lower() in ("bullet", "punkt") else NUMBER
            return ListInfo(kind, int(match.group(2) or 1) - 1)
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None or num_pr.numId is None:
            return None
        num_id = str(num_pr.numId.val)
        level = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        fmt = self._format(num_id, str(level))
        if num_id == "0" or fmt == "none":
            return None
        return ListInfo(BULLET if fmt in (None, "bullet") else NUMBER, level)

    def _format(self, num_id: str, level: str) -> str | None:
        key = (num_id, level)
        if key not in self._formats:
            value = None
            if self._numbering is not None:
                abstract = self._numbering.xpath(
                    f"./w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val"
                )
                if abstract:
                    formats = self._numbering.xpath(
                        f"./w:abstractNum[@w:abstractNumId='{abstract[0]}']"
                        f"/w:lvl[@w:ilvl='{level}']/w:numFmt/@w:val"
                    )
                    value = formats[0] if formats else None
            self._formats[key] = value
        return self._formats[key]


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _wrap(text: str, bold: bool, italic: bool) -> str:
    core = text.strip()
    if not core or not (bold or italic):
        return text
    marker = ("**" if bold else "") + ("*" if italic else "")
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marker}{core}{marker[::-1]}{trail}"


def inline(paragraph: Paragraph, styles: Styles) -> str:
    """The paragraph's text as one line of Markdown (bold, italic and links kept)."""
    pieces: list[tuple[str, bool, bool, str | None]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        url = item.url if isinstance(item, Hyperlink) else None
        for run in runs:
            text = run.text.replace("\t", " ").replace("\n", " ")
            if not text:
                continue
            bold, italic = styles.run_format(run)
            if pieces and pieces[-1][1:] == (bold, italic, url):
                pieces[-1] = (pieces[-1][0] + text, bold, italic, url)
            else:
                pieces.append((text, bold, italic, url))
    out = []
    for text, bold, italic, url in pieces:
        piece = _wrap(escape(text), bold, italic)
        if url and piece.strip():
            piece = f"[{piece.strip()}]({url.replace(')', '%29').replace(' ', '%20')})"
        out.append(piece)
    line = " ".join("".join(out).split())
    return _BLOCK_START.sub(r"\\\1", line)


def heading_text(paragraph: Paragraph) -> str:
    text = " ".join(paragraph.text.split())
    return OUTLINE_NUMBER.sub("", text) or text


def table_lines(table: Table, styles: Styles) -> tuple[list[str], list[str]]:
    """A Markdown pipe table (first row as header) and notes on what it could not keep."""
    notes: list[str] = []
    rows: list[list[str]] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            if cell.tables:
                notes.append("tabell inne i en tabellcelle er ikke tatt med")
            text = " ".join(p for p in (inline(par, styles) for par in cell.paragraphs) if p)
            cells.append(text.replace("|", "\\|"))
        rows.append(cells)
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        return [], notes
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return lines, notes
