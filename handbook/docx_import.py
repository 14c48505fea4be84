"""A Word handbook (.docx) as handbook files: one routine per routine heading, sections below.

Which paragraphs are headings, and which level is a routine, is read from the whole document
first (:mod:`handbook.docx_outline`: heading styles, outline numbers typed by hand, or bold and
large text; chapters above routines become their ``theme``). :func:`import_docx` then returns
the files to write (``<id>.md`` per routine, ``_forord.md`` for text before the first routine)
and notes on everything it could not map, each with its place in the document: ``«Routine» ›
«Section», avsnitt 3: bilde er ikke tatt med``. The paragraph number counts the non-empty blocks
(paragraphs, list items, tables) after the heading, starting at 1. Nothing is written here (see
:mod:`handbook.import_writer`; a re-import is merged by :mod:`handbook.import_merge`).

Front matter comes from the routine's own lines (``Ansvarlig:``, ``Revidert:``, ``Neste
gjennomgang:``, ``Lovgrunnlag:``; see :mod:`handbook.import_fields`), or a two-column table of
only such fields, and the legal references in its text (:mod:`handbook.legal`); then from such
lines before the first routine, and the document properties' last-saved date. The notes say
what was taken from where. What the document does not say is written as ``TODO``: the routine is
searched all the same, marked as not quality-assured, and ``python -m handbook check`` names the
``TODO`` until someone fills it in. A routine that states when it was revised but not when it is
due for review gets ``review_by`` one year after the revision (routines are reviewed at least
yearly), marked with a comment in the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

from handbook.docx_markdown import BULLET, ListInfo, Styles, heading_text, inline, table_lines
from handbook.docx_outline import TOC, read_outline
from handbook.docx_source import (
    TABLE_OF_CONTENTS,
    Skipped,
    body_blocks,
    open_docx,
    unmapped_in,
)
from handbook.import_fields import field_line, one_year_later, parse_date
from handbook.legal import find_refs, parse_ref
from handbook.loader import slugify
from handbook.model import LegalRef

TODO = "TODO"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DERIVED_REVIEW = "revidert + 1 år"  # the comment on a review_by the import worked out
PREFACE_FILE = "_forord.md"
FIELD_NAMES = {
    "owner": "ansvarlig",
    "revised": "revidert",
    "review_by": "neste gjennomgang",
    "legal": "lovgrunnlag",
}


class _Container:
    """The Markdown of a preface, a routine's introduction or a section: chunks joined by blank lines."""

    def __init__(self, heading: str | None = None):
        self.heading = heading
        self.chunks: list[list[str]] = []
        self.blocks = 0  # non-empty blocks so far: the paragraph number in notes
        self._list: list[list] | None = None  # per level: [kind, counter, marker width]

    def add(self, lines: list[str]) -> None:
        self._list = None
        if lines:
            self.chunks.append(lines)

    def add_item(self, text: str, info: ListInfo) -> None:
        if self._list is None:
            self._list = []
            self.chunks.append([])
        stack = self._list
        level = min(info.level, len(stack))
        del stack[level + 1 :]
        if len(stack) > level and stack[level][0] != info.kind:
            del stack[level:]
        if len(stack) == level:
            stack.append([info.kind, 0, 2])
        entry = stack[level]
        entry[1] += 1
        marker = "-" if info.kind == BULLET else f"{entry[1]}."
        entry[2] = len(marker) + 1
        indent = sum(parent[2] for parent in stack[:level])
        self.chunks[-1].append(" " * indent + f"{marker} {text}")

    def markdown(self) -> str:
        return "\n\n".join("\n".join(chunk) for chunk in self.chunks).strip()


@dataclass
class _Routine:
    title: str
    theme: str = ""
    intro: _Container = field(default_factory=_Container)
    sections: list[_Container] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # field → where the value came from
    tags: list[str] = field(default_factory=list)  # from «Stikkord:» lines
    legal: list[LegalRef] = field(default_factory=list)
    id: str = ""

    @property
    def current(self) -> _Container:
        return self.sections[-1] if self.sections else self.intro


@dataclass(frozen=True)
class ImportResult:
    files: dict[str, str]  # file name → content
    notes: list[str]  # "place: what", in document order
    routines: int
    filled: dict[str, int] = field(default_factory=dict)  # field → routines the document filled
    todo: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # file → (title, fields)

    def summary(self) -> str:
        """``ansvarlig 3 av 5, revidert 5 av 5, …``: how much of the metadata the document gave."""
        return ", ".join(
            f"{FIELD_NAMES[key]} {self.filled.get(key, 0)} av {self.routines}"
            for key in FIELD_NAMES
        )


class _Builder:
    def __init__(self, document: Document, source: str = ""):
        self.document = document
        self.source = source  # the Word file's name, written as ``source:`` (see import_merge)
        self.styles = Styles(document)
        self.preface = _Container()
        self.routines: list[_Routine] = []
        self.notes: list[str] = []
        self.todo: dict[str, tuple[str, list[str]]] = {}  # file → (title, fields left as TODO)
        self.in_toc = False
        self.theme = ""  # the chapter the current routine is in, when routines are in chapters
        self.in_chapter = False  # between a chapter's heading and its first routine
        # Fields stated once for the whole document (in its preface), and where.
        self.document_fields: dict[str, str] = {}
        self.document_sources: dict[str, str] = {}
        self._properties_date(document)

    def _properties_date(self, document: Document) -> None:
        """The document properties' last-saved date, as the revision date of every routine that
        states none: only when the file was saved after it was created (a template's copy
        carries its template's dates, created and modified alike)."""
        properties = document.core_properties
        modified, created = properties.modified, properties.created
        if modified and (created is None or modified > created):
            self.document_fields["revised"] = modified.date().isoformat()
            self.document_sources["revised"] = "dokumentegenskapene (sist lagret)"

    # -- where we are -------------------------------------------------------------------------
    @property
    def routine(self) -> _Routine | None:
        return self.routines[-1] if self.routines else None

    @property
    def container(self) -> _Container:
        if self.routine is None or self.in_chapter:
            return self.preface  # a chapter's own text stays with the preface, under its title
        return self.routine.current

    def place(self, number: int | None = None) -> str:
        routine = self.routine
        if routine is None:
            where = "forordet"
        elif routine.sections:
            where = f"«{routine.title}» › «{routine.sections[-1].heading}»"
        else:
            where = f"«{routine.title}»"
        return f"{where}, avsnitt {number}" if number else f"{where} (overskriften)"

    def note(self, message: str, number: int | None = None) -> None:
        self.notes.append(f"{self.place(number)}: {message}")

    # -- blocks -------------------------------------------------------------------------------
    def run(self) -> None:
        outline = read_outline(self.document, self.styles)
        ordinal = 0  # the paragraph's place among the body's paragraphs, as the outline counts
        for block in body_blocks(self.document):
            if isinstance(block, Paragraph):
                self.paragraph(block, outline.role(ordinal))
                ordinal += 1
            elif isinstance(block, Table):
                self.in_toc = False
                self.table(block)
            elif isinstance(block, Skipped):
                self.container.blocks += 1
                self.note(f"{block.what} er ikke tatt med", self.container.blocks)

    def paragraph(self, paragraph: Paragraph, role: int | str | None) -> None:
        if self.styles.is_toc(paragraph) or role == TOC:
            if not self.in_toc:
                self.container.blocks += 1
                self.note(f"{TABLE_OF_CONTENTS} er ikke tatt med", self.container.blocks)
            self.in_toc = True
            return
        self.in_toc = False
        level = role if isinstance(role, int) else None  # TITLE: the title is body text
        if level is not None and level <= 2:
            self.heading(paragraph, level)
            return
        notes = unmapped_in(paragraph, self.document)
        if level:
            text = heading_text(paragraph)
            line = f"{'#' * min(level, 6)} {text}" if text else ""
        else:
            text = line = inline(paragraph, self.styles)
        if not line and not notes:
            return
        container = self.container
        container.blocks += 1
        for message in notes:
            self.note(message, container.blocks)
        if not line:
            return
        info = None if level else self.styles.list_info(paragraph)
        if info is not None:
            container.add_item(text, info)
        elif level is None and self.take_field(paragraph.text, container.blocks):
            return
        else:
            container.add([line])

    def heading(self, paragraph: Paragraph, level: int) -> None:
        """A chapter (0), a routine (1) or a section (2): see :mod:`handbook.docx_outline`."""
        title = heading_text(paragraph)
        if level == 0:
            self.theme = title  # the routines that follow, until the next chapter
            self.in_chapter = True
            self.preface.add([f"## {title}"])
            self.preface.blocks += 1
            return
        if level == 1:
            self.in_chapter = False
            self.routines.append(_Routine(title, theme=self.theme))
        elif self.routine is None or self.in_chapter:
            self.preface.add([f"## {title}"])
            self.preface.blocks += 1
            return
        else:
            self.routine.sections.append(_Container(title))
        for message in unmapped_in(paragraph, self.document):
            self.note(message)

    def table(self, table: Table) -> None:
        lines, notes = table_lines(table, self.styles)
        container = self.container
        if not lines and not notes:
            return
        container.blocks += 1
        for message in notes:
            self.note(message, container.blocks)
        if self.routine and self.take_field_table(table, container.blocks):
            return
        container.add(lines)

    def take_field_table(self, table: Table, number: int) -> bool:
        """A two-column table of fields only (``Ansvarlig | Fagansvarlig``) goes to the front matter."""
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        rows = [row for row in rows if any(row)]
        lines = [f"{row[0]}: {row[1]}" for row in rows if len(row) == 2 and row[0] and row[1]]
        if not rows or len(lines) != len(rows) or not all(field_line(line) for line in lines):
            return False
        for line in lines:
            if not self.take_field(line, number):
                self.container.add([line])
        return True

    def take_field(self, text: str, number: int) -> bool:
        """Move a ``Ansvarlig: …`` line into the front matter (of the routine, or before the
        first routine of every routine that states none); ``False`` leaves it in the text."""
        found = field_line(text)
        if found is None:
            return False
        key, value = found
        if self.in_chapter and self.routines:
            return False  # a chapter's own line: not any one routine's
        routine = self.routine
        if key == "tags":
            return routine is not None and self.take_tags(routine, value, text, number)
        fields = routine.fields if routine else self.document_fields
        sources = routine.sources if routine else self.document_sources
        label = FIELD_NAMES[key]
        if key in fields and (routine or not sources.get(key, "").startswith("dokumentegenskap")):
            self.note(f"«{label}» står flere ganger; den første er brukt", number)
            return False
        if key in ("revised", "review_by"):
            day = parse_date(value)
            if day is None:
                self.note(f"forstår ikke datoen «{value}» ({label}); står igjen i teksten", number)
                return False
            value = day.isoformat()
        elif key == "legal":
            refs = [ref.ref for ref in find_refs(value)]
            if not refs:
                self.note(f"forstår ikke lovgrunnlaget «{value}»; står igjen i teksten", number)
                return False
            if routine is None:
                return False  # a legal basis for the whole document: left in the preface
            routine.legal.extend(refs)
        fields[key] = value
        where = f"avsnitt {number}" if routine else f"forordet, avsnitt {number}"
        sources[key] = f"«{' '.join(text.split())[:80]}», {where}"
        return True

    def take_tags(self, routine: _Routine, value: str, text: str, number: int) -> bool:
        """``Stikkord: nødhjelp, mat, samme dag`` → the routine's ``tags``."""
        words = [word.strip(" .") for word in re.split(r"[,;]", value) if word.strip(" .")]
        routine.tags += [word for word in words if word not in routine.tags]
        routine.sources.setdefault("tags", f"«{' '.join(text.split())[:80]}», avsnitt {number}")
        return bool(words)

    # -- result -------------------------------------------------------------------------------
    def result(self) -> ImportResult:
        files: dict[str, str] = {}
        used: set[str] = {PREFACE_FILE[:-3]}
        written = 0
        filled: dict[str, int] = {}
        preface = self.preface.markdown()
        if preface:
            files[PREFACE_FILE] = preface + "\n"
            self.notes.append(
                f"forordet: teksten før første overskrift ({self.preface.blocks} avsnitt) er lagt i "
                f"{PREFACE_FILE}; den er ikke en rutine og kommer ikke med i søket"
            )
        for routine in self.routines:
            self.finish(routine)
            text = self.render(routine, used)
            if text is None:
                continue
            files[f"{routine.id}.md"] = text
            written += 1
            for key in routine.fields:
                filled[key] = filled.get(key, 0) + 1
        return ImportResult(files, self.notes, written, filled, self.todo)

    def finish(self, routine: _Routine) -> None:
        kept = []
        for section in routine.sections:
            if section.markdown():
                kept.append(section)
            else:
                self.notes.append(
                    f"«{routine.title}» › «{section.heading}»: seksjonen er tom og er ikke tatt med"
                )
        routine.sections = kept
        if not kept and routine.intro.markdown():
            routine.intro.heading = routine.title
            routine.sections = [routine.intro]
            routine.intro = _Container()
            self.notes.append(
                f"«{routine.title}»: rutinen har ingen underoverskrifter (Overskrift 2); "
                "teksten er lagt i én seksjon med rutinens tittel"
            )
        text = "\n".join(
            [routine.title, routine.intro.markdown()]
            + [f"{s.heading}\n{s.markdown()}" for s in routine.sections]
        )
        routine.legal.extend(found.ref for found in find_refs(text))

    def render(self, routine: _Routine, used: set[str]) -> str | None:
        if not routine.sections:
            self.notes.append(f"«{routine.title}»: rutinen er tom og er ikke tatt med")
            return None
        base = slugify(routine.title) or "rutine"
        routine.id, number = base, 2
        while routine.id in used:
            routine.id, number = f"{base}-{number}", number + 1
        used.add(routine.id)
        fields, sources = routine.fields, routine.sources
        for key, value in self.document_fields.items():
            if key not in fields:
                fields[key], sources[key] = value, self.document_sources[key]
        review_comment = ""
        if "review_by" not in fields and "revised" in fields:
            revised = date.fromisoformat(fields["revised"])
            fields["review_by"] = one_year_later(revised).isoformat()
            sources["review_by"] = DERIVED_REVIEW
            review_comment = f"  # {DERIVED_REVIEW} (rutiner gjennomgås minst årlig)"
        legal = _legal_entries(routine.legal)
        if legal:
            fields["legal"] = ", ".join(legal)
            sources.setdefault("legal", "henvisninger i teksten")
        filled = [
            f"{FIELD_NAMES[key]} {fields[key]} fra {sources[key]}"
            for key in FIELD_NAMES
            if key in fields
        ]
        if routine.tags:
            filled.append(f"stikkord {', '.join(routine.tags)} fra {sources['tags']}")
        if filled:
            self.notes.append(f"«{routine.title}»: hentet fra dokumentet: {'; '.join(filled)}")
        missing = [key for key in FIELD_NAMES if key not in fields]
        if missing:
            self.todo[f"{routine.id}.md"] = (routine.title, missing)
        lines = [
            "---",
            f"id: {routine.id}",
            f"title: {yaml_scalar(routine.title)}",
            *([f"theme: {yaml_scalar(routine.theme)}"] if routine.theme else []),
            f"owner: {yaml_scalar(fields.get('owner', TODO))}",
            f"revised: {fields.get('revised', TODO)}",
            f"review_by: {fields.get('review_by', TODO)}{review_comment}",
        ]
        if legal:
            lines += ["legal:"] + [f"  - {yaml_scalar(entry)}" for entry in legal]
        else:
            lines.append(f"legal: {TODO}")
        if routine.tags:
            lines += ["tags:"] + [f"  - {yaml_scalar(tag)}" for tag in routine.tags]
        if self.source:
            lines.append(f"source: {yaml_scalar(self.source)}")
        lines.append("---")
        intro = routine.intro.markdown()
        if intro:
            lines += [intro, ""]
        for section in routine.sections:
            lines += [f"## {section.heading}", section.markdown(), ""]
        return "\n".join(lines).rstrip() + "\n"


def _legal_entries(refs: list[LegalRef]) -> list[str]:
    entries: list[str] = []
    for ref in refs:
        entry = ref.text
        if parse_ref(entry) != ref and ref.law.startswith("forskrift:"):
            entry = f"forskrift {ref.law.split(':', 1)[1]}"
        if entry not in entries:
            entries.append(entry)
    return entries


@functools.lru_cache(maxsize=4096)  # owners and legal references repeat in every routine
def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar: plain when YAML reads it back unchanged (or it is an ISO date,
    which the loader reads as text), else double-quoted."""
    if ISO_DATE.match(text):
        return text
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text} and "#" not in text:
            return text
    except yaml.YAMLError:
        pass
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def todo_notes(todo: dict[str, tuple[str, list[str]]]) -> list[str]:
    """A note for each routine file with fields left as TODO."""
    return [
        f"«{title}»: dokumentet sier ikke {_join([FIELD_NAMES[k] for k in keys])}; står som TODO "
        f"i {name} (rutinen er likevel med i søket)"
        for name, (title, keys) in todo.items()
    ]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " eller " + words[-1]


def import_docx(path: Path) -> ImportResult:
    """Read ``path`` and map it; :class:`~handbook.docx_source.DocxError` if it cannot be read."""
    builder = _Builder(open_docx(path), source=path.name)
    builder.run()
    return builder.result()
