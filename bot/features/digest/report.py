"""``python -m bot report``: what the handbook's maintainers should write or fix next; and the
same sources gathered per month for the owners' digest (:func:`monthly_digest`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TextIO

from bot.store import Store, UnansweredQuestion, VoteCount
from bot.store.closures import REVIEW, ClosedKey
from bot.store.tickets import Ticket, Tickets
from handbook import Routine


def print_report(store: Store, out: TextIO, limit: int = 50) -> None:
    votes = store.votes()
    out.write("Tilbakemeldinger per rutine (flest «Ikke nyttig» først)\n")
    if not votes:
        out.write("  ingen ennå\n")
    else:
        out.write(f"  {'rutine':<32} {'ikke nyttig':>11} {'nyttig':>7}\n")
        for count in votes:
            out.write(f"  {count.routine_id:<32} {count.down:>11} {count.up:>7}\n")
    questions = store.unanswered(limit)
    out.write(f"\nSpørsmål uten sikkert svar (nyeste først, høyst {limit})\n")
    if not questions:
        out.write("  ingen ennå\n")
    for q in questions:
        when = q.created_at.strftime("%d.%m.%Y %H:%M")
        closest = f"  (nærmest: {', '.join(q.closest)})" if q.closest else ""
        out.write(f"  {when}  {q.question}{closest}\n")


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters (the last one «…») when longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# -- the monthly digest for the handbook's owners (sent by bot.features.digest.planner) ----------------------


@dataclass(frozen=True)
class Digest:
    """What the owners should look at after a month (``since`` .. ``until``, UTC)."""

    since: datetime
    until: datetime
    # nearest routine id ("" when none was close) -> that month's unanswered questions
    unanswered: dict[str, list[UnansweredQuestion]]
    not_useful: list[VoteCount]  # the most "Ikke nyttig" first (only routines with any)
    for_handbook: list[Ticket]  # expert answers marked "bør inn i håndboka" that month
    overdue_reviews: list[Routine]  # review_by before ``today``, the oldest first
    not_assured: list[Routine]  # owner, dates or legal basis still TODO, by file name


def monthly_digest(
    store: Store,
    tickets: Tickets,
    routines: Iterable[Routine],
    since: datetime,
    until: datetime,
    today: date,
    top: int = 5,
    limit: int = 10_000,
    closed: Collection[ClosedKey] = frozenset(),
) -> Digest:
    """The digest's content from the same sources as :func:`print_report` (blocking).

    ``closed`` (:meth:`bot.store.closures.Closures.closed`): a routine whose current review
    date was marked «gjennomgått» is not listed as past its review."""
    routines = list(routines)
    grouped: dict[str, list[UnansweredQuestion]] = {}
    for q in reversed(store.unanswered(limit)):  # oldest first within a routine
        if since <= q.created_at < until:
            grouped.setdefault(q.closest[0] if q.closest else "", []).append(q)
    ordered = dict(sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0] == "", kv[0])))
    not_useful = [v for v in store.votes() if v.down > 0][:top]
    overdue = sorted(
        (
            r
            for r in routines
            if r.review_by is not None
            and r.review_by < today
            and (REVIEW, r.id, r.review_by.isoformat()) not in closed
        ),
        key=lambda r: r.review_by,
    )
    return Digest(
        since=since,
        until=until,
        unanswered=ordered,
        not_useful=not_useful,
        for_handbook=tickets.for_handbook(since, until),
        overdue_reviews=overdue,
        not_assured=sorted((r for r in routines if r.missing), key=lambda r: str(r.path)),
    )


# -- python -m bot tickets ------------------------------------------------------------------

TICKET_STATUS = {"open": "åpen", "taken": "tatt", "answered": "besvart"}


def _age(delta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} t"
    return f"{minutes // 1440} d"


def format_tickets(tickets: Iterable[Ticket], now: datetime, width: int = 60) -> str:
    """Tickets as ``python -m bot tickets`` prints them: id, status, age, taken by, question."""
    rows = list(tickets)
    lines = ["Spørsmål til fagpersoner (nyeste først)"]
    if not rows:
        return lines[0] + "\n  ingen ennå\n"
    lines.append(f"  {'sak':>5}  {'status':<8} {'alder':>6}  {'tatt av':<20} spørsmål")
    for t in rows:
        question = shorten(t.question, width)
        taken = (t.taken_by_name or "–")[:20]
        age = _age(now - t.created_at)
        status = TICKET_STATUS.get(t.status, t.status)
        lines.append(f"  {t.id:>5}  {status:<8} {age:>6}  {taken:<20} {question}")
    return "\n".join(lines) + "\n"
