"""Scores sections for a query plan: BM25F per term from Whoosh, combined per concept.

Whoosh keeps the index, its statistics and the BM25F formula; this module reads each term's
postings once and combines them the way a question needs: within a concept only the best
alternative counts (plus a small tie-break for the others), so a concept with many synonyms does
not outweigh the rest of the question; an alternative of several words (a phrase, a compound's
parts) counts only where all its words are; the concepts add up. Doing this combination here
rather than in a tree of Whoosh query objects is several times faster (one postings read per
term) and tells us, per section, exactly which terms matched: what the confidence decision and
the excerpt need.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from handbook.query import FOLDED_FIELD, LEGAL_FIELDS, TEXT_FIELDS, Plan

FIELD_GROUPS: dict[str, dict[str, float]] = {
    "stem": TEXT_FIELDS,
    "folded": {FOLDED_FIELD: 1.0},
    "legal": LEGAL_FIELDS,
}


@dataclass
class SectionScore:
    docnum: int
    score: float = 0.0
    matched: set[tuple[str, str]] = field(default_factory=set)


class TermScores:
    """BM25F scores of each (group, term) per document, read from the postings once."""

    def __init__(self, searcher):
        self._searcher = searcher
        self._reader = searcher.reader()
        self._cache: dict[tuple[str, str], dict[int, float]] = {}

    def __call__(self, group: str, term: str) -> dict[int, float]:
        key = (group, term)
        if key not in self._cache:
            totals: dict[int, float] = defaultdict(float)
            for fieldname, weight in FIELD_GROUPS[group].items():
                if (fieldname, term) not in self._reader:
                    continue
                matcher = self._searcher.postings(fieldname, term)
                while matcher.is_active():
                    totals[matcher.id()] += weight * matcher.score()
                    matcher.next()
            self._cache[key] = dict(totals)
        return self._cache[key]


def score_sections(searcher, plan: Plan, tiebreak: float = 0.1) -> list[SectionScore]:
    """Every section that matches any concept of ``plan``, best first."""
    terms = TermScores(searcher)
    sections: dict[int, SectionScore] = {}
    for concept in plan.concepts:
        per_doc: dict[int, list[tuple[float, tuple]]] = defaultdict(list)
        for alt in concept.alternatives:
            postings = [terms(group, term) for group, term in alt.words]
            if not postings:
                continue
            common = set(postings[0]).intersection(*postings[1:])
            for docnum in common:
                score = alt.boost * sum(p[docnum] for p in postings)
                per_doc[docnum].append((score, alt.words))
        for docnum, scored in per_doc.items():
            scored.sort(key=lambda pair: -pair[0])
            section = sections.setdefault(docnum, SectionScore(docnum))
            section.score += scored[0][0] + tiebreak * sum(s for s, _ in scored[1:])
            for _, words in scored:
                section.matched.update(words)
    return sorted(sections.values(), key=lambda s: -s.score)
