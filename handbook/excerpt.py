"""The excerpt of a hit: the sentences of a section that answer the question, matched words marked.

>>> pick_excerpt("Første linje. Skriv vedtak etter § 17. Til slutt kommer mer.", {("stem", "vedtak"): 1})
'Skriv **vedtak** etter § 17. Til slutt kommer mer.'
"""

from __future__ import annotations

import re
from functools import lru_cache

from handbook.analysis import analyze_word, words
from handbook.index import plain_text

MAX_CHARS = 320
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ0-9«\"(])|\n+")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(plain_text(text)) if s and s.strip()]


Word = tuple[int, int, tuple[tuple[str, str], tuple[str, str]]]


@lru_cache(maxsize=4096)
def _analysed(body: str) -> tuple[tuple[str, tuple[Word, ...]], ...]:
    """A section's sentences, each with its words' spans and index terms (cached per text)."""
    result = []
    for sentence in sentences(body):
        found = []
        for word, start, end in words(sentence):
            analysed = analyze_word(word)
            if analysed:
                found.append((start, end, (("stem", analysed[0]), ("folded", analysed[1]))))
        result.append((sentence, tuple(found)))
    return tuple(result)


def _marked(
    sentence: str, found_words: tuple[Word, ...], weights: dict[tuple[str, str], float]
) -> tuple[str, float]:
    """The sentence with matched words in bold, and the weight of the distinct terms it matched."""
    pieces, last, found = [], 0, {}
    for start, end, terms in found_words:
        keys = [k for k in terms if k in weights]
        if keys:
            pieces.append(f"{sentence[last:start]}**{sentence[start:end]}**")
            last = end
            found[keys[0][1]] = max(weights[k] for k in keys)
    pieces.append(sentence[last:])
    return "".join(pieces), sum(found.values())


def _shorten(text: str) -> str:
    if len(text) <= MAX_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_CHARS)
    text = text[: cut if cut > 0 else MAX_CHARS]
    if text.count("**") % 2:
        text += "**"
    return text + " …"


def pick_excerpt(body: str, weights: dict[tuple[str, str], float]) -> str:
    """The best sentence with the neighbour that matches more of the question if there is room,
    or the section's opening.

    ``weights`` maps the matched terms, as ``("stem"|"folded", term)``, to how much they count.
    """
    analysed = _analysed(body)
    if not analysed:
        return ""
    marked = [_marked(sentence, found, weights) for sentence, found in analysed]
    best = max(range(len(marked)), key=lambda i: (marked[i][1], -i))
    if marked[best][1] == 0:
        best = 0
    chosen = marked[best][0]
    # the neighbour that matches more of the question; the next sentence when neither does better
    around = [i for i in (best + 1, best - 1) if 0 <= i < len(marked)]
    neighbour = max(around, key=lambda i: (marked[i][1], i), default=best)
    if neighbour != best:
        other = marked[neighbour][0]
        if len(chosen) + len(other) < MAX_CHARS:
            chosen = f"{chosen} {other}" if neighbour > best else f"{other} {chosen}"
    return _shorten(chosen)
