"""The monthly digest as an Adaptive Card (pure: a :class:`bot.features.digest.report.Digest` in, JSON out)."""

from __future__ import annotations

from bot.chat.cards import _card, _text, _title, norwegian_date
from bot.features.digest.report import Digest, shorten
from handbook import Routine
from handbook.model import ASSURED_BY
from schedule import OSLO
from schedule.norsk import MONTHS

MAX_QUESTIONS_PER_ROUTINE = 3
MAX_ITEMS = 8  # per list; Teams refuses messages over ~28 KB
MAX_TEXT = 150


def month_name(digest: Digest) -> str:
    start = digest.since.astimezone(OSLO)
    return f"{MONTHS[start.month - 1]} {start.year}"


def digest_text(digest: Digest) -> str:
    """One line: the notification and the card's fallback."""
    asked = sum(len(qs) for qs in digest.unanswered.values())
    return (
        f"Månedsrapport for rutinehåndboka, {month_name(digest)}: {asked} spørsmål uten svar, "
        f"{len(digest.for_handbook)} svar som bør inn i håndboka, "
        f"{len(digest.overdue_reviews)} rutiner på overtid for gjennomgang, "
        f"{len(digest.not_assured)} rutiner som ikke er kvalitetssikret."
    )


def missing_fields(routine: Routine) -> str:
    """``eier (akutt-hjelp.md:4), revisjonsdato (akutt-hjelp.md:5)``: what to fill in, and where."""
    return ", ".join(
        f"{ASSURED_BY[key]} ({routine.path.name}:{line})" for key, line in routine.missing_at
    )


def _short(text: str) -> str:
    return shorten(text, MAX_TEXT)


def _heading(text: str) -> dict:
    return _text(text, weight="Bolder", spacing="Medium")


def _more(count: int, what: str) -> list[dict]:
    """«… og 3 rutiner til.» when a list of ``count`` was cut at :data:`MAX_ITEMS`."""
    if count <= MAX_ITEMS:
        return []
    return [_text(f"… og {count - MAX_ITEMS} {what} til.", isSubtle=True, spacing="Small")]


def _facts(heading: str, rows: list[tuple[str, str]], more: str = "") -> list[dict]:
    """A heading and its (title, value) rows as a FactSet, «Ingen.» when there are none; with
    ``more``, cut at :data:`MAX_ITEMS` and the rest counted («… og 3 rutiner til.»)."""
    if not rows:
        return [_heading(heading), _text("Ingen.")]
    shown = rows[:MAX_ITEMS] if more else rows
    facts = [{"title": title, "value": value} for title, value in shown]
    return [_heading(heading), {"type": "FactSet", "facts": facts}] + (
        _more(len(rows), more) if more else []
    )


def digest_card(digest: Digest, titles: dict[str, str]) -> dict:
    body = [
        _title("Månedsrapport for rutinehåndboka"),
        _text(month_name(digest).capitalize(), isSubtle=True, spacing="None"),
    ]
    body.append(_heading("Spørsmål uten sikkert svar, etter nærmeste rutine"))
    if not digest.unanswered:
        body.append(_text("Ingen denne måneden."))
    for routine_id, questions in list(digest.unanswered.items())[:MAX_ITEMS]:
        name = titles.get(routine_id, routine_id) if routine_id else "Ingen rutine i nærheten"
        lines = [f"- {_short(q.question)}" for q in questions[:MAX_QUESTIONS_PER_ROUTINE]]
        if len(questions) > MAX_QUESTIONS_PER_ROUTINE:
            lines.append(f"- … og {len(questions) - MAX_QUESTIONS_PER_ROUTINE} til")
        body.append(_text(f"**{name}** ({len(questions)})", spacing="Small"))
        body.append(_text("\n".join(lines), spacing="None"))
    body += _more(len(digest.unanswered), "rutiner")
    body += _facts(
        "Flest «Ikke nyttig»",
        [
            (titles.get(v.routine_id, v.routine_id), f"{v.down} ikke nyttig, {v.up} nyttig")
            for v in digest.not_useful
        ],
    )
    body.append(_heading("Svar fra fagpersoner som bør inn i håndboka"))
    if not digest.for_handbook:
        body.append(_text("Ingen denne måneden."))
    for ticket in digest.for_handbook[:MAX_ITEMS]:
        who = ticket.taken_by_name or "en fagperson"
        body.append(_text(f"**{_short(ticket.question)}**", spacing="Small"))
        body.append(_text(f"{_short(ticket.answer or '')} ({who})", spacing="None"))
    body += _more(len(digest.for_handbook), "svar")
    body += _facts(
        "Rutiner på overtid for gjennomgang",
        [
            (
                r.title,
                f"skulle gjennomgås {norwegian_date(r.review_by)}"
                + (f" ({r.owner})" if r.owner else ""),
            )
            for r in digest.overdue_reviews
        ],
        more="rutiner",
    )
    body += _facts(
        "Ikke kvalitetssikret ennå (felt som mangler, fil:linje)",
        [(r.title, missing_fields(r)) for r in digest.not_assured],
        more="rutiner",
    )
    body.append(_text("Hele listen: python -m bot report", isSubtle=True, spacing="Medium"))
    return _card(body, fallback=digest_text(digest))
