"""The handbook's data: routines, their sections and legal references, and search results.

Plain frozen dataclasses; nothing here reads files or touches the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class LegalRef:
    """A reference to a law or regulation, e.g. sosialtjenesteloven § 17.

    ``law`` is the canonical short code (``stl``, ``fvl``, ``koml``, ``forskrift-2018-06-04-810``),
    ``section`` the paragraph number as a string (``"17"``, ``"25-1"``) or ``None`` for the whole act,
    ``text`` a display form in Norwegian and ``url`` a stable Lovdata address.
    """

    law: str
    section: str | None
    text: str
    url: str


@dataclass(frozen=True)
class Section:
    """A ``##`` section of a routine: the unit of search and of an answer."""

    heading: str
    anchor: str
    body: str
    line: int


# The text before a routine's first section, searched and answered as a section of its own. The
# leading underscore keeps the anchor apart from any heading's (headings' anchors start with a
# letter or digit).
INTRO_ANCHOR = "_om-rutinen"
INTRO_HEADING = "Om rutinen"


# The metadata that makes a routine quality-assured, each with the word a card uses for it. A
# routine imported from Word may lack any of them ("TODO"); it is searched and answered all the
# same, marked «Ikke kvalitetssikret ennå – … mangler» until its maintainer fills them in.
ASSURED_BY = {
    "owner": "eier",
    "revised": "revisjonsdato",
    "review_by": "dato for neste gjennomgang",
    "legal": "lovgrunnlag",
}


def not_assured_note(missing: tuple[str, ...]) -> str:
    """The marking for a routine whose ``missing`` fields (keys of :data:`ASSURED_BY`) are not
    filled in; empty when nothing is missing.

    >>> not_assured_note(("owner", "revised"))
    'Ikke kvalitetssikret ennå – eier og revisjonsdato mangler'
    >>> not_assured_note(("owner", "revised", "review_by"))  # the review date follows the revision
    'Ikke kvalitetssikret ennå – eier og revisjonsdato mangler'
    >>> not_assured_note(())
    ''
    """
    if "revised" in missing:
        missing = tuple(key for key in missing if key != "review_by")
    words = [ASSURED_BY[key] for key in ASSURED_BY if key in missing]
    if not words:
        return ""
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " og " + words[-1]
    return f"Ikke kvalitetssikret ennå – {listed} mangler"


@dataclass(frozen=True)
class Routine:
    """One routine: one Markdown file with YAML front matter.

    ``owner``, ``revised`` and ``review_by`` are ``None`` (and ``legal`` empty) while the file
    leaves them as ``TODO``; ``missing`` names those fields (see :data:`ASSURED_BY`) and
    ``missing_at`` says where in the file each one is to be written."""

    id: str
    title: str
    owner: str | None
    revised: date | None
    review_by: date | None
    legal: tuple[LegalRef, ...]
    sections: tuple[Section, ...]
    path: Path
    theme: str = ""
    tags: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    summary: str = ""
    # Example questions in caseworkers' words (front matter ``sporsmal``): indexed as a field of
    # their own, and a question close to one of them is strong evidence for the routine.
    questions: tuple[str, ...] = ()
    # (field, line in the file) for each field of ASSURED_BY still to be filled in
    missing_at: tuple[tuple[str, int], ...] = ()

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self.missing_at)

    @property
    def not_assured(self) -> str:
        """«Ikke kvalitetssikret ennå – … mangler», or empty for a quality-assured routine."""
        return not_assured_note(self.missing)

    def intro(self) -> Section | None:
        """The introduction (``summary``) as a section, or None when the routine has none. It
        states what the routine is for, often in the words a question uses ("ingen vedtak sendes
        ut før de er godkjent"), so it is searched like the ``##`` sections."""
        if not self.summary:
            return None
        return Section(INTRO_HEADING, INTRO_ANCHOR, self.summary, line=0)

    def section(self, anchor_or_heading: str) -> Section | None:
        for section in self.sections:
            if anchor_or_heading in (section.anchor, section.heading):
                return section
        return self.intro() if anchor_or_heading == INTRO_ANCHOR else None


@dataclass(frozen=True)
class Problem:
    """Something wrong in a handbook file, reported as ``file:line: message``."""

    path: Path
    line: int
    message: str
    warning: bool = False
    # A quality-assurance field still to be filled in (TODO): the routine is served, marked, and
    # the server logs one line for all of them instead of this one (handbook.service).
    todo: bool = False

    def __str__(self) -> str:
        kind = "advarsel: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


@dataclass(frozen=True)
class Hit:
    """One search hit: a section of a routine.

    ``excerpt`` holds the sentences that best answer the question, with the matched words
    marked in Markdown bold (``**ord**``).
    """

    routine_id: str
    title: str
    section: str
    section_anchor: str
    excerpt: str
    score: float
    legal: tuple[LegalRef, ...]
    revised: date | None
    missing: tuple[str, ...] = ()  # the routine's metadata still to be filled in (ASSURED_BY)

    @property
    def not_assured(self) -> str:
        return not_assured_note(self.missing)


@dataclass(frozen=True)
class SearchResult:
    """The answer to a question: hits best first, and whether the best one is a confident answer.

    ``confidence`` is the calibrated probability that the best hit is the right routine
    (:mod:`handbook.confidence`); ``confident`` is that value at or above the operating point."""

    query: str
    confident: bool
    hits: tuple[Hit, ...] = field(default_factory=tuple)
    confidence: float = 0.0

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None
