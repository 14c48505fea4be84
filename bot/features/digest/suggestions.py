"""Example-question suggestions for the handbook's maintainers (issue 15).

The questions the bot could not answer confidently, and those behind «Ikke nyttig» votes (both
stored with personal data removed), are searched again in today's handbook: the routine the
search now puts first is the one each question probably belongs to, with the calibrated
confidence of that guess. ``python -m bot report`` lists them with the command that adds one as
an example question (``python -m bot sporsmal <rutine> "<spørsmål>"``, :func:`add_question`),
which from then on is indexed and counts in ranking and confidence.

A question already among the routine's example questions, or that the handbook now answers
confidently with the routine it was voted down for, is left out; a «Ikke nyttig» question is
proposed for the best routine other than the one that was not useful, when there is one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot import pii
from bot.store import Store
from handbook import Handbook
from handbook.example_edit import EditError, add_example_question
from handbook.loader import parse_routine

UNANSWERED, NOT_USEFUL = "uten sikkert svar", "ikke nyttig"


@dataclass(frozen=True)
class Suggestion:
    question: str
    routine_id: str  # the routine it probably belongs to
    title: str
    # the search's calibrated confidence in that routine (0–1); None when it was not the
    # search's first choice (a «Ikke nyttig» question whose first hit was the routine voted down)
    confidence: float | None
    source: str  # UNANSWERED or NOT_USEFUL


def suggestions(store: Store, handbook: Handbook, limit: int = 50) -> list[Suggestion]:
    """At most ``limit`` suggestions, the newest questions first, each question once."""
    asked = [(q.question, "", UNANSWERED) for q in store.unanswered(limit)]
    asked += [(q.question, q.routine_id, NOT_USEFUL) for q in store.not_useful_questions(limit)]
    found: list[Suggestion] = []
    seen: set[str] = set()
    for question, voted_down, source in asked:
        key = " ".join(question.lower().split())
        if key in seen or not key:
            continue
        seen.add(key)
        result = handbook.search(question, k=3)
        hits = [hit for hit in result.hits if hit.routine_id != voted_down]
        if not hits or (result.confident and not voted_down):
            continue  # nothing close, or answered confidently by now
        best = hits[0]
        routine = handbook.routine(best.routine_id)
        if routine is None or key in {" ".join(q.lower().split()) for q in routine.questions}:
            continue
        confidence = result.confidence if best is result.hits[0] else None
        found.append(Suggestion(question, best.routine_id, best.title, confidence, source))
        if len(found) >= limit:
            break
    return found


def format_suggestions(found: list[Suggestion]) -> str:
    lines = ["Forslag til eksempelspørsmål (spørsmålet → rutinen det trolig hører til)"]
    if not found:
        return lines[0] + "\n  ingen ennå\n"
    for s in found:
        sure = f"sikkerhet {s.confidence:.2f}" if s.confidence is not None else "nest beste treff"
        lines.append(f"  «{s.question}» → {s.title} ({s.routine_id}), {sure}, {s.source}")
        quoted = s.question.replace("\\", "\\\\").replace('"', '\\"')
        lines.append(f'      python -m bot sporsmal {s.routine_id} "{quoted}"')
    return "\n".join(lines) + "\n"


class QuestionRefused(Exception):
    """``str(error)`` says why, in Norwegian, for the maintainer at the command line."""


def add_question(handbook: Handbook, routine_id: str, question: str) -> Path:
    """Add ``question`` to the routine's ``sporsmal`` in its file (written atomically) and
    return the file. Refused for an unknown routine, a question with an identity number in it,
    a question already there, or an edit the loader would not read back."""
    if pii.contains_id_number(question):
        raise QuestionRefused(
            "spørsmålet ser ut til å inneholde et fødselsnummer eller D-nummer; det skal ikke "
            "stå i håndboka. Fjern det og prøv igjen."
        )
    routine = handbook.routine(routine_id)
    if routine is None:
        raise QuestionRefused(f"finner ingen rutine med id «{routine_id}» i {handbook.directory}")
    path = routine.path
    try:
        text = add_example_question(path.read_text(encoding="utf-8"), question)
    except EditError as error:
        raise QuestionRefused(f"{path}: {error}") from None
    parsed, _ = parse_routine(path, text)
    wanted = " ".join(question.split())
    if parsed is None or wanted not in parsed.routine.questions:
        raise QuestionRefused(f"{path}: endringen kunne ikke leses tilbake; filen er ikke endret")
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(staging, path.stat().st_mode & 0o777)
    os.replace(staging, path)
    return path
