"""The answer card after "Nyttig" / "Ikke nyttig": the same card, the vote buttons replaced by a
thank-you (and after "Ikke nyttig" the offer to ask an expert, see :mod:`bot.features.tickets.feature`).

The card is drawn again from the handbook (the routine and section the button names) and the
button's data (the question, which marks the same words in the excerpt, and the "Se også"
sections), never from memory. The data may be forged: every field is checked, and what does not
check out is left out (or the caller answers with a new message instead).

Blocking (the handbook's search index): call it from a thread.
"""

from __future__ import annotations

from bot import pii
from bot.chat import card_actions as ca
from bot.chat import cards
from bot.features.tickets import cards as ticket_cards
from handbook import Handbook, Hit

MAX_SEE_ALSO = 2
MAX_SEE_ALSO_CHARS = 500


def _see_also(handbook: Handbook, value: object) -> list[Hit]:
    """The "Se også" sections named in the button data ("routine#anchor,…") that still exist."""
    if not isinstance(value, str) or len(value) > MAX_SEE_ALSO_CHARS:
        return []
    found = []
    for pair in value.split(",")[:MAX_SEE_ALSO]:
        routine_id, _, anchor = pair.partition("#")
        hit = handbook.section_hit(routine_id.strip(), anchor.strip())
        if hit is not None:
            found.append(hit)
    return found


def thanked_card(
    handbook: Handbook,
    data: dict,
    routine_id: str,
    section: str,
    vote: str,
    question: str,
    public_base_url: str = "",
) -> tuple[str, dict] | None:
    """(summary, card) to replace the voted answer card with, or None when it cannot be drawn
    (the section is gone from the handbook). ``question`` is checked by the caller."""
    question = pii.redact(question).text.strip()
    hit = handbook.section_hit(routine_id, section, question)
    if hit is None:
        return None
    see_also = _see_also(handbook, data.get(cards.SEE_ALSO_FIELD))
    card = cards.answer_card(hit, see_also, public_base_url, question=question, thanked=True)
    if vote == ca.VOTE_DOWN:
        card = ticket_cards.with_expert_offer(card, question, [hit.routine_id])
    return f"{hit.title}: {hit.section}", card
