"""Word handbooks in the shapes real offices produce, rendered from routines with python-docx.

    >>> from handbook.loader import load_handbook          # doctest: +SKIP
    >>> routines = [p.routine for p in load_handbook(SHIPPED_HANDBOOK).routines]  # doctest: +SKIP
    >>> SHAPES["heading-styles"](Path("h.docx"), routines).titles[:1]  # doctest: +SKIP
    ['Akutt hjelp samme dag']

Only what a Word document carries goes in: each routine's title, introduction and sections (no
synonyms, tags or legal list), plus metadata lines where the shape says so. Body Markdown becomes
real Word structure: paragraphs, ``- ``/``1. `` items in the list styles (``List Bullet 2`` when
nested), ``**bold**`` runs, pipe tables as tables, ``###`` sub-headings; links become their text.

Each shape is ``function(path, routines) -> Generated``: it writes ``path`` (``not-a-docx`` writes
two files) and says what a good import should find. Used by bench/word_import_eval.py.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt

from handbook.loader import load_handbook, slugify
from handbook.model import Routine, Section
from handbook.service import SHIPPED_HANDBOOK

WORDS_PER_PAGE = 450  # as bench/docx_import.py counts a page


class Stated(NamedTuple):
    """A metadata line under a routine's title: ``Stated("owner", "Eier: Fagleder", "Fagleder")``."""

    field: str  # owner, revised, review_by or legal
    line: str  # as typed
    value: str  # what it states, as typed ("12.03.2025")


@dataclass
class Generated:
    """What a shape wrote, and what a good import of it should find."""

    files: list[Path]
    titles: list[str]  # routine titles, in document order, without outline numbers
    # Questions for routines written here (not in the shipped handbook): (question, expected title).
    questions: list[tuple[str, str]] = field(default_factory=list)
    # Per title, the metadata lines the document has under it.
    stated: dict[str, list[Stated]] = field(default_factory=dict)


def shipped_routines() -> list[Routine]:
    return [parsed.routine for parsed in load_handbook(SHIPPED_HANDBOOK).routines]


def routine(title: str, summary: str, sections: Sequence[tuple[str, str]], theme: str = ""):
    """A routine written here (for shapes that need text the shipped handbook lacks)."""
    return Routine(
        id=slugify(title),
        title=title,
        owner="Fagansvarlig sosiale tjenester",
        revised=date(2025, 3, 12),
        review_by=date(2026, 3, 12),
        legal=(),
        sections=tuple(Section(h, slugify(h), body, 0) for h, body in sections),
        path=Path(f"{slugify(title)}.md"),
        theme=theme,
        summary=summary,
    )


# -- Markdown → Word ---------------------------------------------------------------------------
_INLINE = re.compile(r"\*\*(.+?)\*\*|\[([^\]]*)\]\([^)]*\)|(?<!\*)\*([^*]+)\*(?!\*)")
_ITEM = re.compile(r"^(\s*)(-|\d+\.)\s+(.*)$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def add_inline(paragraph, text: str) -> None:
    """``text`` as runs: ``**bold**`` bold, ``*italic*`` italic, ``[text](link)`` as its text."""
    pieces, at = [], 0
    for match in _INLINE.finditer(text):
        pieces.append((text[at : match.start()], False, False))
        bold, link, italic = match.groups()
        pieces.append((bold or link or italic or "", bold is not None, italic is not None))
        at = match.end()
    pieces.append((text[at:], False, False))
    for piece, bold, italic in pieces:
        if piece:
            run = paragraph.add_run(piece.replace("\\|", "|"))
            run.bold, run.italic = bold or None, italic or None


class Writer:
    """One document: headings in the shape's way, bodies as Word paragraphs, lists and tables."""

    def __init__(self, styled: bool = True, sizes: Sequence[int] = (16, 12, 11, 11)):
        self.document = docx.Document()
        self.styled = styled
        self.sizes = sizes  # plain headings' font size per level (1-based), when not styled
        self._style_ids: dict[str, str] = {}

    def add(self, style: str | None = None):
        """A new paragraph in ``style`` (by name; python-docx's own lookup is slow in big documents)."""
        paragraph = self.document.add_paragraph()
        if style:
            if style not in self._style_ids:
                if style not in [s.name for s in self.document.styles]:
                    self.document.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
                self._style_ids[style] = self.document.styles[style].style_id
            paragraph._p.style = self._style_ids[style]
        return paragraph

    def heading(self, text: str, level: int) -> None:
        if self.styled:
            self.add(f"Heading {level}").add_run(text)
            return
        paragraph = self.add()
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(self.sizes[min(level, len(self.sizes)) - 1])

    def paragraph(self, text: str, style: str | None = None) -> None:
        add_inline(self.add(style), text)

    def body(self, markdown: str, sub_level: int, number: str = "") -> None:
        """Markdown as Word; ``###`` headings at ``sub_level``, numbered "3.2.1" under ``number``."""
        lines = markdown.splitlines()
        subs = 0
        indents: list[int] = []  # indentation per open list level
        text: list[str] = []

        def flush() -> None:
            if text:
                self.paragraph(" ".join(text))
                text.clear()

        index = 0
        while index < len(lines):
            line = lines[index]
            item = _ITEM.match(line)
            if not line.strip():
                flush()
                indents.clear()
            elif line.startswith("### "):
                flush()
                subs += 1
                label = f"{number}.{subs} " if number else ""
                self.heading(label + line[4:].strip(), sub_level)
            elif line.lstrip().startswith("|"):
                flush()
                rows = []
                while index < len(lines) and lines[index].lstrip().startswith("|"):
                    rows.append(lines[index])
                    index += 1
                self.table(rows)
                continue
            elif item:
                flush()
                indent = len(item.group(1))
                while indents and indents[-1] > indent:
                    indents.pop()
                if not indents or indents[-1] < indent:
                    indents.append(indent)
                kind = "List Bullet" if item.group(2) == "-" else "List Number"
                level = min(len(indents), 3)
                self.paragraph(item.group(3), kind + (f" {level}" if level > 1 else ""))
            else:
                text.append(line.strip())
            index += 1
        flush()

    def table(self, rows: list[str]) -> None:
        cells = [
            [cell.strip() for cell in _CELL_SPLIT.split(row.strip().strip("|"))]
            for row in rows
            if not re.fullmatch(r"[\s|:-]+", row)
        ]
        table = self.document.add_table(rows=len(cells), cols=max(len(r) for r in cells))
        table.style = "Table Grid"
        for row, values in zip(table.rows, cells, strict=True):
            for cell, value in zip(row.cells, values, strict=False):
                add_inline(cell.paragraphs[0], value)
                if row is table.rows[0]:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True

    def routine(
        self,
        routine: Routine,
        level: int = 1,
        number: str = "",
        meta: Sequence[str] = (),
        empty_after: int | None = None,
    ) -> None:
        """Title at ``level``, metadata lines, intro, sections one level down; ``number`` ("3")
        types outline numbers before title and headings; ``empty_after`` adds an empty section."""
        prefix = f"{number} " if number else ""
        self.heading(prefix + routine.title, level)
        for line in meta:
            self.paragraph(line)
        if routine.summary:
            self.body(routine.summary, level + 1)
        for index, section in enumerate(routine.sections, start=1):
            section_number = f"{number}.{index}" if number else ""
            self.heading(f"{section_number} {section.heading}".strip(), level + 1)
            self.body(section.body, level + 2, section_number)
            if index == empty_after:
                self.heading("Skjemaer og maler", level + 1)

    def save(self, path: Path) -> None:
        self.document.save(path)


def _dmy(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _titles(routines: Sequence[Routine]) -> list[str]:
    return [r.title for r in routines]


# -- shapes ------------------------------------------------------------------------------------
def heading_styles(path: Path, routines: Sequence[Routine]) -> Generated:
    """Heading 1/2/3; "Ansvarlig: …" and "Sist revidert dd.mm.yyyy" (no colon) under some."""
    writer, stated = Writer(), {}
    for index, r in enumerate(routines):
        owner = Stated("owner", f"Ansvarlig: {r.owner}", r.owner)
        revised = Stated("revised", f"Sist revidert {_dmy(r.revised)}", _dmy(r.revised))
        lines = [owner, revised][: (2, 1, 0)[index % 3]]
        if lines:
            stated[r.title] = lines
        writer.routine(r, meta=[entry.line for entry in lines])
    writer.save(path)
    return Generated([path], _titles(routines), stated=stated)


def no_heading_styles(path: Path, routines: Sequence[Routine]) -> Generated:
    """No heading styles: titles bold 16 pt, section headings bold 12 pt, body 11 pt (Normal)."""
    writer = Writer(styled=False)
    writer.document.styles["Normal"].font.size = Pt(11)
    for r in routines:
        writer.routine(r)
    writer.save(path)
    return Generated([path], _titles(routines))


def numbered_headings(path: Path, routines: Sequence[Routine], styled: bool = True) -> Generated:
    """Outline numbers typed in the headings: "3 Muntlige søknader", "3.2 Slik registrerer …"."""
    writer = Writer(styled=styled, sizes=(14, 12, 11, 11))
    for number, r in enumerate(routines, start=1):
        writer.routine(r, number=str(number))
    writer.save(path)
    return Generated([path], _titles(routines))


def numbered_no_styles(path: Path, routines: Sequence[Routine]) -> Generated:
    return numbered_headings(path, routines, styled=False)


def _page_numbers(routines: Sequence[Routine], first: int = 2) -> list[list[int]]:
    """Per routine, the page of its title and of each section, counting 450 words a page."""
    pages, words = [], 0
    for r in routines:
        words += len(r.summary.split())
        row = [first + words // WORDS_PER_PAGE]
        for section in r.sections:
            row.append(first + words // WORDS_PER_PAGE)
            words += len(section.body.split())
        pages.append(row)
    return pages


def table_of_contents(path: Path, routines: Sequence[Routine], typed: bool = False) -> Generated:
    """Heading styles after a table of contents: "Innhold", then a line per heading with a tab
    and a page number in "toc 1"/"toc 2"; ``typed``: hand-typed "3.2 Slik … ....... 5" lines
    in Normal, and headings numbered to match."""
    writer = Writer()
    d = writer.document
    writer.add("Title").add_run("Rutinehåndbok for sosiale tjenester")
    if typed:
        writer.add().add_run("Innhold").bold = True
    else:
        writer.add("TOC Heading").add_run("Innhold")
    for number, (r, pages) in enumerate(zip(routines, _page_numbers(routines), strict=True), 1):
        headings = [r.title] + [s.heading for s in r.sections]
        for index, (heading, page) in enumerate(zip(headings, pages, strict=True)):
            if typed:
                label = f"{number}.{index} {heading}" if index else f"{number} {heading}"
                writer.add().add_run(f"{label} {'.' * 7} {page}")
            else:
                writer.add(f"toc {1 + bool(index)}").add_run(f"{heading}\t{page}")
    d.add_page_break()
    for number, r in enumerate(routines, start=1):
        writer.routine(r, number=str(number) if typed else "")
    writer.save(path)
    return Generated([path], _titles(routines))


def table_of_contents_typed(path: Path, routines: Sequence[Routine]) -> Generated:
    return table_of_contents(path, routines, typed=True)


def chapters(path: Path, routines: Sequence[Routine]) -> Generated:
    """Heading 1 per theme (chapter), Heading 2 per routine, Heading 3 sections, Heading 4 ``###``."""
    writer = Writer()
    themes: dict[str, list[Routine]] = {}
    for r in routines:
        themes.setdefault(r.theme or "Andre rutiner", []).append(r)
    for theme, members in themes.items():
        writer.heading(theme, 1)
        for r in members:
            writer.routine(r, level=2)
    writer.save(path)
    return Generated([path], _titles(routines))


DEADLINES = routine(
    "Frister i saksbehandlingen",
    "| Sak | Frist | Hjemmel |\n| --- | --- | --- |\n"
    "| Akutt behov for mat eller husly | Samme dag | stl. § 18 og § 27 |\n"
    "| Foreløpig svar når søknaden ikke kan behandles innen en måned | Innen én måned | fvl. § 11 a |\n"
    "| Vedtak om økonomisk stønad | Snarest, normalt innen tre uker | stl. § 18 |\n"
    "| Klagefrist for brukeren | Tre uker fra vedtaket er mottatt | fvl. § 29 |\n"
    "| Klage sendes Statsforvalteren etter ny vurdering | Innen én måned | fvl. § 33 |",
    (),
    theme="Søknad og saksbehandling",
)
DEADLINE_QUESTIONS = [
    ("hvor lang tid har vi på å sende foreløpig svar på en søknad", DEADLINES.title),
    ("oversikt over frister i saksbehandlingen", DEADLINES.title),
]


def tables_and_lists(path: Path, routines: Sequence[Routine]) -> Generated:
    """Heading styles, all lists and tables kept, plus a routine that is one table of deadlines."""
    writer = Writer()
    everything = [*routines, DEADLINES]
    for r in everything:
        writer.routine(r)
    writer.save(path)
    return Generated([path], _titles(everything), questions=DEADLINE_QUESTIONS)


def empty_section(path: Path, routines: Sequence[Routine]) -> Generated:
    """Heading styles; every third routine gets an empty Heading 2 ("Skjemaer og maler")."""
    writer = Writer()
    for index, r in enumerate(routines):
        writer.routine(r, empty_after=1 if index % 3 == 0 else None)
    writer.save(path)
    return Generated([path], _titles(routines))


NYNORSK = [
    routine(
        "Tolk i samtalar",
        "Når brukaren ikkje snakkar norsk godt nok til å forstå og bli forstått, skal vi bestille "
        "kvalifisert tolk. Rutina gjeld alle samtalar om søknad, vedtak og oppfølging.",
        [
            (
                "Når du skal bestille tolk",
                "- Brukaren ber om tolk, eller du merkar at de ikkje forstår kvarandre.\n"
                "- Samtalen gjeld rettar og plikter, til dømes vedtak om **økonomisk stønad**.\n"
                "- Bruk aldri barn eller familie som tolk.",
            ),
            (
                "Slik bestiller du",
                "1. Bestill tolk gjennom tolketenesta minst to dagar før samtalen.\n"
                "2. Skriv språk og dialekt i bestillinga.\n"
                "3. Noter i journalnotatet at samtalen gjekk med tolk.",
            ),
        ],
        theme="Tilgjengelighet og brukermøter",
    ),
    routine(
        "Heimebesøk",
        "Eit heimebesøk gir eit betre bilete av buforholda og kva brukaren treng. Vi er alltid to "
        "tilsette på heimebesøk.",
        [
            (
                "Før besøket",
                "Avtal tid med brukaren og sei kva besøket gjeld. Ta med ein kollega, og gje "
                "beskjed til kontoret om kvar de er og når de reknar med å vere tilbake.",
            ),
            (
                "Under og etter besøket",
                "- Gå ut om du kjenner deg utrygg.\n"
                "- Skriv journalnotat same dag.\n\n"
                "### Tryggleik\n"
                "Ring vaktleiar dersom noko uventa skjer.",
            ),
        ],
        theme="Tilgjengelighet og brukermøter",
    ),
    routine(
        "Rettleiing om bustøtte",
        "Mange med låg inntekt har rett på bustøtte frå Husbanken utan å vite om det. Vi skal "
        "rettleie om ordninga før vi vurderer økonomisk stønad til buutgifter.",
        [
            (
                "Kven som kan få bustøtte",
                "Bustøtte kan gå til den som har høge buutgifter og låg inntekt, også studentar "
                "med barn. Søknaden blir send digitalt til Husbanken innan den 1. i månaden.",
            ),
            (
                "Korleis vi hjelper",
                "1. Spør om brukaren har søkt bustøtte.\n"
                "2. Hjelp brukaren å søkje på husbanken.no.\n"
                "3. Ta omsyn til bustøtta når du reknar ut **behovet for stønad**.",
            ),
        ],
        theme="Søknad og saksbehandling",
    ),
]
NYNORSK_QUESTIONS = [
    ("brukaren forstår ikkje norsk, korleis bestiller eg tolk", "Tolk i samtalar"),
    ("kan vi bruke barnet som tolk for moren", "Tolk i samtalar"),
    ("skal vi være to på hjemmebesøk", "Heimebesøk"),
    ("kva gjer eg før eit heimebesøk hos brukar", "Heimebesøk"),
    ("bruker har høy husleie, har hun rett på bostøtte fra Husbanken", "Rettleiing om bustøtte"),
    ("korleis søkjer ein bustøtte", "Rettleiing om bustøtte"),
]


def nynorsk(path: Path, routines: Sequence[Routine]) -> Generated:
    """Heading styles; the routines plus three short ones in nynorsk, with questions for them."""
    writer = Writer()
    everything = [*routines, *NYNORSK]
    for r in everything:
        writer.routine(r)
    writer.save(path)
    return Generated([path], _titles(everything), questions=NYNORSK_QUESTIONS)


def not_a_docx(path: Path, routines: Sequence[Routine]) -> Generated:
    """``path`` is plain text named .docx; ``<stem>-zip.docx`` a zip without Word parts."""
    path.write_text("\n".join(f"{r.title}\n\n{r.summary}\n" for r in routines), encoding="utf-8")
    other = path.with_name(f"{path.stem}-zip.docx")
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("rutiner.txt", "\n".join(_titles(routines)))
        archive.writestr("mimetype", "application/zip")
    return Generated([path, other], [])


def _stated(*entries: tuple[str, str, str]) -> list[Stated]:
    return [Stated(*entry) for entry in entries]


# Metadata per routine, cycled: the lines typed under the title and what each states.
REVISION_VARIANTS = [
    _stated(
        ("revised", "Revidert: mars 2025", "mars 2025"),
        ("owner", "Ansvarlig: Avdelingsleder", "Avdelingsleder"),
    ),
    _stated(
        ("revised", "Sist revidert 12.03.2025", "12.03.2025"),
        ("owner", "Eier: Fagleder", "Fagleder"),
    ),
    _stated(
        ("owner", "Rutineeier: Fagansvarlig sosiale tjenester", "Fagansvarlig sosiale tjenester"),
        ("revised", "Sist revidert: 12.03.2025", "12.03.2025"),
    ),
    _stated(
        ("owner", "Ansvarlig: Avdelingsleder", "Avdelingsleder"),
        ("revised", "Revidert: 12.03.2025", "12.03.2025"),
        ("review_by", "Neste gjennomgang: 12.03.2026", "12.03.2026"),
        ("legal", "Lovgrunnlag: stl. § 18, fvl. § 17", "stl. § 18, fvl. § 17"),
    ),
    _stated(
        (
            "legal",
            "Vedtak fattes etter stl. § 18, og saken skal være godt nok opplyst (fvl. § 17).",
            "stl. § 18, fvl. § 17",
        ),
    ),
]


def revision_metadata(path: Path, routines: Sequence[Routine]) -> Generated:
    """Heading styles; varied metadata lines (see REVISION_VARIANTS) and core properties."""
    writer, stated = Writer(), {}
    for index, r in enumerate(routines):
        variant = REVISION_VARIANTS[index % len(REVISION_VARIANTS)]
        writer.routine(r, meta=[entry.line for entry in variant])
        stated[r.title] = variant
    properties = writer.document.core_properties
    properties.author = "Fagleder"
    properties.last_modified_by = "Avdelingsleder"
    properties.created = datetime(2019, 1, 7, 9, 0)
    properties.modified = datetime(2025, 3, 12, 14, 30)
    properties.revision = 14
    properties.title = "Rutinehåndbok for sosiale tjenester"
    writer.save(path)
    return Generated([path], _titles(routines), stated=stated)


def sized(path: Path, pages: int, routines: Sequence[Routine] | None = None) -> Generated:
    """About ``pages`` pages (450 words each): the routines repeated, with numbered titles and
    "Ansvarlig:"/"Revidert:" lines."""
    routines = list(routines or shipped_routines())
    writer, words, titles = Writer(), 0, []
    while words < pages * WORDS_PER_PAGE:
        r = routines[len(titles) % len(routines)]
        titles.append(r.title)
        meta = [f"Ansvarlig: {r.owner}", f"Revidert: {_dmy(r.revised)}"]
        writer.routine(r, number=str(len(titles)), meta=meta)
        words += len(r.summary.split()) + sum(len(s.body.split()) for s in r.sections)
    writer.save(path)
    return Generated([path], titles)


SHAPES: dict[str, Callable[[Path, Sequence[Routine]], Generated]] = {
    "heading-styles": heading_styles,
    "no-heading-styles": no_heading_styles,
    "numbered-headings": numbered_headings,
    "numbered-no-styles": numbered_no_styles,
    "table-of-contents": table_of_contents,
    "table-of-contents-typed": table_of_contents_typed,
    "chapters": chapters,
    "tables-and-lists": tables_and_lists,
    "empty-section": empty_section,
    "nynorsk": nynorsk,
    "not-a-docx": not_a_docx,
    "revision-metadata": revision_metadata,
}
