"""Turns a question into a query plan: concepts, each with weighted alternatives.

Nothing a user types is query syntax: the question is analysed into units (``handbook.units``),
never parsed, so quotes, ``AND``, ``*`` and brackets are just characters.

A *concept* is one thing the question asks about: a word, a synonym phrase, or a legal reference.
Its *alternatives* are the ways a section can match it (the exact stem, the folded spelling, a
synonym, the parts of a compound, the compounds containing it, a near spelling and that
spelling's synonyms), each with a boost for ranking and a credit for the confidence decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook import everyday
from handbook.analysis import fold
from handbook.compounds import join_split_compounds
from handbook.synonyms import SynonymIndex
from handbook.units import Unit, units
from handbook.vocabulary import Vocabulary

# Index fields (see handbook.index) and the weight of each in the ranking. ``questions`` holds
# the routine's example questions (front matter ``sporsmal``) on each of its sections.
QUESTION_WEIGHT = 0.3
TEXT_FIELDS = {"body": 1.0, "head": 1.5, "questions": QUESTION_WEIGHT}
FOLDED_FIELD = "folded"
FOLDED_FIELDS = {FOLDED_FIELD: 1.0, "questions_folded": QUESTION_WEIGHT}
LEGAL_FIELDS = {"legal": 3.0, "legal_text": 1.5}
NEAR_LIMIT = 3  # near spellings tried for a word the handbook does not have


@dataclass(frozen=True)
class Alternative:
    """A way to match a concept: all of ``words`` (folded or stemmed terms) must be present."""

    kind: str
    words: tuple[tuple[str, str], ...]  # (field group, term): group is "stem", "folded" or "legal"
    boost: float
    credit: float


@dataclass(frozen=True)
class Concept:
    """``weight`` is what the concept counts for in the confidence decision (its IDF in the
    handbook); ``share`` scales its score in the ranking by how common its words are in everyday
    language (:func:`handbook.everyday.share`)."""

    text: str
    weight: float
    alternatives: tuple[Alternative, ...]
    share: float = 1.0


@dataclass(frozen=True)
class Plan:
    question: str
    concepts: tuple[Concept, ...]

    def term_weights(self) -> dict[tuple[str, str], float]:
        """Every term the query may match, with the most its concept gives it."""
        weights: dict[tuple[str, str], float] = {}
        for concept in self.concepts:
            for alt in concept.alternatives:
                for word in alt.words:
                    value = concept.weight * alt.credit
                    weights[word] = max(weights.get(word, 0.0), value)
        return weights


def _word_alternatives(unit: Unit, vocab: Vocabulary, synonyms: SynonymIndex) -> list[Alternative]:
    alternatives: list[Alternative] = []
    exact = unit.stem in vocab.stems
    if exact:
        alternatives.append(Alternative("exact", (("stem", unit.stem),), 1.0, 1.0))
    if unit.folded in vocab.folded and not exact:
        alternatives.append(Alternative("folded", (("folded", unit.folded),), 0.5, 1.0))
    parts = vocab.split(unit.stem)
    if parts:
        words = tuple(("stem", part) for part in parts)
        alternatives.append(Alternative("compound-parts", words, 0.3 if exact else 0.6, 0.7))
    if len(unit.stem) >= 4:
        for compound in vocab.compounds_with(unit.stem, limit=6):
            alternatives.append(Alternative("in-compound", (("stem", compound),), 0.4, 0.8))
    for derived in _derived(unit.stem, vocab):
        alternatives.append(Alternative("derived", (("stem", derived),), 0.7, 0.9))
    if unit.joined:
        for joined in (unit.joined, *_derived(unit.joined, vocab)):
            if joined in vocab.stems:
                alternatives.append(Alternative("particle-verb", (("stem", joined),), 0.9, 1.0))
    if not any(alt.kind in ("exact", "folded") for alt in alternatives):
        # near the word as written first, then near its stem (see Vocabulary.near_written)
        written = vocab.near_written(fold(unit.text))
        nears = list(dict.fromkeys((*written, *vocab.near(unit.folded))))[:NEAR_LIMIT]
        for near in nears:
            alternatives.append(Alternative("near", (("folded", near),), 1.0, 0.8))
        alternatives += _near_synonyms(nears, vocab, synonyms)
    return alternatives


def _near_synonyms(
    nears: list[str], vocab: Vocabulary, synonyms: SynonymIndex
) -> list[Alternative]:
    """The other phrases of the synonym groups of near spellings that are one-word phrases
    ("klagfrist" ~ "klagefrist" ~ "klage på vedtak"), for a word that is no phrase itself (its
    span matched none). Each is worth the near spelling (credit 0.8) scaled as another phrase of
    a group is (boost 0.8); like the near spelling, none counts in the concept's weight."""
    found: dict[tuple[tuple[str, str], ...], Alternative] = {}
    for near in nears:
        for phrase in synonyms.group(near):
            if len(phrase) == 1 and phrase[0].key in nears:
                continue  # a near spelling itself, already an alternative
            alt = _phrase_alternative(phrase, vocab, 0.8)
            if alt and alt.words not in found:
                found[alt.words] = Alternative("near-synonym", alt.words, 0.8, 0.8)
    return list(found.values())


def _derived(stem: str, vocab: Vocabulary) -> tuple[str, ...]:
    """Other forms of the same verb that the handbook has (Snowball leaves them whole, so they
    never share a stem by themselves):

    - the verb and its -ing noun: "kartlegg" ~ "kartlegging";
    - the verb and its -asjon noun: "dokumenter(e)" ~ "dokumentasjon";
    - the verb and its past participle in -t, a double consonant written single before the t:
      "journalfør(e)" ~ "journalført", "godkjenn(e)" ~ "godkjent", "innkall(e)" ~ "innkalt".
    """
    return tuple(
        form for form in dict.fromkeys(_forms(stem)) if form != stem and form in vocab.stems
    )


_MIN_VERB = 4  # shorter verb stems meet too many unrelated words ("sat" of "sats" ~ "satt")
_VOWELS = frozenset("aeiouyæøå")


def _forms(stem: str) -> list[str]:
    """Candidate forms of the same verb (see :func:`_derived`); the vocabulary picks the real ones."""
    forms = [stem[:-3] if stem.endswith("ing") and len(stem) > 6 else stem + "ing"]
    if stem.endswith("asjon"):
        forms.append(stem[:-5] + "er")
    elif stem.endswith("er"):
        forms.append(stem[:-2] + "asjon")
    if stem.endswith("t"):
        verb = stem[:-1]
        forms += [verb, verb + verb[-1:]]  # journalført → journalfør, godkjent → godkjenn
    elif len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
        forms.append(stem[:-1] + "t")  # godkjenn → godkjent, innkall → innkalt
    else:
        forms.append(stem + "t")  # journalfør → journalført
    return [form for form in forms if len(form) >= _MIN_VERB]


def _phrase_alternative(phrase: list[Unit], vocab: Vocabulary, boost: float) -> Alternative | None:
    words: list[tuple[str, str]] = []
    for unit in phrase:
        if unit.ref is not None:
            words.append(("legal", unit.key))
        elif unit.stem in vocab.stems:
            words.append(("stem", unit.stem))
        elif unit.folded in vocab.folded:
            words.append(("folded", unit.folded))
        else:
            return None
    return Alternative("synonym", tuple(words), boost, 1.0) if words else None


def _weight(alternatives: list[Alternative], vocab: Vocabulary) -> float:
    """A concept weighs as much as its rarest exact form (unknown words weigh the most)."""
    dfs = [
        vocab.folded.get(term, 0) if group == "folded" else vocab.stems.get(term, 0)
        for alt in alternatives
        if alt.kind in ("exact", "folded", "synonym", "particle-verb")
        for group, term in alt.words
        if group != "legal"
    ]
    dfs = [df for df in dfs if df]
    return vocab.idf(max(dfs)) if dfs else vocab.unknown_idf


def _known(unit: Unit, vocab: Vocabulary, synonyms: SynonymIndex) -> bool:
    return unit.stem in vocab.stems or unit.folded in vocab.folded or synonyms.knows(unit)


def build_plan(question: str, vocab: Vocabulary, synonyms: SynonymIndex) -> Plan:
    found = units(question)
    found = join_split_compounds(
        found, question, lambda u: _known(u, vocab, synonyms), synonyms.knows
    )
    concepts: list[Concept] = []
    for span in synonyms.match(found):
        if span.group is not None:
            typed = [a for a in (_phrase_alternative(span.units, vocab, 1.0),) if a]
            others = [
                alt
                for phrase in span.group
                if [u.key for u in phrase] != [u.key for u in span.units]
                for alt in (_phrase_alternative(phrase, vocab, 0.8),)
                if alt
            ]
            alternatives = typed + others
            legal_units = [u for u in span.units if u.ref is not None]
            for unit in legal_units:
                alternatives.append(Alternative("legal", (("legal", unit.key),), 1.0, 1.0))
            text = " ".join(u.text for u in span.units)
            weight = vocab.unknown_idf if legal_units else _weight(alternatives, vocab)
            share = everyday.share(u.text for u in span.units if u.ref is None)
            concepts.append(Concept(text, weight, tuple(alternatives), share))
            continue
        unit = span.units[0]
        if unit.ref is not None:
            alternative = Alternative("legal", (("legal", unit.key),), 1.0, 1.0)
            concepts.append(Concept(unit.text, vocab.unknown_idf, (alternative,)))
            continue
        alternatives = _word_alternatives(unit, vocab, synonyms)
        weight = _weight(alternatives, vocab)
        share = everyday.share([unit.text])
        concepts.append(Concept(unit.text, weight, tuple(alternatives), share))
    return Plan(question, tuple(concepts))


def coverage(plan: Plan, matched: set[tuple[str, str]]) -> float:
    """The share of the question's weight that a document's matched terms cover."""
    total = sum(c.weight for c in plan.concepts)
    if total <= 0:
        return 0.0
    covered = 0.0
    for concept in plan.concepts:
        credits = [
            alt.credit
            for alt in concept.alternatives
            if all((group, term) in matched for group, term in alt.words)
        ]
        covered += concept.weight * max(credits, default=0.0)
    return covered / total
