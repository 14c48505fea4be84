"""Example questions for an imported handbook, lent from Rutinebot's own routines.

A Word handbook has no example questions (front matter ``sporsmal``, see
:mod:`handbook.examples`), and they are what lets a question in a caseworker's own words find a
routine written in other words. The shipped handbook's routines carry a few each. Nav offices'
handbooks cover largely the same ground (the services of sosialtjenesteloven, the rules of
forvaltningsloven), so at import each of the document's routines is matched to the shipped
routine on the same topic, when there is one, and gets a copy of its example questions, marked
where they came from (a comment on the ``sporsmal:`` line and a note in the import summary), for
the maintainer to keep, edit or delete.

A routine's counterpart is what the shipped handbook answers when searched with the routine's
title and section headings (:func:`profile`), taken only when that answer's calibrated
confidence (:mod:`handbook.confidence`) is at least :data:`MIN_CONFIDENCE` and the two routines'
names share a word (:func:`shares_a_title_word`): «Tolk», with the heading «Bestilling», finds
the shipped kartleggingssamtale (the one routine that mentions interpreters) at 0.99, which says
nothing about its topic. A shipped routine lends to one imported routine at most, the one that
found it with the highest confidence. On the independently written handbook of
tests/other_office.py, all 17 routines find their own topic, at 0.987 or more, and share a word
with it; titles of topics the shipped handbook lacks («Parkering for ansatte», «Bostøtte fra
Husbanken», «Startlån», with two headings each) score 0.70 or less.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handbook.analysis import analyze_word, words
from handbook.everyday import zipf
from handbook.example_edit import EditError, add_to_list
from handbook.loader import parse_routine, split_front_matter
from handbook.model import Routine
from handbook.service import Handbook

MAX_PROFILE_CHARS = 400
MIN_CONFIDENCE = 0.95
# What a counterpart lends: front-matter key → the Routine attribute that holds it.
ATTRIBUTE = {"sporsmal": "questions", "tags": "tags", "synonyms": "synonyms"}
LENT_FIELDS = tuple(ATTRIBUTE)
NAMES = {"sporsmal": "eksempelspørsmål", "tags": "stikkord", "synonyms": "synonymer"}


@dataclass(frozen=True)
class Lent:
    """The example questions one imported file got, and from which shipped routine."""

    file: str
    title: str
    source: Routine
    added: dict[str, int]  # front-matter key → how many were added

    def note(self) -> str:
        what = ", ".join(f"{n} {NAMES[key]} ({key})" for key, n in self.added.items() if n)
        return (
            f"«{self.title}»: {what} lånt fra Rutinebots rutine «{self.source.title}»; "
            "se over at de passer for dere"
        )


def origin_comment(source: Routine) -> str:
    return f"  # lånt fra Rutinebots rutine «{source.title}»; rediger eller slett fritt"


def profile(routine: Routine) -> str:
    """What a routine is about, as a search for its counterpart: its title and headings."""
    words = " ".join([routine.title, *(section.heading for section in routine.sections)])
    return words[:MAX_PROFILE_CHARS]


def lend(
    files: dict[str, str], reference: Handbook, fields: tuple[str, ...] = LENT_FIELDS
) -> tuple[dict[str, str], list[Lent]]:
    """``files`` (name → routine file text, as the import wrote them) with the ``fields`` of
    each routine's counterpart in ``reference`` added, where it has a clear one."""
    best: dict[str, tuple[float, str, Routine]] = {}  # reference id → (confidence, file, routine)
    for name, text in files.items():
        if not name.endswith(".md") or name.startswith("_"):
            continue
        parsed, _ = parse_routine(Path(name), text)
        if parsed is None:
            continue
        query = profile(parsed.routine)
        result = reference.search(query, k=1)
        if not result.hits or result.confidence < MIN_CONFIDENCE:
            continue
        reference_id = result.hits[0].routine_id
        if not shares_a_title_word(parsed.routine, reference.routine(reference_id)):
            continue
        found = (result.confidence, name, parsed.routine)
        if reference_id not in best or found[0] > best[reference_id][0]:
            best[reference_id] = found
    changed = dict(files)
    lent: list[Lent] = []
    for reference_id, (_, name, routine) in best.items():
        source = reference.routine(reference_id)
        if source is None:
            continue
        text, added = changed[name], {}
        for key in fields:
            text, added[key] = _add_all(text, key, getattr(source, ATTRIBUTE[key]), source)
        if any(added.values()):
            changed[name] = text
            lent.append(Lent(name, routine.title, source, added))
    return changed, sorted(lent, key=lambda item: item.file)


MIN_PART = 4  # a shorter stem starting a compound is too often chance («sak» in «saksbehandling»)
# Words this common in everyday bokmål (Zipf, see handbook.everyday) say nothing of a topic
# («bruker», «bruk», «kommer»); «kontakt», «barna» and «sak» are below it.
EVERYDAY_ZIPF = 5.5


def _stems(text: str) -> set[str]:
    found = (analyze_word(word) for word, _, _ in words(text) if zipf(word) < EVERYDAY_ZIPF)
    return {analyzed[1] for analyzed in found if analyzed is not None}


def shares_a_title_word(routine: Routine, source: Routine | None) -> bool:
    """Whether a word of ``routine``'s title is a word of ``source``'s title, tags or synonyms
    (what the shipped routine is called), or the first part of one of them or they of it (only
    the first: «ring» ends «parkering»). «Barna skal synes i vedtaket» and «Barneperspektivet i
    vedtaket» share «vedtak»; «Slik kommer brukerne i kontakt med oss» meets the tag «Nav
    kontaktsenter»; «Tolk» shares nothing with «Kartleggingssamtale og referat», though that is
    the one shipped routine about interpreters."""
    if source is None:
        return False
    names = _stems(" ".join([source.title, *source.tags, *source.synonyms]))
    for stem in _stems(routine.title):
        for name in names:
            short, long = sorted((stem, name), key=len)
            if short == long or len(short) >= MIN_PART and long.startswith(short):
                return True
    return False


def _has_key(text: str, key: str) -> bool:
    split = split_front_matter(text)
    return split is not None and any(line.startswith(f"{key}:") for line in split[0])


def _add_all(text: str, key: str, items, source: Routine) -> tuple[str, int]:
    """``text`` with each of ``items`` added to its ``key`` list, the list's line marked with
    where they came from; and how many were added."""
    had_list = _has_key(text, key)
    added = 0
    for item in items:
        try:
            text = add_to_list(text, key, str(item))
        except EditError:
            continue  # already there
        added += 1
    if not added or had_list:  # a list the document filled is not marked as lent
        return text, added
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if line.rstrip() == f"{key}:":
            lines[number] = f"{key}:{origin_comment(source)}"
            break
    return "\n".join(lines), added
