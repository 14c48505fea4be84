"""Cards for "Spør en fagperson" (pure functions: data in, Adaptive Card JSON out).

The button data carries what a press needs later (the question, the ticket id), never memory.
Action ids live here, not in :mod:`bot.chat.card_actions`: the feature's handlers are registered with
``Replies.on_action`` and check every field themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.chat import card_actions as ca
from bot.chat.cards import _card, _show, _submit, _text, _title

ASK_EXPERT = "ask_expert"  # "Spør en fagperson"
TAKE = "ticket_take"  # "Jeg tar den"
ANSWER = "ticket_answer"  # "Send svar"

ANSWER_INPUT = "answer"
HANDBOOK_INPUT = "for_handbook"
MAX_CLOSEST = 3


def ask_expert_action(question: str, closest: Sequence[str]) -> dict:
    data = {ca.ACTION: ASK_EXPERT, "question": question, "closest": ",".join(closest[:MAX_CLOSEST])}
    return _submit("Spør en fagperson", data)


def with_ask_expert(card: dict, question: str, closest: Sequence[str]) -> dict:
    """``card`` (the no-answer card) with a "Spør en fagperson" button added."""
    actions = [*card.get("actions", []), ask_expert_action(question, closest)]
    return {**card, "actions": actions}


OFFER = "Vil du heller spørre en fagperson? Da sender jeg spørsmålet ditt videre."


def with_expert_offer(card: dict, question: str, closest: Sequence[str]) -> dict:
    """``card`` (an answer card after "Ikke nyttig") with the offer to ask an expert below."""
    offer = [
        _text(OFFER, spacing="Small"),
        {"type": "ActionSet", "actions": [ask_expert_action(question, closest)]},
    ]
    return {**card, "body": [*card["body"], *offer]}


def ask_expert_offer_card(thanks: str, question: str, closest: Sequence[str]) -> dict:
    """The reply to "Ikke nyttig": thanks, and the offer to ask an expert."""
    body = [
        _text(thanks),
        _text(OFFER, spacing="Small"),
    ]
    return _card(body, [ask_expert_action(question, closest)], fallback=thanks)


def _status(ticket) -> str:
    if ticket.status == "answered":
        return f"Besvart av {ticket.taken_by_name or 'en fagperson'}"
    if ticket.status == "taken":
        return f"Tatt av {ticket.taken_by_name or 'en fagperson'}"
    return "Åpen"


def _ticket_body(ticket, titles: dict[str, str]) -> list[dict]:
    body = [
        _title(f"Spørsmål til en fagperson (sak {ticket.id})", "Medium"),
        _text(ticket.question),
    ]
    facts = [{"title": "Status", "value": _status(ticket)}]
    if ticket.closest:
        closest = ", ".join(titles.get(rid, rid) for rid in ticket.closest)
        facts.append({"title": "Nærmeste rutiner", "value": closest})
    body.append({"type": "FactSet", "facts": facts})
    if ticket.closest and ticket.status != "answered":
        shown = [_show(rid, title=titles[rid]) for rid in ticket.closest if rid in titles]
        if shown:
            body.append({"type": "ActionSet", "actions": shown})
    return body


def _ticket_data(action: str, ticket) -> dict:
    return {ca.ACTION: action, "ticket": str(ticket.id)}


def ticket_card(ticket, titles: dict[str, str]) -> dict:
    """The card in the experts' conversation: the question, the closest routines, the status."""
    body = _ticket_body(ticket, titles)
    fallback = f"Spørsmål til en fagperson (sak {ticket.id}): {ticket.question}"
    if ticket.status == "open":
        return _card(body, [_submit("Jeg tar den", _ticket_data(TAKE, ticket))], fallback=fallback)
    if ticket.status == "taken":
        body += [
            {
                "type": "Input.Text",
                "id": ANSWER_INPUT,
                "label": "Svar",
                "isMultiline": True,
                "isRequired": True,
                "errorMessage": "Skriv et svar før du sender.",
                "maxLength": 4000,
            },
            {
                "type": "Input.Toggle",
                "id": HANDBOOK_INPUT,
                "title": "Bør inn i håndboka",
                "value": "false",
                "valueOn": "true",
                "valueOff": "false",
            },
            _text("Ikke skriv personopplysninger i svaret.", isSubtle=True, size="Small"),
        ]
        return _card(body, [_submit("Send svar", _ticket_data(ANSWER, ticket))], fallback=fallback)
    body.append(_text(ticket.answer or "", spacing="Medium"))
    if ticket.for_handbook:
        body.append(_text("Merket: bør inn i håndboka.", isSubtle=True))
    return _card(body, fallback=fallback)


def answer_card(ticket) -> dict:
    """The answer as the asker gets it: their question, the answer, who answered."""
    who = ticket.taken_by_name or "en fagperson"
    body = [
        _title("Svar fra en fagperson", "Medium"),
        {"type": "FactSet", "facts": [{"title": "Du spurte", "value": ticket.question}]},
        _text(ticket.answer or ""),
        _text(f"Besvart av {who}.", isSubtle=True, spacing="Medium"),
    ]
    fallback = f"Svar fra {who} på «{ticket.question}»: {ticket.answer}"
    return _card(body, fallback=fallback)
