"""A question (or a synonym phrase) as a sequence of units: words and legal references.

Both sides of synonym matching go through this one function, so ``sosialhjelp`` in the synonym
file and ``sosialhjelpa`` in a nynorsk question meet on the same folded stem.

>>> [u.key for u in units("Nødhjelp etter stl. § 17?")]
['nodhjelp', 'stl§17']
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from handbook import legal
from handbook.analysis import analyze_word, hyphen_parts, words
from handbook.lexicon_data import IDIOM_GAP_WORDS, LIGHT_VERB_IDIOMS, LIGHT_VERBS
from handbook.model import LegalRef

MAX_UNITS = 60

# Particles that make a verb phrase Norwegian also writes as one word: "kalle inn" ~ "innkalle"
# (and the noun "innkalling"), "følge opp" ~ "oppfølging", "sende videre" ~ "videresende".
PARTICLES = frozenset(
    {
        "inn",
        "opp",
        "ut",
        "av",
        "over",
        "ned",
        "fram",
        "frem",
        "bort",
        "tilbake",
        "videre",
        "gjennom",
    }
)


@dataclass(frozen=True)
class Unit:
    """A word (``stem``/``folded`` set) or a legal reference (``ref`` set), as typed (``text``)."""

    text: str
    key: str
    stem: str = ""
    folded: str = ""
    ref: LegalRef | None = None
    joined: str = ""  # stem of particle + verb when a particle follows the word ("innkall")


def _add_word(spans: list[tuple[int, Unit]], word: str, start: int, text: str = "") -> None:
    """Adds ``word`` (typed as ``text``, if that differs) unless it is a stop word."""
    if word.isdigit() and len(word) < 2:
        return
    analyzed = analyze_word(word)
    if analyzed is not None:
        stem, folded = analyzed
        spans.append((start, Unit(text or word, folded, stem=stem, folded=folded)))


MAX_PARTICLE_GAP = 2


def _join_particle(spans: list[tuple[int, Unit]], index: int, joined_word: str) -> None:
    analyzed = analyze_word(joined_word)
    start, unit = spans[index]
    if analyzed is not None and not unit.joined and unit.ref is None:
        spans[index] = (start, replace(unit, joined=analyzed[0]))


def units(text: str, limit: int = MAX_UNITS) -> list[Unit]:
    """The content units of ``text`` in order; stop words and one-digit numbers are dropped."""
    found = legal.find_refs(text)
    spans: list[tuple[int, Unit]] = [
        (ref.start, Unit(text[ref.start : ref.end], ref.token, ref=ref.ref)) for ref in found
    ]
    taken = [(ref.start, ref.end) for ref in found]
    # The last word unit added (index in spans, text) and how many stop words followed it: a
    # particle may come after a pronoun or two ("sender vi det videre").
    previous: tuple[int, str] | None = None
    gap = 0
    # A light verb ("se") waiting for the particle that makes it an idiom: (verb, its start).
    light: tuple[str, int] | None = None
    for whole, whole_start, end in words(text):
        if any(s <= whole_start < e for s, e in taken):
            previous = light = None
            continue
        if light is not None and (light[0], whole) in LIGHT_VERB_IDIOMS:
            meaning = LIGHT_VERB_IDIOMS[(light[0], whole)]
            _add_word(spans, meaning, light[1], text=text[light[1] : end])
            previous, light = None, None
            continue
        if whole in LIGHT_VERBS:
            light = (whole, whole_start)
        elif light is not None and whole not in IDIOM_GAP_WORDS:
            light = None
        if whole in PARTICLES and previous is not None:
            index, verb = previous
            _join_particle(spans, index, whole + verb)
        before = len(spans)
        for offset, word in hyphen_parts(whole):
            _add_word(spans, word, whole_start + offset)
        if len(spans) > before:
            previous, gap = (len(spans) - 1, whole), 0
        elif previous is not None and whole not in PARTICLES:
            gap += 1
            previous = previous if gap <= MAX_PARTICLE_GAP else None
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
