"""A question (or a synonym phrase) as a sequence of units: words and legal references.

Both sides of synonym matching go through this one function, so ``sosialhjelp`` in the synonym
file and ``sosialhjelpa`` in a nynorsk question meet on the same folded stem.

>>> [u.key for u in units("Nødhjelp etter stl. § 17?")]
['nodhjelp', 'stl§17']
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook import legal
from handbook.analysis import analyze_word, hyphen_parts, words
from handbook.model import LegalRef

MAX_UNITS = 60


@dataclass(frozen=True)
class Unit:
    """A word (``stem``/``folded`` set) or a legal reference (``ref`` set), as typed (``text``)."""

    text: str
    key: str
    stem: str = ""
    folded: str = ""
    ref: LegalRef | None = None


def _add_word(spans: list[tuple[int, Unit]], word: str, start: int) -> None:
    if word.isdigit() and len(word) < 2:
        return
    analyzed = analyze_word(word)
    if analyzed is not None:
        stem, folded = analyzed
        spans.append((start, Unit(word, folded, stem=stem, folded=folded)))


def units(text: str, limit: int = MAX_UNITS) -> list[Unit]:
    """The content units of ``text`` in order; stop words and one-digit numbers are dropped."""
    found = legal.find_refs(text)
    spans: list[tuple[int, Unit]] = [
        (ref.start, Unit(text[ref.start : ref.end], ref.token, ref=ref.ref)) for ref in found
    ]
    taken = [(ref.start, ref.end) for ref in found]
    for whole, whole_start, _end in words(text):
        if any(s <= whole_start < e for s, e in taken):
            continue
        for offset, word in hyphen_parts(whole):
            _add_word(spans, word, whole_start + offset)
    spans.sort(key=lambda pair: pair[0])
    result: list[Unit] = []
    seen: set[str] = set()
    for _, unit in spans:
        if unit.key in seen:
            continue
        seen.add(unit.key)
        result.append(unit)
        if len(result) >= limit:
            break
    return result
