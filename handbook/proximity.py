"""A bonus for sections where words that stand together in the question stand together too.

BM25F sees a section as a bag of words: "legg til grunn inntekta" matches a section that says
"legges" in one sentence and "grunnlag" in another as well as one that says "Legg til grunn
brukerens inntekt". After the bag-of-words ranking, the best few sections are re-scored: each
pair of neighbouring concepts of the question (stop words skipped on both sides) that also occur
within ``WINDOW`` words of each other in the section adds ``SHARE`` of the lighter concept's
weight. The section's words are analysed once per index generation (:class:`SectionWords`).
"""

from __future__ import annotations

from collections.abc import Callable

from handbook.analysis import norwegian_analyzer
from handbook.query import Plan

WINDOW = 2
SHARE = 1.0
RERANKED = 20
_SINGLE_WORD_KINDS = ("exact", "synonym", "particle-verb", "derived")


class SectionWords:
    """Each section's stems in order (stop words removed), analysed on first use."""

    def __init__(self, text_of: Callable[[int], str]):
        self._text_of = text_of
        self._analyzer = norwegian_analyzer()
        self._cache: dict[int, dict[str, list[int]]] = {}

    def positions(self, docnum: int) -> dict[str, list[int]]:
        found = self._cache.get(docnum)
        if found is None:
            found = {}
            tokens = self._analyzer(self._text_of(docnum), positions=True)
            for index, token in enumerate(tokens):
                found.setdefault(token.text, []).append(index)
            self._cache[docnum] = found
        return found


def concept_terms(plan: Plan) -> list[tuple[frozenset[str], float]]:
    """Per concept (in question order): the stems a single-word alternative matches, and its weight."""
    terms = []
    for concept in plan.concepts:
        stems = frozenset(
            term
            for alt in concept.alternatives
            if alt.kind in _SINGLE_WORD_KINDS and len(alt.words) == 1
            for group, term in alt.words
            if group == "stem"
        )
        terms.append((stems, concept.weight))
    return terms


def bonus(terms: list[tuple[frozenset[str], float]], positions: dict[str, list[int]]) -> float:
    total = 0.0
    for (left, left_weight), (right, right_weight) in zip(terms, terms[1:], strict=False):
        if not left or not right or left & right:
            continue
        lefts = [p for t in left for p in positions.get(t, ())]
        rights = [p for t in right for p in positions.get(t, ())]
        if any(0 < abs(r - q) <= WINDOW for q in lefts for r in rights):
            total += SHARE * min(left_weight, right_weight)
    return total
