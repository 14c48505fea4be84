"""How common a word is in everyday Norwegian, and what that leaves of its weight in the ranking.

The handbook is small, so its own statistics misjudge everyday words: a word it uses in two or
three sections gets a high IDF even when it is one of the most common words of the language
("skjer", "første", "over", "ny"). In a long question those words then outweigh the few that say
what it is about ("godkjenning", "taushetsplikt"). The frequencies come from wordfreq's bokmål
list (many sources: subtitles, news, Wikipedia, web text), on its Zipf scale: 6 is once per 1,000
words ("dag", "første"), 4.5 about three times per 100,000 ("klage", "melder"), 3 once per
million ("kartlegging"). Its small list holds every word above 3, which is all this needs: a word
it does not have (field jargon, a compound, a typo, a nynorsk form) keeps its full weight.

>>> share(["taushetsplikt"]), share(["første"]) < 0.5, share(["kjøleskapsmagnet"])
(1.0, True, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from wordfreq import zipf_frequency

LANGUAGE = "nb"
WORDLIST = "small"  # words above Zipf 3; the large list costs 1.7 MB and ~40 MB more memory
# A concept keeps its whole score up to COMMON_FROM, FLOOR of it from EVERYDAY_FROM, and a
# straight line between. Chosen on tests/eval/questions.yaml (see bench/search_eval.py).
COMMON_FROM = 4.5
EVERYDAY_FROM = 6.0
FLOOR = 0.4


@lru_cache(maxsize=16384)
def zipf(word: str) -> float:
    """The word's Zipf frequency in everyday bokmål, 0 when the word list does not have it."""
    return zipf_frequency(word, LANGUAGE, wordlist=WORDLIST)


def share(words: Iterable[str]) -> float:
    """The share of its ranking score a concept typed as ``words`` keeps. Its least common word
    decides: a phrase ("klar for avgjørelse") is as specific as its rarest word."""
    frequency = min((zipf(word) for word in words), default=0.0)
    if frequency <= COMMON_FROM:
        return 1.0
    if frequency >= EVERYDAY_FROM:
        return FLOOR
    return 1.0 - (1.0 - FLOOR) * (frequency - COMMON_FROM) / (EVERYDAY_FROM - COMMON_FROM)
