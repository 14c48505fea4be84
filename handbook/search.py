"""Ranking, the confidence decision and the hits for a question.

Ranking is BM25F over the index (``weighting``, a parameter). The confidence decision is separate
from ranking: a hit is confident when it covers enough of what the question asks about (the
concepts' weights, rare words weighing most, a word the handbook does not know weighing the most)
and its score clears a floor. An out-of-scope question ("hva er lunsjmenyen i kantina") asks about
words the handbook does not contain, so its best hit covers little and is not confident.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from whoosh import scoring
from whoosh.index import Index

from handbook import proximity
from handbook.analysis import analyze_word, fold, stem
from handbook.confidence import Confidence, Signals, gather_signals
from handbook.examples import ExampleQuestions
from handbook.excerpt import pick_excerpt
from handbook.index import indexed_sections, routine_head
from handbook.model import INTRO_ANCHOR, Hit, Routine, SearchResult, Section
from handbook.query import FOLDED_FIELDS, TEXT_FIELDS, Plan, build_plan
from handbook.scoring import SCORED_FIELDS, Scored, TermScores, field_lengths, score_sections
from handbook.synonyms import SynonymIndex
from handbook.vocabulary import MIN_TYPO, Vocabulary

MAX_QUESTION_CHARS = 2000
SECTIONS_CONSIDERED = 60
# How much each further matching section adds to a routine's score (see rank_routines).
ROUTINE_SPREAD = 0.05
# How far a routine's introduction must lead its best ## section to be the section shown.
INTRO_LEAD = 0.15
# How much a question matching one of a routine's example questions raises its score.
EXAMPLE_BOOST = 1.5
# How much a routine's whole-routine match (each concept at its best in any of the routine's
# sections, see Searcher._whole_routine) adds to its score. Chosen on tests/eval/questions.yaml:
# 0.5 and 0.7 rank best there, on the shipped handbook and on an imported one alike.
WHOLE_ROUTINE = 0.5


def _frequencies(reader, field: str):
    for term, info in reader.iter_field(field):
        yield (term.decode("utf-8") if isinstance(term, bytes) else term), info.doc_frequency()


_WRITTEN_WORD = re.compile(rf"[^\W\d_]{{{MIN_TYPO},}}")


def written_words(routines: Iterable[Routine]) -> dict[str, tuple[str, int]]:
    """The words the handbook is written with, folded (what a typo is measured against), each
    with its folded stem and the number of sections it occurs in."""
    frequency: Counter[str] = Counter()
    for routine in routines:
        head = routine_head(routine).lower()
        common = set(_WRITTEN_WORD.findall(head))
        for section in indexed_sections(routine):
            text = f"{section.heading}\n{section.body}".lower()
            frequency.update(common.union(_WRITTEN_WORD.findall(text)))
    found: dict[str, tuple[str, int]] = {}
    for word, df in frequency.items():
        analyzed = analyze_word(word)
        if analyzed is not None:
            found.setdefault(fold(word), (analyzed[1], df))
    return found


def build_vocabulary(searcher, routines: Iterable[Routine] = ()) -> Vocabulary:
    reader = searcher.reader()
    stems: dict[str, int] = {}
    for field in TEXT_FIELDS:
        for text, df in _frequencies(reader, field):
            stems[text] = max(stems.get(text, 0), df)
    folded: dict[str, int] = {}
    for field in FOLDED_FIELDS:
        for text, df in _frequencies(reader, field):
            folded[text] = max(folded.get(text, 0), df)
    written = written_words(routines)
    return Vocabulary(stems, folded, reader.doc_count(), stem=stem, surface=written)


def rank_routines(
    sections: list[tuple[str, str, float]],
    spread: float,
    intro_lead: float = INTRO_LEAD,
    examples: dict[str, float] | None = None,
    whole: dict[str, float] | None = None,
) -> list[tuple]:
    """Routines best first, each with its best section: a routine scores its best section plus
    ``spread`` times each further matching section, so a routine that answers the question across
    several sections beats one that mentions a word once.

    The section shown is the best one, except that a routine's introduction gives way to its best
    ``##`` section unless it leads that by ``intro_lead``: a section that says what to do is the
    better answer when it matches about as well as the summary.

    ``whole`` (routine id → its whole-routine match) adds ``WHOLE_ROUTINE`` times that.
    ``examples`` (routine id → similarity to its closest example question, see
    :mod:`handbook.examples`) raises a routine's score by ``EXAMPLE_BOOST`` × similarity.
    """
    examples = examples or {}
    whole = whole or {}
    best: dict[str, float] = {}
    extra: dict[str, float] = {}
    shown: dict[str, str] = {}
    for routine_id, anchor, score in sections:  # best first
        if routine_id not in best:
            best[routine_id], extra[routine_id], shown[routine_id] = score, 0.0, anchor
            continue
        extra[routine_id] += spread * score
        if shown[routine_id] == INTRO_ANCHOR and score * (1 + intro_lead) >= best[routine_id]:
            shown[routine_id] = anchor
    ranked = [
        (
            rid,
            shown[rid],
            (score + extra[rid] + WHOLE_ROUTINE * whole.get(rid, 0.0))
            * (1 + EXAMPLE_BOOST * examples.get(rid, 0.0)),
        )
        for rid, score in best.items()
    ]
    return sorted(ranked, key=lambda item: -item[2])


def _hit(
    routine: Routine, section: Section, weights: dict[tuple[str, str], float], score: float
) -> Hit:
    """A section as a hit: its excerpt marks the ``weights``' terms (see :func:`pick_excerpt`)."""
    return Hit(
        routine_id=routine.id,
        title=routine.title,
        section=section.heading,
        section_anchor=section.anchor,
        excerpt=pick_excerpt(section.body, weights),
        score=score,
        legal=routine.legal,
        revised=routine.revised,
        missing=routine.missing,
    )


class Searcher:
    """Answers questions from one index generation; create a new one when the index changes."""

    def __init__(
        self,
        ix: Index,
        routines: dict[str, Routine],
        synonyms: SynonymIndex,
        confidence: Confidence | None = None,
        weighting: scoring.WeightingModel | None = None,
    ):
        self._searcher = ix.searcher(weighting=weighting or scoring.BM25F())
        self.routines = routines
        self.synonyms = synonyms
        self.confidence = confidence or Confidence()
        self.vocabulary = build_vocabulary(self._searcher, routines.values())
        self._lengths = field_lengths(self._searcher, SCORED_FIELDS)
        # docnum → (routine id, section anchor), read once per index generation.
        self._sections = {
            docnum: (fields["routine"], fields["anchor"])
            for docnum, fields in self._searcher.reader().iter_docs()
        }
        self._docnums = {key: docnum for docnum, key in self._sections.items()}
        self._words = proximity.SectionWords(self._section_text)
        self._term_scores: dict = {}  # see handbook.scoring.TermScores
        self._examples = ExampleQuestions({r.id: r.questions for r in routines.values()}, self.plan)

    def _section_text(self, docnum: int) -> str:
        routine_id, anchor = self._sections.get(docnum, ("", ""))
        routine = self.routines.get(routine_id)
        section = routine.section(anchor) if routine else None
        return f"{section.heading}\n{section.body}" if section else ""

    def close(self) -> None:
        self._searcher.close()

    def plan(self, question: str) -> Plan:
        return build_plan(question[:MAX_QUESTION_CHARS], self.vocabulary, self.synonyms)

    def search(self, question: str, k: int = 3) -> SearchResult:
        return self._answer(question, k)[0]

    def signals(self, question: str) -> Signals | None:
        """What the confidence decision saw for ``question`` (None when nothing matched): for
        calibrating it (bench/calibrate_confidence.py) and for ``--explain``."""
        return self._answer(question, 3)[1]

    def _answer(self, question: str, k: int) -> tuple[SearchResult, Signals | None]:
        question = question if isinstance(question, str) else ""
        plan = self.plan(question)
        if not plan.concepts:
            return SearchResult(question, False, ()), None
        scored = score_sections(
            self._searcher, plan, self._lengths, top=SECTIONS_CONSIDERED, cache=self._term_scores
        )
        sections, bonuses = self._rerank(plan, scored.sections)
        term_weights = plan.term_weights()
        found = [
            (*self._sections[docnum], score)
            for docnum, score in sections
            if docnum in self._sections  # not a deleted document's postings, if any
        ]
        examples = self._examples.similarity(plan)
        whole = self._whole_routine(scored, {routine_id for routine_id, _, _ in found})
        ranked = rank_routines(found, ROUTINE_SPREAD, examples=examples, whole=whole)
        ranked = [r for r in ranked if self._section(r[0], r[1]) is not None]
        hits: list[Hit] = []
        matches: list[set[tuple[str, str]]] = []
        for routine_id, anchor, score in ranked[: max(k, 2)]:
            matched = scored.matched(self._docnums[(routine_id, anchor)])
            matches.append(matched)
            if len(hits) < k:
                weights = {key: value for key, value in term_weights.items() if key in matched}
                section = self._section(routine_id, anchor)
                hits.append(_hit(self.routines[routine_id], section, weights, round(score, 3)))
        if not hits:
            return SearchResult(question, False, ()), None
        signals = gather_signals(
            plan,
            ranked,
            matches,
            examples,
            proximity=bonuses.get(self._docnums[ranked[0][:2]], 0.0),
            best_section_routine=self._sections[sections[0][0]][0],
        )
        value = self.confidence.probability(signals)
        confident = value >= self.confidence.threshold
        return SearchResult(question, confident, tuple(hits), round(value, 4)), signals

    def _whole_routine(self, scored: Scored, wanted: set[str]) -> dict[str, float]:
        """Each ``wanted`` routine's match as a whole: the sum over the question's concepts of
        what each adds in whichever of the routine's sections matches it best. A routine that
        answers one part of a question in one section and another part in the next (a Word
        handbook's subheadings, a long question) scores as one text would, where the best
        single section sees only one part."""
        total: dict[str, float] = dict.fromkeys(wanted, 0.0)
        for contributions in scored.concepts:
            best: dict[str, float] = {}
            for docnum, value in contributions.items():
                routine_id = self._sections.get(docnum, ("", ""))[0]
                if routine_id in total and value > best.get(routine_id, 0.0):
                    best[routine_id] = value
            for routine_id, value in best.items():
                total[routine_id] += value
        return total

    def _section(self, routine_id: str, anchor: str) -> Section | None:
        routine = self.routines.get(routine_id)
        return routine.section(anchor) if routine else None

    def section_hit(self, routine_id: str, anchor: str, question: str = "") -> Hit | None:
        """One section as the hit ``question`` would give (the same excerpt, the same words
        marked), whatever its rank; None if the routine or section is not in this index. For
        redrawing an answer card from a button press; ``score`` is 0."""
        routine = self.routines.get(routine_id)
        section = routine.section(anchor) if routine else None
        if section is None:
            return None
        weights: dict[tuple[str, str], float] = {}
        docnum = self._docnums.get((routine.id, section.anchor))
        if question and docnum is not None:
            plan = self.plan(question)
            terms = TermScores(
                self._searcher, self._searcher.weighting, self._lengths, self._term_scores
            )
            matched = Scored([], plan, terms).matched(docnum)
            weights = {k: v for k, v in plan.term_weights().items() if k in matched}
        return _hit(routine, section, weights, 0.0)

    def _rerank(
        self, plan: Plan, sections: list[tuple[int, float]]
    ) -> tuple[list[tuple[int, float]], dict[int, float]]:
        """The best sections with the proximity bonus added (see :mod:`handbook.proximity`),
        and each reranked section's bonus."""
        terms = proximity.concept_terms(plan)
        if sum(1 for stems, _ in terms if stems) < 2:
            return sections, {}
        bonuses = {
            docnum: proximity.bonus(terms, self._words.positions(docnum))
            for docnum, _ in sections[: proximity.RERANKED]
        }
        head = [
            (docnum, score + bonuses[docnum]) for docnum, score in sections[: proximity.RERANKED]
        ]
        reranked = sorted(head, key=lambda item: -item[1]) + sections[proximity.RERANKED :]
        return reranked, bonuses

    def explain(self, question: str) -> dict:
        """What the question became (for ``python -m handbook search --explain``)."""
        plan = self.plan(question)
        return {
            "concepts": [
                {
                    "text": c.text,
                    "weight": round(c.weight, 2),
                    "share": round(c.share, 2),
                    "alternatives": [
                        f"{a.kind}:{'+'.join(t for _, t in a.words)}" for a in c.alternatives
                    ],
                }
                for c in plan.concepts
            ]
        }
