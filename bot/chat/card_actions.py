"""Card action ids and payload fields, shared by :mod:`bot.chat.cards` (which puts them on buttons)
and :mod:`bot.chat.commands` (which reads them back from a button press).

A button press arrives as a message whose ``value`` is the button's ``data``; anything in it
may be forged, so :func:`parse_action` checks every field.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTION = "rutinebot"  # key of the action id in a button's data

SHOW_ROUTINE = "show_routine"  # "Vis hele rutinen" and "Se også"
FEEDBACK = "feedback"  # "Nyttig" / "Ikke nyttig"
ASK = "ask"  # a suggested question (help card)

ACTIONS = (SHOW_ROUTINE, FEEDBACK, ASK)

# The team welcome card's subscription buttons (routed with ``Replies.on_action``, see
# bot/features/welcome/feature.py): ``{ACTION: SUBSCRIBE, "topic": one of SUBSCRIBE_CHOICES}``.
SUBSCRIBE = "subscribe"
SUBSCRIBE_CHOICES = {"fredagsprat": "Fredagsprat", "frister": "Frister", "begge": "Begge"}

VOTE_UP = "up"
VOTE_DOWN = "down"

MAX_FIELD = 200


@dataclass(frozen=True)
class CardAction:
    action: str
    routine_id: str = ""
    section: str = ""
    vote: str = ""
    text: str = ""


def action_data(action: str, **fields: str) -> dict:
    """The ``data`` of an ``Action.Submit`` button."""
    assert action in ACTIONS, action
    return {ACTION: action, **fields}


def parse_action(value: object) -> CardAction | None:
    """The action a button press asks for, or None if the payload is missing or malformed."""
    if not isinstance(value, dict):
        return None
    action = value.get(ACTION)
    if action not in ACTIONS:
        return None
    fields = {}
    for name in ("routine_id", "section", "vote", "text"):
        field = value.get(name, "")
        if not isinstance(field, str) or len(field) > MAX_FIELD:
            return None
        fields[name] = field.strip()
    if action == FEEDBACK and (
        fields["vote"] not in (VOTE_UP, VOTE_DOWN) or not fields["routine_id"]
    ):
        return None
    if action == SHOW_ROUTINE and not fields["routine_id"]:
        return None
    if action == ASK and not fields["text"]:
        return None
    return CardAction(action=action, **fields)
