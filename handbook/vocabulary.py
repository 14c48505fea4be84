"""The index's own vocabulary, for what a question needs beyond exact terms.

Built once per index generation from the index's term lists:

- compound words: ``kartleggingsskjem`` splits into ``kartlegging`` + ``skjem`` (with the linking
  ``s``/``e`` Norwegian puts between parts), so a question's compound finds its parts and a
  question's part finds the compounds that contain it; prepositions and particles are prefixes
  (``forslag``, ``overføre``), not parts, and ``-ering`` is a suffix, not the word ``ring``;
- typo tolerance: words one edit away (two for long words) from a folded term, found through a
  table of single deletions (the SymSpell idea), then checked with Damerau-Levenshtein distance;
  also against the handbook's words as written (``surface``, see :meth:`Vocabulary.near_written`).

>>> v = Vocabulary({"kartlegging": 3, "skjem": 2, "kartleggingsskjem": 1}, {"kartlegging": 3})
>>> v.split("kartleggingsskjem")
('kartlegging', 'skjem')
>>> v.compounds_with("skjem")
('kartleggingsskjem',)
>>> v.near("kartleging")
('kartlegging',)
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Mapping

from handbook.lexicon_data import PREFIX_WORDS

MIN_PART = 3
MIN_COMPOUND = 7
LINKING = ("s", "e")
MIN_TYPO = 6  # shorter words are too often another real word one letter away (gutt/gitt)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, capped at ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _derivational(left: str, right: str) -> bool:
    """A cut through a derivational suffix, not between two words: "vurdering" is the verb
    "vurdere" + "-ing", not "vurd" + "e" + "ring"."""
    return left.endswith("e") and right.startswith("ring")


def _delete_table(terms: Mapping[str, int]) -> dict[str, list[str]]:
    table: dict[str, list[str]] = defaultdict(list)
    for term in terms:
        if len(term) >= 4:
            for variant in _deletes(term):
                table[variant].append(term)
    return table


def _near(
    word: str, terms: Mapping[str, int], table: Mapping[str, list[str]], limit: int
) -> tuple[str, ...]:
    """Terms within one edit of ``word`` (two for words of nine letters or more), closest and
    most frequent first, found through ``table`` (see :func:`_delete_table`)."""
    if len(word) < MIN_TYPO:
        return ()
    allowed = 1 if len(word) < 9 else 2
    candidates = set(table.get(word, ()))
    for variant in _deletes(word) | {word}:
        candidates.update(table.get(variant, ()))
        if variant in terms:
            candidates.add(variant)
    scored = [
        (edit_distance(word, term, allowed), -terms[term], term)
        for term in candidates
        if term != word
    ]
    return tuple(term for distance, _, term in sorted(scored) if distance <= allowed)[:limit]


class Vocabulary:
    """Term → document frequency for stems and folded stems, with compound and typo helpers."""

    def __init__(
        self,
        stems: Mapping[str, int],
        folded: Mapping[str, int],
        documents: int = 1,
        stem: Callable[[str], str] = lambda word: word,
        surface: Mapping[str, tuple[str, int]] | None = None,
    ):
        self._stem = functools.lru_cache(maxsize=65536)(stem)
        self.stems = dict(stems)
        self.folded = dict(folded)
        self.documents = max(documents, 1)
        self._parts: dict[str, tuple[str, ...]] = {}
        self._compounds: dict[str, list[str]] = defaultdict(list)
        for term in self.stems:
            parts = self.split(term)
            if parts:
                self._parts[term] = parts
                for part in set(parts):
                    self._compounds[part].append(term)
        self._deletes = _delete_table(self.folded)
        # Folded words as written in the handbook → (their folded stem, document frequency).
        self.surface = dict(surface or {})
        self._surface_frequency = {word: df for word, (_, df) in self.surface.items()}
        self._surface_deletes = _delete_table(self._surface_frequency)

    def idf(self, df: int) -> float:
        return math.log((self.documents + 1) / (df + 0.5))

    @property
    def unknown_idf(self) -> float:
        return self.idf(0)

    def _modifier_stem(self, left: str) -> str | None:
        """The indexed stem of a compound's first part, or ``None``.

        The first part is written in its citation form, often with a linking ``s``/``e``
        ("oversendelses|brev"); the index keeps only its stem ("oversend"), so a part that is
        not itself an indexed term is stemmed, as the head is (see :meth:`_known_head`)."""
        if len(left) < MIN_PART or left in PREFIX_WORDS:
            return None
        if left in self.stems:
            return left
        if left[-1] in LINKING and len(left) > MIN_PART and left[:-1] in self.stems:
            return left[:-1]
        for form in (left, left[:-1]) if left[-1] in LINKING else (left,):
            stemmed = self._stem(form)
            if stemmed != form and len(stemmed) >= MIN_PART and stemmed in self.stems:
                return stemmed
        return None

    def _known_head(self, right: str) -> tuple[str, ...] | None:
        """The head of a compound is inflected as the whole word is (``…skjemaet``)."""
        if len(right) < MIN_PART:
            return None
        if right in self.stems:
            return (right,)
        stemmed = self._stem(right)
        return (stemmed,) if stemmed in self.stems and len(stemmed) >= MIN_PART else None

    def split(self, word: str, depth: int = 2) -> tuple[str, ...] | None:
        """Split a stem into known parts (at most three), longest head first; ``None`` if it can't."""
        if len(word) < MIN_COMPOUND or depth == 0:
            return None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            left, right = word[:cut], word[cut:]
            if _derivational(left, right):
                continue
            modifier = self._modifier_stem(left)
            if modifier is None or modifier in PREFIX_WORDS:
                continue
            head = self._known_head(right) or self.split(right, depth - 1)
            if head:
                return (modifier, *head)
        return None

    def compounds_with(self, part: str, limit: int = 12) -> tuple[str, ...]:
        """Indexed compounds that contain ``part`` as one of their parts, most frequent first."""
        found = self._compounds.get(part, [])
        return tuple(sorted(found, key=lambda t: -self.stems[t])[:limit])

    def near(self, folded_word: str, limit: int = 3) -> tuple[str, ...]:
        """Folded terms within one edit (two for words of nine letters or more)."""
        return _near(folded_word, self.folded, self._deletes, limit)

    def near_written(self, folded_word: str, limit: int = 3) -> tuple[str, ...]:
        """The folded stems of the handbook's written words near a typed (folded, unstemmed) word.

        A typo can hide a suffix from the stemmer: "tydleig" keeps its ending while "tydelig"
        loses "-elig", so the two stems are far apart though the words are one swap apart. The
        written words meet where the stems cannot."""
        found: list[str] = []
        for word in _near(folded_word, self._surface_frequency, self._surface_deletes, limit * 2):
            stem = self.surface[word][0]
            if stem not in found:
                found.append(stem)
        return tuple(found[:limit])
