"""Compounds written apart in a question: "sosial hjelp" is read as "sosialhjelp".

Norwegian writes a compound as one word, but people in a hurry write it in two ("sosial hjelp",
"saks behandler", "vedtak mal"). Two neighbouring words of the question are read as one when the
joined word, with or without the linking ``s`` or ``e`` Norwegian puts between parts, is a word
the handbook uses or a phrase of the synonym file; otherwise they stay two words. (A compound
typed whole that the handbook writes apart is the other direction: see ``Vocabulary.split``.)

>>> known = {"sosialhjelp", "saksbehandler"}.__contains__
>>> [u.text for u in join_split_compounds(units("sosial hjelp"), "sosial hjelp", lambda u: known(u.stem))]
['sosialhjelp']
>>> [u.text for u in join_split_compounds(units("sosial og hjelp"), "sosial og hjelp", lambda u: known(u.stem))]
['sosial', 'hjelp']
"""

from __future__ import annotations

import re
from collections.abc import Callable

from handbook.analysis import analyze_word
from handbook.units import Unit, units  # noqa: F401 (units: the doctest)

LINKS = ("", "s", "e")


_WORD = re.compile(r"[^\W_]+")
_APART = re.compile(r"[\s-]+")


def _neighbours(question: str) -> set[tuple[str, str]]:
    """Pairs of words that stand next to each other in ``question``, apart only by spaces or a
    hyphen (lowercased)."""
    found = [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(question)]
    return {
        (first, second)
        for (first, _, end), (second, start, _) in zip(found, found[1:], strict=False)
        if _APART.fullmatch(question, end, start)
    }


def _joined(first: Unit, second: Unit, known: Callable[[Unit], bool]) -> Unit | None:
    """The joined word, if known. The last part is the compound's head, inflected as the whole
    word is, so the joined stem must end in the second word's stem: "sosial hjelp" →
    "sosialhjelp", but not "ofte tas" → "oftestas", which the stemmer cuts to "oftest"."""
    for link in LINKS:
        word = first.text + link + second.text
        analyzed = analyze_word(word)
        if analyzed is None:
            continue
        joined = Unit(word, analyzed[1], stem=analyzed[0], folded=analyzed[1])
        if joined.folded.endswith(second.folded) and known(joined):
            return joined
    return None


def join_split_compounds(
    found: list[Unit],
    question: str,
    known: Callable[[Unit], bool],
    phrase: Callable[[Unit, Unit], bool] = lambda first, second: False,
) -> list[Unit]:
    """``found`` with each pair of neighbouring words joined as one when ``known`` recognises the
    joined word, unless the pair is a known ``phrase`` as written ("akutt hjelp")."""
    if len(found) < 2:
        return found
    neighbours = _neighbours(question)
    result: list[Unit] = []
    index = 0
    while index < len(found):
        first = found[index]
        if index + 1 < len(found):
            second = found[index + 1]
            words = first.ref is None and second.ref is None
            apart = (first.text.lower(), second.text.lower()) in neighbours
            if words and apart and not phrase(first, second):
                joined = _joined(first, second, known)
                if joined is not None:
                    result.append(joined)
                    index += 2
                    continue
        result.append(first)
        index += 1
    return result
