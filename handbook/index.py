"""The on-disk Whoosh index: one document per routine section.

Each document remembers the file it came from and that file's content digest, so
:func:`sync_index` re-indexes only the files that changed (and drops the ones that are gone). A
change of schema or analyzer (``SCHEMA_VERSION``) rebuilds the index from scratch.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from handbook import legal
from handbook.analysis import folded_analyzer, norwegian_analyzer
from handbook.model import Routine, Section

SCHEMA_VERSION = 6
META_FILE = "rutinebot-index.json"
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
SKIPPED_SECTIONS = {"se også", "se ogsa", "relaterte rutiner"}


def schema() -> Schema:
    text, folded = norwegian_analyzer(), folded_analyzer()
    return Schema(
        key=ID(unique=True, stored=True),
        routine=ID(stored=True),
        anchor=STORED,
        path=ID(stored=True),
        digest=STORED,
        head=TEXT(analyzer=text),
        body=TEXT(analyzer=text),
        folded=TEXT(analyzer=folded),
        questions=TEXT(analyzer=text),
        questions_folded=TEXT(analyzer=folded),
        legal=KEYWORD(lowercase=False, commas=False),
        legal_text=KEYWORD(lowercase=False, commas=False),
    )


def plain_text(markdown: str) -> str:
    """Markdown as text: link targets, emphasis and list markers removed."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown)
    text = re.sub(r"[*_`>#|]+", " ", text)
    return re.sub(r"^\s*(?:[-+]|\d+[.)])\s+", "", text, flags=re.MULTILINE)


def digest(routine: Routine) -> str:
    return hashlib.sha1(repr(routine).encode("utf-8")).hexdigest()


def indexed_sections(routine: Routine) -> Iterator[Section]:
    """The sections of a routine that are searched: its introduction (:meth:`Routine.intro`)
    and all ``##`` sections but the "Se også" lists."""
    intro = routine.intro()
    if intro is not None:
        yield intro
    yield from (s for s in routine.sections if s.heading.strip().lower() not in SKIPPED_SECTIONS)


def routine_head(routine: Routine) -> str:
    """What every section of a routine carries in its ``head`` field besides its own heading."""
    return " ".join([routine.title, *routine.tags, *routine.synonyms])


def documents(routine: Routine, version: str) -> Iterable[dict]:
    """The index documents of one routine (``version``: its :func:`digest`), one per section
    of :func:`indexed_sections`; each carries the routine's example questions (``questions``)."""
    head_common = routine_head(routine)
    legal_tokens = " ".join(legal.token(ref) for ref in routine.legal)
    questions = "\n".join(routine.questions)
    for section in indexed_sections(routine):
        body = plain_text(section.body)
        head = f"{head_common} {section.heading}"
        found = " ".join(f.token for f in legal.find_refs(f"{section.heading}\n{body}"))
        yield {
            "key": f"{routine.id}#{section.anchor}",
            "routine": routine.id,
            "anchor": section.anchor,
            "path": str(routine.path),
            "digest": version,
            "head": head,
            "body": body,
            "folded": f"{head}\n{body}",
            "questions": questions,
            "questions_folded": questions,
            "legal": legal_tokens,
            "legal_text": found,
        }


def _meta_matches(directory: Path) -> bool:
    try:
        meta = json.loads((directory / META_FILE).read_text())
    except (OSError, ValueError):
        return False
    return meta.get("schema_version") == SCHEMA_VERSION


class _RamStorage(RamStorage):
    """Whoosh's in-memory storage with private scratch directories.

    Whoosh names a writer's scratch directory after the index (``/tmp/MAIN.tmp``), so two
    processes writing in-memory indexes at once delete each other's files; and it never removes
    the per-document writer's one. Ours are unique and removed after each commit.
    """

    def __init__(self):
        super().__init__()
        self._scratch: list[str] = []

    def temp_storage(self, name=None):
        storage = super().temp_storage(f"rutinebot-{uuid.uuid4().hex}-{name or 'tmp'}")
        self._scratch.append(storage.folder)
        return storage

    def remove_scratch(self) -> None:
        while self._scratch:
            shutil.rmtree(self._scratch.pop(), ignore_errors=True)


def open_index(directory: Path | None) -> windex.Index:
    """Open (or create) the index in ``directory``; ``None`` keeps it in memory (for tests)."""
    if directory is None:
        return _RamStorage().create_index(schema())
    directory.mkdir(parents=True, exist_ok=True)
    if windex.exists_in(str(directory)) and _meta_matches(directory):
        return windex.open_dir(str(directory))
    created = windex.create_in(str(directory), schema())
    (directory / META_FILE).write_text(json.dumps({"schema_version": SCHEMA_VERSION}))
    return created


def sync_index(ix: windex.Index, routines: Iterable[Routine]) -> int:
    """Make the index hold exactly ``routines``; returns how many routines were (re)indexed."""
    wanted = {str(r.path): (r, digest(r)) for r in routines}
    with ix.searcher() as searcher:
        indexed = {fields["path"]: fields["digest"] for fields in searcher.all_stored_fields()}
    stale = [
        path
        for path, version in indexed.items()
        if path not in wanted or version != wanted[path][1]
    ]
    fresh = [(r, version) for path, (r, version) in wanted.items() if indexed.get(path) != version]
    if not stale and not fresh:
        return 0
    writer = ix.writer()
    try:
        for path in stale:
            writer.delete_by_term("path", path)
        for routine, version in fresh:
            for document in documents(routine, version):
                writer.add_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    if isinstance(ix.storage, _RamStorage):
        ix.storage.remove_scratch()
    return len(fresh)
