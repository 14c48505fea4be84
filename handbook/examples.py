"""How close a question is to each routine's own example questions (front matter ``sporsmal``).

A question worded like one of a routine's example questions is strong evidence for that routine,
whatever its sections say. Each example question is kept as the terms the index would hold for it
(stems, folded stems, legal references) and as a query plan of its own, so the match runs both
ways: how much of the question the example covers, and how much of the example the question
covers. The similarity is their product, so neither a one-word question ("vedtak") nor a long
question that happens to contain a short example scores high by itself.

>>> from handbook.synonyms import SynonymIndex
>>> from handbook.vocabulary import Vocabulary
>>> from handbook.query import build_plan
>>> vocab = Vocabulary({"klagefrist": 1, "klag": 2}, {"klagefrist": 1, "klag": 2}, 4)
>>> plan = lambda text: build_plan(text, vocab, SynonymIndex([]))
>>> examples = ExampleQuestions({"klage": ("hva er klagefristen",)}, plan)
>>> round(examples.similarity(plan("klagefristen?"))["klage"], 2)
1.0
>>> examples.similarity(plan("lunsj i kantina"))
{}
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from handbook import legal
from handbook.analysis import folded_analyzer, norwegian_analyzer
from handbook.query import Plan, coverage

Terms = frozenset[tuple[str, str]]


class ExampleQuestions:
    """The example questions of every routine, ready to be compared with a question."""

    def __init__(self, questions: Mapping[str, tuple[str, ...]], plan: Callable[[str], Plan]):
        self._text, self._folded = norwegian_analyzer(), folded_analyzer()
        self._examples: list[tuple[str, Terms, Plan]] = []
        self._by_term: dict[tuple[str, str], list[int]] = defaultdict(list)
        for routine_id, texts in questions.items():
            for text in texts:
                terms = self.terms(text)
                for term in terms:
                    self._by_term[term].append(len(self._examples))
                self._examples.append((routine_id, terms, plan(text)))

    def __len__(self) -> int:
        return len(self._examples)

    def terms(self, text: str) -> Terms:
        """What the index holds for ``text``: its stems, folded stems and legal references."""
        return frozenset(
            [("stem", t.text) for t in self._text(text)]
            + [("folded", t.text) for t in self._folded(text)]
            + [("legal", found.token) for found in legal.find_refs(text)]
        )

    def similarity(self, plan: Plan) -> dict[str, float]:
        """Per routine, how close ``plan``'s question is to its closest example question (0–1);
        routines with no example sharing a term with the question are left out."""
        words = {
            word for concept in plan.concepts for alt in concept.alternatives for word in alt.words
        }
        candidates = {index for word in words for index in self._by_term.get(word, ())}
        if not candidates:
            return {}
        forwards = sorted(
            ((coverage(plan, self._examples[index][1]), index) for index in candidates),
            reverse=True,
        )
        asked: Terms | None = None  # the question's own terms, analysed only when needed
        best: dict[str, float] = {}
        for forward, index in forwards:
            routine_id, _, example = self._examples[index]
            # The backward coverage is at most 1, so an example whose forward coverage does not
            # beat its routine's best so far cannot either.
            if forward <= best.get(routine_id, 0.0):
                continue
            if asked is None:
                asked = self.terms(plan.question)
            value = forward * coverage(example, asked)
            if value > best.get(routine_id, 0.0):
                best[routine_id] = value
        return best
