"""The Norwegian analyzer: text → tokens, the same chain for the index and for a question.

Built as Whoosh builds its own (``tokenizer | filter | …``)::

    >>> [t.text for t in norwegian_analyzer()("Søknadene ble journalført")]
    ['søknad', 'journalført']
    >>> [t.text for t in folded_analyzer()("Økonomisk rådgivning")]
    ['okonomisk', 'radgivning']

``norwegian_analyzer`` keeps æøå and stems (Snowball, bokmål) after mapping common nynorsk word
forms to bokmål. ``folded_analyzer`` does the same on text folded to plain letters
(``økonomisk`` → ``okonomisk``) for people who type without æøå; it feeds a separate,
lower-weighted field, never replacing the original word. Compound words, synonyms and typos are
handled when a question is turned into a query (``handbook.query``), against the index's own
vocabulary, so the index stays a plain stemmed index that can be updated one file at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.analysis.acore import Token
from whoosh.lang.snowball.norwegian import NorwegianStemmer

from handbook.lexicon_data import ABBREVIATIONS, NYNORSK_TO_BOKMAL, STOP_WORDS

WORD_PATTERN = r"[^\W_]+(?:-[^\W_]+)*"

_FOLDS = (("æ", "e"), ("ae", "e"), ("ø", "o"), ("oe", "o"), ("å", "a"), ("aa", "a"))
_STEMMER = NorwegianStemmer()


def fold(word: str) -> str:
    """Fold Norwegian letters and their plain-ASCII spellings to one form.

    >>> fold("økonomisk"), fold("okonomisk"), fold("søknad"), fold("soeknad"), fold("vær"), fold("vaer")
    ('okonomisk', 'okonomisk', 'soknad', 'soknad', 'ver', 'ver')
    """
    word = word.lower()
    for old, new in _FOLDS:
        word = word.replace(old, new)
    return word


def stem(word: str) -> str:
    return _STEMMER.stem(word)


_MIN_COMPOUND_HEAD = 3


def normal_form(word: str) -> str:
    """A lowercase word in the form the index keeps: common nynorsk forms as bokmål, and
    abbreviations written out, also at the end of a compound.

    >>> normal_form("korleis"), normal_form("tlf"), normal_form("vakttlf"), normal_form("sosial")
    ('hvordan', 'telefon', 'vakttelefon', 'sosial')
    """
    word = NYNORSK_TO_BOKMAL.get(word, word)
    if word in ABBREVIATIONS:
        return ABBREVIATIONS[word]
    for short, full in ABBREVIATIONS.items():
        if word.endswith(short) and len(word) - len(short) >= _MIN_COMPOUND_HEAD:
            return word[: -len(short)] + full
    return word


class NynorskFilter(Filter):
    """Maps words to :func:`normal_form`: nynorsk forms to bokmål (``korleis`` → ``hvordan``),
    abbreviations written out.

    >>> [t.text for t in (RegexTokenizer() | NynorskFilter())("teneste rettleiing tlf")]
    ['tjeneste', 'veiledning', 'telefon']
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = normal_form(token.text)
            yield token


def hyphen_parts(word: str) -> list[tuple[int, str]]:
    """A hyphenated word's parts with their offsets (``nav-saker`` → nav, saker); else the word.

    >>> hyphen_parts("nav-saker")
    [(0, 'nav'), (4, 'saker')]
    """
    if "-" not in word:
        return [(0, word)]
    parts, offset = [], 0
    for part in word.split("-"):
        if part:
            parts.append((offset, part))
        offset += len(part) + 1
    return parts


class HyphenFilter(Filter):
    """Splits ``§17-sak`` style hyphenated words into their parts, keeping the whole word too."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if "-" not in token.text:
                yield token
                continue
            whole = token.text
            for _, part in hyphen_parts(whole):
                token.text = part
                yield token
            token.text = whole.replace("-", "")
            yield token


class FoldFilter(Filter):
    """Folds æøå (and ae/oe/aa) so ``okonomisk`` and ``økonomisk`` meet."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def _base():
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | HyphenFilter()
        | NynorskFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
    )


def norwegian_analyzer():
    """Lowercase, nynorsk → bokmål, stop words, Snowball stemming."""
    return _base() | StemFilter(stemfn=stem, cachesize=50000)


def folded_analyzer():
    """As :func:`norwegian_analyzer`, on text folded to plain letters."""
    return _base() | FoldFilter() | StemFilter(stemfn=stem, cachesize=50000)


_WORD_TOKENIZER = RegexTokenizer(WORD_PATTERN)


def words(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` (lowercased, not stemmed) with their character spans."""
    return [
        (t.text.lower(), t.startchar, t.endchar)
        for t in _WORD_TOKENIZER(text, chars=True, mode="query")
    ]


@lru_cache(maxsize=65536)
def analyze_word(word: str) -> tuple[str, str] | None:
    """A single word's (stem, folded stem), or ``None`` for a stop word."""
    word = normal_form(word.lower())
    if word in STOP_WORDS:
        return None
    return stem(word), stem(fold(word))
