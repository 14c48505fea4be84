"""The field's synonyms and abbreviations, from the handbook's editable ``synonymer.yaml``.

Each group lists words and phrases that mean the same for search, legal references included::

    - [økonomisk rådgivning, opplysning råd og veiledning, gjeldsrådgivning, sosialtjenesteloven § 17]
    - [sosialhjelp, økonomisk stønad]

A question is matched against every phrase (longest first); a matched span becomes one concept
whose alternatives are all the phrases of its group. Synonyms apply when a question is asked, so
an edit to the file takes effect without re-indexing.

>>> index = SynonymIndex([("nødhjelp", "akutt hjelp")])
>>> [(len(s.units), s.group is not None) for s in index.match(units("søker nødhjelp i helgen"))]
[(1, False), (1, True), (1, False)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from handbook.units import Unit, units


@dataclass(frozen=True)
class Span:
    """A run of question units; ``group`` holds the synonym group's phrases when it matched one."""

    units: list[Unit]
    group: tuple[list[Unit], ...] | None = None


class SynonymIndex:
    def __init__(self, groups: Iterable[Sequence[str]]):
        self._phrases: dict[tuple[str, ...], tuple[list[Unit], ...]] = {}
        for group in groups:
            analysed = tuple(u for u in (units(phrase) for phrase in group) if u)
            for phrase in analysed:
                key = tuple(unit.key for unit in phrase)
                existing = self._phrases.get(key, ())
                self._phrases[key] = existing + tuple(p for p in analysed if p not in existing)
        self._longest = max((len(key) for key in self._phrases), default=0)

    def knows(self, *phrase: Unit) -> bool:
        """Whether these units, in this order, are a phrase of some group."""
        return tuple(unit.key for unit in phrase) in self._phrases

    def group(self, *keys: str) -> tuple[list[Unit], ...]:
        """The phrases of the group(s) of the phrase whose units have these keys; none if it is
        no phrase."""
        return self._phrases.get(keys, ())

    def match(self, question: list[Unit]) -> list[Span]:
        spans: list[Span] = []
        index = 0
        while index < len(question):
            for length in range(min(self._longest, len(question) - index), 0, -1):
                key = tuple(u.key for u in question[index : index + length])
                group = self._phrases.get(key)
                if group:
                    spans.append(Span(question[index : index + length], group))
                    index += length
                    break
            else:
                spans.append(Span([question[index]]))
                index += 1
        return spans
