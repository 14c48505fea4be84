"""``python -m bot report``: what the handbook's maintainers should write or fix next."""

from __future__ import annotations

from typing import TextIO

from bot.store import Store


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
