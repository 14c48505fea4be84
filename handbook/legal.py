"""Legal references as people write them: ``§17``, ``stl 17``, ``fvl. § 6``, ``forskrift 2018-06-04-810``.

A reference becomes a :class:`~handbook.model.LegalRef` with a canonical law code and a Lovdata link,
and a search token (``stl§17``) that the index and the question share. A bare paragraph (``§ 17``,
``paragraf 17``) means sosialtjenesteloven, the handbook's home act.

>>> [ref.token for ref in find_refs("vedtak etter stl. § 17 og fvl § 6")]
['stl§17', 'fvl§6']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handbook.model import LegalRef


@dataclass(frozen=True)
class Law:
    code: str
    name: str
    lovdata: str  # base URL; a paragraph is appended as "/§17"
    aliases: tuple[str, ...]


LAWS: tuple[Law, ...] = (
    Law(
        "stl",
        "sosialtjenesteloven",
        "https://lovdata.no/lov/2009-12-18-131",
        (
            "sosialtjenesteloven",
            "sosialtjenestelova",
            "sosialtenestelova",
            "sotjl",
            "sotjenl",
            "sostjl",
            "stjl",
            "stl",
            "sosialtjl",
            "lov om sosiale tjenester",
        ),
    ),
    Law(
        "fvl",
        "forvaltningsloven",
        "https://lovdata.no/lov/1967-02-10",
        ("forvaltningsloven", "forvaltningslova", "forvaltningslov", "fvl", "forvl"),
    ),
    Law(
        "koml",
        "kommuneloven",
        "https://lovdata.no/lov/2018-06-22-83",
        ("kommuneloven", "kommunelova", "kommunelov", "koml"),
    ),
)
DEFAULT_LAW = LAWS[0]
_BY_ALIAS = {alias: law for law in LAWS for alias in law.aliases}

# Regulations we know by number (FOR-2018-06-04-810: transfer of cases between municipalities).
REGULATIONS = {
    "2018-06-04-810": "forskrift om overføring av ansvaret for sosiale tjenester "
    "(forskrift 2018-06-04-810)",
}

_ALIAS_RE = "|".join(sorted((re.escape(a) for a in _BY_ALIAS), key=len, reverse=True))
_NUMBER = r"\d{1,3}(?:\s?-\s?\d{1,2})?(?:\s?[a-h](?![a-zæøå]))?"
_NUMBERS = rf"(?P<nums>{_NUMBER}(?:\s*(?:,|og|/|&)\s*{_NUMBER})*)"
_MARKER = r"(?:§§?|paragrafene|paragrafane|paragrafen|paragraf|para\.?|par\.)"

# "law [.] [§] numbers"  or  "§ numbers [i|etter|jf.] [law]"
_REF_RE = re.compile(
    rf"(?<![\w§])(?:(?P<law>{_ALIAS_RE})\.?\s*(?:{_MARKER}\s*)?{_NUMBERS.replace('nums', 'lnums')}"
    rf"|{_MARKER}\s*{_NUMBERS}"
    rf"(?:\s+(?:i\s+|etter\s+|jf\.?\s+|jfr\.?\s+)?(?P<after>{_ALIAS_RE})(?![\w]))?)",
    re.IGNORECASE,
)
_REGULATION_RE = re.compile(r"(?:forskrift|for)[\s.-]*(\d{4}-\d{2}-\d{2}-\d{1,4})", re.IGNORECASE)
# A law's name just before a bare "§" (one we do not know, or it would be an alias above).
_OTHER_LAW = re.compile(r"\b\w+(?:loven|lova|lovens|lovas|konvensjonen)\s*$", re.IGNORECASE)
_SPLIT_NUMS = re.compile(r"\s*(?:,|og|/|&)\s*")


@dataclass(frozen=True)
class Found:
    """A reference found in text, with where it stood (so callers can cut it out of a question)."""

    ref: LegalRef
    start: int
    end: int

    @property
    def token(self) -> str:
        return token(self.ref)


def token(ref: LegalRef) -> str:
    """The search token for a reference: ``stl§17``, ``koml§25-1``, ``forskrift:2018-06-04-810``."""
    if ref.law.startswith("forskrift"):
        return ref.law
    return f"{ref.law}§{ref.section}" if ref.section else ref.law


def _normalise_number(number: str) -> str:
    return re.sub(r"\s+", "", number).lower()


def make_ref(law: Law, section: str | None) -> LegalRef:
    if section is None:
        return LegalRef(law.code, None, law.name, law.lovdata)
    pretty = re.sub(r"^(\d+)([a-h])$", r"\1 \2", section)
    return LegalRef(law.code, section, f"{law.name} § {pretty}", f"{law.lovdata}/§{section}")


def make_regulation(number: str) -> LegalRef:
    text = REGULATIONS.get(number, f"forskrift {number}")
    return LegalRef(f"forskrift:{number}", None, text, f"https://lovdata.no/forskrift/{number}")


def find_refs(text: str) -> list[Found]:
    """Every legal reference in ``text``, in order of appearance."""
    found: list[Found] = []
    for match in _REF_RE.finditer(text):
        alias = match.group("law") or match.group("after")
        if not alias and _OTHER_LAW.search(text, 0, match.start()):
            continue  # «Grunnloven § 104»: a law we do not know, not sosialtjenesteloven
        law = _BY_ALIAS[alias.lower()] if alias else DEFAULT_LAW
        numbers = match.group("lnums") or match.group("nums")
        for number in _SPLIT_NUMS.split(numbers):
            if number:
                ref = make_ref(law, _normalise_number(number))
                found.append(Found(ref, match.start(), match.end()))
    for match in _REGULATION_RE.finditer(text):
        found.append(Found(make_regulation(match.group(1)), match.start(), match.end()))
    found.sort(key=lambda f: f.start)
    return found


def parse_ref(text: str) -> LegalRef | None:
    """Parse one front-matter entry such as ``sosialtjenesteloven § 17``; ``None`` if not understood."""
    text = text.strip()
    found = find_refs(text)
    if len(found) == 1 and found[0].start == 0 and found[0].end >= len(text.rstrip(". ")):
        return found[0].ref
    law = _BY_ALIAS.get(text.lower().rstrip("."))
    return make_ref(law, None) if law else None


def strip_refs(text: str) -> str:
    """``text`` with its legal references cut out (so ``§ 17`` is not also searched as words)."""
    pieces, last = [], 0
    for found in find_refs(text):
        if found.start >= last:
            pieces.append(text[last : found.start])
            last = found.end
    pieces.append(text[last:])
    return " ".join(pieces)
