"""Scores sections for a query plan: BM25F per term from Whoosh, combined per concept.

Whoosh keeps the index, its statistics and the BM25F formula; this module reads each term's
postings once and combines them the way a question needs: within a concept only the best
alternative counts (plus a small tie-break for the others), so a concept with many synonyms does
not outweigh the rest of the question; an alternative of several words (a phrase, a compound's
parts) counts only where all its words are; the concepts add up, each scaled by how common its
words are in everyday language (``Concept.share``, see :mod:`handbook.everyday`). Doing this
combination here rather than in a tree of Whoosh query objects is several times faster (one
postings read per term) and tells us, per section, exactly which terms matched: what the
confidence decision and the excerpt need.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass

from whoosh.scoring import BM25F

from handbook.query import FOLDED_FIELDS, LEGAL_FIELDS, TEXT_FIELDS, Plan

SCORED_FIELDS = (*TEXT_FIELDS, *FOLDED_FIELDS)
COMMON_SHARE = 0.1
COMMON_MIN = 500
SATURATION = 6.0
CACHED_TERMS = 4096  # (group, term) score tables kept per searcher

FIELD_GROUPS: dict[str, dict[str, float]] = {
    "stem": TEXT_FIELDS,
    "folded": FOLDED_FIELDS,
    "legal": LEGAL_FIELDS,
}


@dataclass(frozen=True)
class Scored:
    """The best sections for a plan, best first, as (docnum, score); ``matched`` tells which of
    the plan's terms a section holds (asked only for the few sections that become hits)."""

    sections: list[tuple[int, float]]
    plan: Plan
    terms: TermScores
    # per concept of the plan: docnum → what the concept adds to that section's score
    concepts: tuple[dict[int, float], ...] = ()

    def matched(self, docnum: int) -> set[tuple[str, str]]:
        """The words of every alternative that matched in this section (all its words present)."""
        found: set[tuple[str, str]] = set()
        for concept in self.plan.concepts:
            for alt in concept.alternatives:
                if all(docnum in self.terms(group, term) for group, term in alt.words):
                    found.update(alt.words)
        return found


class TermScores:
    """BM25F scores of each (group, term) per section, read from the postings once.

    The formula and its statistics are Whoosh's (``whoosh.scoring.bm25``, the searcher's idf and
    average field lengths); the loop over postings is ours, reading each posting's frequency
    without decoding its value, several times cheaper than a scoring matcher per posting. Terms in more than
    ``COMMON_SHARE`` of the sections of a large handbook are skipped, as Lucene's cutoff
    frequency does: they carry little information and most of the cost.
    """

    def __init__(
        self,
        searcher,
        model: BM25F,
        lengths: dict[str, list[int]],
        cache: dict[tuple[str, str], dict[int, float]] | None = None,
    ):
        self._searcher = searcher
        self._model = model
        self._lengths = lengths
        self._documents = searcher.doc_count_all()
        self._common = max(COMMON_MIN, int(COMMON_SHARE * self._documents))
        self._segments = [(searcher, 0)] if searcher.is_atomic() else list(searcher.subsearchers)
        # Scores depend only on the index generation: a cache shared by every question asked
        # of one searcher (see score_sections) skips Whoosh for words asked about before.
        self._cache = {} if cache is None else cache

    def _field(self, fieldname: str, term: str, weight: float, totals: dict[int, float]) -> None:
        df = self._searcher.doc_frequency(fieldname, term)
        if df == 0 or df > self._common:
            return
        idf = self._searcher.idf(fieldname, term) * weight
        lengths = self._lengths.get(fieldname)
        average = self._searcher.avg_field_length(fieldname, 1.0) or 1.0
        k1, b = self._model.K1, self._model.B
        for segment, offset in self._segments:
            reader = segment.reader()
            if (fieldname, term) not in reader:
                continue
            matcher = reader.postings(fieldname, term)
            is_active, ident, frequency, advance = (
                matcher.is_active,
                matcher.id,
                matcher.weight,
                matcher.next,
            )
            while is_active():
                docnum = ident() + offset
                if lengths is None:  # keyword fields: present or not
                    totals[docnum] += idf
                else:
                    tf = frequency()
                    norm = k1 * ((1 - b) + b * lengths[docnum] / average)
                    totals[docnum] += idf * tf * (k1 + 1) / (tf + norm)
                advance()

    def __call__(self, group: str, term: str) -> dict[int, float]:
        key = (group, term)
        found = self._cache.get(key)
        if found is None:
            totals: dict[int, float] = defaultdict(float)
            for fieldname, weight in FIELD_GROUPS[group].items():
                self._field(fieldname, term, weight, totals)
            found = dict(totals)
            if len(self._cache) >= CACHED_TERMS:
                self._cache.clear()  # simple and thread-safe; refills with what is asked now
            self._cache[key] = found
        return found


def field_lengths(searcher, fields) -> dict[str, list[int]]:
    """Each section's length in each scored field, read once per index generation."""
    count = searcher.doc_count_all()
    return {f: [searcher.doc_field_length(d, f, 0) for d in range(count)] for f in fields}


def score_sections(
    searcher,
    plan: Plan,
    lengths: dict[str, list[int]],
    tiebreak: float = 0.1,
    top: int = 60,
    cache: dict | None = None,
) -> Scored:
    """The ``top`` sections that match ``plan`` best; ``cache`` (one dict per searcher) keeps
    term scores between questions."""
    terms = TermScores(searcher, searcher.weighting, lengths, cache)
    totals: dict[int, float] = defaultdict(float)
    contributions: list[dict[int, float]] = []
    for concept in plan.concepts:
        best: dict[int, float] = {}
        summed: dict[int, float] = defaultdict(float)
        for alt in concept.alternatives:
            for docnum, score in _alternative_scores(terms, alt.words, alt.boost):
                summed[docnum] += score
                if score > best.get(docnum, 0.0):
                    best[docnum] = score
        added: dict[int, float] = {}
        for docnum, score in best.items():
            contribution = concept.share * _saturate(score + tiebreak * (summed[docnum] - score))
            totals[docnum] += contribution
            added[docnum] = contribution
        contributions.append(added)
    best_sections = heapq.nlargest(top, totals.items(), key=lambda item: item[1])
    return Scored(best_sections, plan, terms, tuple(contributions))


def _saturate(score: float) -> float:
    """A concept's contribution levels off (``s / (1 + s / K)``): a section that matches more of
    the question beats one that matches a single word very strongly."""
    return score / (1.0 + score / SATURATION)


def _alternative_scores(terms: TermScores, words, boost: float):
    postings = [terms(group, term) for group, term in words]
    if len(postings) == 1:
        return ((d, boost * s) for d, s in postings[0].items())
    first, rest = postings[0], postings[1:]
    return (
        (d, boost * (s + sum(p[d] for p in rest)))
        for d, s in first.items()
        if all(d in p for p in rest)
    )
