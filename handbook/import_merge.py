"""Re-import: a changed Word handbook updates its routines without losing what people added.

``python -m handbook import FILE.docx --out DIR --update`` imports the document again and merges
the result into the routine files already in ``DIR`` (:func:`merge`). The rules, per routine
(matched by id, else by title, so a maintainer may rename the file and its id):

- The text (introduction and sections) comes from the document: Word is where the office
  writes its routines.
- ``owner``, ``revised``, ``review_by``: the document's value where it states one; where it
  does not (``TODO``), the value a maintainer has filled in. A ``review_by`` the import only
  derived (revision + 1 year) gives way to the maintainer's while the revision date is the
  same. Each change of a filled-in value is named in the notes.
- ``legal``: the document's references, then every reference a maintainer added.
- ``tags``: the document's (``Stikkord:`` lines), then every one already in the file.
- Every other field (``theme``, ``synonyms``, ``sporsmal``, …) is the maintainer's. (What the
  shipped counterpart lends, :mod:`handbook.counterpart`, is lent to new routines only, so
  what a maintainer deleted does not come back.)
- A routine file that came from this document (``source:``) and is no longer in it is removed
  and named in the notes; files the import did not make (hand-written routines, the synonym
  file, a README) are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.docx_import import DERIVED_REVIEW, FIELD_NAMES, TODO, yaml_scalar
from handbook.loader import _Loader, routine_files, split_front_matter

DOCUMENT_FIELDS = ("owner", "revised", "review_by", "legal")


@dataclass
class _File:
    """A routine file split into its front matter (as read, dates as text) and its body."""

    name: str
    data: dict
    comments: dict[str, str]  # key → the comment after its value ("  # revidert + 1 år")
    body: str

    @classmethod
    def parse(cls, name: str, text: str) -> _File | None:
        split = split_front_matter(text)
        if split is None:
            return None
        front, body, _ = split
        try:
            data = yaml.load("\n".join(front), Loader=_Loader)
        except yaml.YAMLError:
            return None
        if not isinstance(data, dict):
            return None
        comments = {}
        for line in front:
            key, _, rest = line.partition(":")
            if "  # " in rest and not line.startswith(" "):
                comments[key.strip()] = "  # " + rest.split("  # ", 1)[1]
        return cls(name, data, comments, "\n".join(body))

    def value(self, key: str):
        value = self.data.get(key)
        return None if value in (None, "", [], TODO, [TODO]) else value

    def render(self) -> str:
        lines = ["---"]
        for key, value in self.data.items():
            comment = self.comments.get(key, "")
            if isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
                lines += [f"{key}:{comment}"] + [f"  - {yaml_scalar(v)}" for v in value]
            elif isinstance(value, str):
                lines.append(f"{key}: {yaml_scalar(value)}{comment}")
            else:
                dumped = yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False)
                lines.append(dumped.rstrip())
        return "\n".join(lines + ["---", self.body.rstrip()]).rstrip() + "\n"


@dataclass(frozen=True)
class Merged:
    files: dict[str, str]  # to write
    removed: list[str]  # file names to remove
    notes: list[str]  # what was kept, changed, added or removed
    todo: dict[str, tuple[str, list[str]]]  # file → (title, fields still TODO after the merge)
    added: list[str]  # routine files new with this import (not in the directory before)


def merge(new_files: dict[str, str], out: Path, source: str) -> Merged:
    """A fresh import (:func:`handbook.docx_import.import_docx`) of the document named
    ``source``, merged with ``out``: the directory with the earlier import and people's edits."""
    old: dict[str, _File] = {}
    for path in routine_files(out):
        parsed = _File.parse(path.name, path.read_text(encoding="utf-8"))
        if parsed is not None and path.parent == out:
            old[path.name] = parsed
    by_title = {str(f.data.get("title", "")).strip().lower(): f for f in old.values()}
    files: dict[str, str] = {}
    notes: list[str] = []
    todo: dict[str, tuple[str, list[str]]] = {}
    matched: set[str] = set()
    added: list[str] = []
    for name, text in new_files.items():
        new = _File.parse(name, text)
        if new is None:  # the preface: not a routine
            files[name] = text
            continue
        title = str(new.data.get("title", ""))
        previous = old.get(name) or by_title.get(title.strip().lower())
        if previous is None or previous.name in matched:
            files[name] = text
            added.append(name)
            still = [key for key in DOCUMENT_FIELDS if new.value(key) is None]
            if still:
                todo[name] = (title, still)
            if old:
                notes.append(f"«{title}»: ny rutine, skrevet til {name}")
            continue
        matched.add(previous.name)
        merged = _merged(new, previous, notes)
        files[previous.name] = merged.render()
        still = [key for key in DOCUMENT_FIELDS if merged.value(key) is None]
        if still:
            todo[previous.name] = (title, still)
    removed = [
        name
        for name, f in old.items()
        if name not in matched and f.data.get("source") == source and name not in files
    ]
    for name in removed:
        notes.append(
            f"«{old[name].data.get('title', name)}» ({name}) finnes ikke lenger i dokumentet "
            "og er fjernet"
        )
    return Merged(files, removed, notes, todo, added)


def _merged(new: _File, old: _File, notes: list[str]) -> _File:
    title = new.data.get("title")
    data = dict(new.data)
    data["id"] = old.data.get("id", new.data.get("id"))
    comments = dict(new.comments)
    kept = []
    for key in DOCUMENT_FIELDS:
        mine, theirs = new.value(key), old.value(key)
        label = FIELD_NAMES[key]
        if theirs is None:
            continue
        if key == "legal":
            theirs = [theirs] if isinstance(theirs, str) else list(theirs)
            mine = [mine] if isinstance(mine, str) else list(mine or [])
            added = [ref for ref in theirs if ref not in mine]
            if added:
                data[key] = mine + added
                kept.append(f"{label} {', '.join(added)}")
            continue
        derived = key == "review_by" and DERIVED_REVIEW in new.comments.get(key, "")
        same_revision = new.value("revised") == old.value("revised")
        if mine is None or (derived and same_revision):
            data[key] = theirs
            comments[key] = old.comments.get(key, "")
            if mine != theirs:
                kept.append(f"{label} {theirs}")
        elif mine != theirs:
            notes.append(f"«{title}»: {label} var «{theirs}» i fila, er nå «{mine}» fra dokumentet")
    if kept:
        notes.append(f"«{title}»: beholdt fra fila: {'; '.join(kept)}")
    for key, value in old.data.items():
        if key == "tags" and isinstance(value, list) and isinstance(data.get(key), list):
            data[key] = data[key] + [tag for tag in value if tag not in data[key]]
        elif key not in DOCUMENT_FIELDS and key not in ("id", "title", "source"):
            data[key] = value
            if key in old.comments:
                comments[key] = old.comments[key]
    return _File(old.name, data, comments, new.body)
