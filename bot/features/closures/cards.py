"""Reminder cards that can be closed: deadlines, yearly-cycle occurrences and routine reviews.

Pure functions, as :mod:`bot.chat.cards` (data in, Adaptive Card 1.5 JSON out). The reminders are
built from the outbox payload the planner stored; the buttons carry what the closure needs
(kind, item, occurrence), and everything in them is checked again when pressed
(:mod:`bot.features.closures.feature`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.chat import card_actions as ca
from bot.chat.cards import _card, _open, _submit, _text, _title, capital, norwegian_date
from bot.delivery import planner
from bot.delivery.planner import payload_moment
from bot.delivery.reviews import REVIEW_KINDS, REVIEW_OVERDUE, REVIEW_REMINDER
from bot.store.closures import DEADLINE, MAX_NOTE, RECURRING, REVIEW, Closure
from schedule.model import OSLO
from schedule.norsk import clock, long_date

CLOSE_ITEM = "close_item"  # "Markér som evaluert" / "Markér som utført" (with a note)
CLOSE_REVIEW = "close_review"  # "Markér som gjennomgått"
NOTE = "note"  # the Input.Text's id: its value arrives beside the button's data

CARD_KINDS = frozenset(
    {planner.DEADLINE_REMINDER, planner.DEADLINE_OVERDUE, planner.RECURRING_REMINDER} | REVIEW_KINDS
)
HEADINGS = {
    planner.DEADLINE_REMINDER: "Frist for evaluering",
    planner.DEADLINE_OVERDUE: "Fristen for evaluering er passert",
    planner.RECURRING_REMINDER: "Påminnelse fra årshjulet",
    REVIEW_REMINDER: "Rutinen skal gjennomgås",
    REVIEW_OVERDUE: "Rutinen skulle vært gjennomgått",
}
CLOSE_TITLES = {DEADLINE: "Markér som evaluert", RECURRING: "Markér som utført"}
CLOSED_WORDS = {DEADLINE: "Evaluert", RECURRING: "Utført", REVIEW: "Gjennomgått"}


def _when(payload: Mapping[str, Any]) -> str:
    at = payload_moment(payload)
    if at is None:
        return ""
    day = capital(long_date(at.date()))
    return day if payload.get("all_day", True) else f"{day} kl. {clock(at)}"


def reminder_card(
    kind: str, item_id: str, payload: Mapping[str, Any], calendar_url: str = ""
) -> dict | None:
    """The card for an outbox delivery of ``kind``; None for kinds without such a card.

    ``calendar_url`` is the private deadline feed's address, when it is configured.
    """
    if kind in REVIEW_KINDS:
        return review_card(kind, payload)
    if kind not in CARD_KINDS:
        return None
    at = payload_moment(payload)
    closure_kind = RECURRING if kind == planner.RECURRING_REMINDER else DEADLINE
    body = _item_body(kind, payload)
    if kind == planner.DEADLINE_OVERDUE and at is not None:
        body.append(
            _text(
                f"Fristen gikk ut {long_date(at.date())} og er ikke markert som evaluert.",
                color="Attention",
            )
        )
    actions = []
    if at is not None and item_id:
        data = ca_data(CLOSE_ITEM, kind=closure_kind, item_id=item_id, occurrence=at.date())
        actions.append(_close_with_note(CLOSE_TITLES[closure_kind], data))
    if calendar_url:
        actions.append(_open("Åpne fristkalenderen", calendar_url))
    if payload.get("url"):
        actions.append(_open("Åpne lenken", str(payload["url"])))
    fallback = f"{HEADINGS[kind]}: «{payload.get('title', '')}»"
    if at is not None:
        fallback += f", {long_date(at.date())}"
    return _card(body, actions, fallback=fallback)


def ca_data(action: str, **fields: object) -> dict:
    """A button's data: the action id under :data:`bot.chat.card_actions.ACTION`, fields as text."""
    return {ca.ACTION: action, **{k: str(v) for k, v in fields.items()}}


def _close_with_note(title: str, data: dict) -> dict:
    """A button that opens a short, optional note and a "Lagre" that submits both."""
    form = {
        "type": "AdaptiveCard",
        "body": [
            {
                "type": "Input.Text",
                "id": NOTE,
                "label": "Kort notat (valgfritt)",
                "placeholder": "Hva ble gjort? Ikke skriv personopplysninger.",
                "isMultiline": True,
                "maxLength": MAX_NOTE,
            }
        ],
        "actions": [_submit("Lagre", data)],
    }
    return {"type": "Action.ShowCard", "title": title, "card": form}


def _item_body(kind: str, payload: Mapping[str, Any]) -> list[dict]:
    facts = []
    when = _when(payload)
    if when:
        label = "Skal gjøres" if kind == planner.RECURRING_REMINDER else "Frist"
        facts.append({"title": label, "value": when})
    if payload.get("responsible"):
        facts.append({"title": "Ansvarlig", "value": str(payload["responsible"])})
    body = [
        _title(HEADINGS.get(kind, "Påminnelse")),
        _text(str(payload.get("title") or ""), weight="Bolder", spacing="None"),
    ]
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    if payload.get("detail"):
        label = "Hva" if kind == planner.RECURRING_REMINDER else "Skal evalueres"
        body.append(_text(f"**{label}:** {payload['detail']}"))
    return body


def closed_card(kind: str, payload: Mapping[str, Any], closure: Closure) -> dict:
    """The reminder after "Markér som evaluert": who closed it and when, the note."""
    body = _item_body(kind, payload)
    body.append(_closed_line(closure))
    if closure.note:
        body.append(_text(f"Notat: {closure.note}", spacing="Small"))
    return _card(body, fallback=f"{payload.get('title', '')}: {closed_text(closure)}")


def closed_text(closure: Closure) -> str:
    word = CLOSED_WORDS.get(closure.kind, "Lukket")
    return f"{word} av {closure.closed_by_name or 'ukjent'} {closed_day(closure)}"


def closed_day(closure: Closure) -> str:
    """The day ``closure`` was made (Oslo), as dd.mm.yyyy."""
    return norwegian_date(closure.closed_at.astimezone(OSLO).date())


def _closed_line(closure: Closure) -> dict:
    return _text(f"✅ {closed_text(closure)}", weight="Bolder", color="Good")


# -- routine reviews ---------------------------------------------------------------------------


def _date(payload: Mapping[str, Any], key: str) -> date | None:
    try:
        return date.fromisoformat(str(payload[key]))
    except (KeyError, ValueError):
        return None


def review_summary(kind: str, payload: Mapping[str, Any]) -> str:
    title = payload.get("title", "")
    review_by = _date(payload, "review_by")
    day = long_date(review_by) if review_by else ""
    if kind == REVIEW_OVERDUE:
        return f"Rutinen «{title}» skulle vært gjennomgått innen {day}."
    return f"Rutinen «{title}» skal gjennomgås innen {day}."


def _review_body(kind: str, payload: Mapping[str, Any]) -> list[dict]:
    facts = [{"title": "Rutine", "value": str(payload.get("routine_id", ""))}]
    if payload.get("owner"):
        facts.append({"title": "Eier", "value": str(payload["owner"])})
    for key, label in (("revised", "Revidert"), ("review_by", "Gjennomgås innen")):
        day = _date(payload, key)
        if day:
            facts.append({"title": label, "value": norwegian_date(day)})
    return [
        _title(HEADINGS[kind]),
        _text(str(payload.get("title") or ""), weight="Bolder", spacing="None"),
        {"type": "FactSet", "facts": facts},
    ]


def review_card(kind: str, payload: Mapping[str, Any]) -> dict:
    body = _review_body(kind, payload)
    if kind == REVIEW_OVERDUE:
        body.append(_text("Datoen for gjennomgang er passert.", color="Attention"))
    else:
        body.append(_text("Gå gjennom rutinen og oppdater den i rutinehåndboka før datoen."))
    routine_id = str(payload.get("routine_id", ""))
    actions = [
        _submit(
            "Markér som gjennomgått",
            ca_data(CLOSE_REVIEW, routine_id=routine_id, review_by=payload.get("review_by", "")),
        ),
        _submit("Vis hele rutinen", ca.action_data(ca.SHOW_ROUTINE, routine_id=routine_id)),
    ]
    return _card(body, actions, fallback=review_summary(kind, payload))


def review_closed_card(
    kind: str, payload: Mapping[str, Any], closure: Closure, revised: date, review_by: date
) -> dict:
    """After "Markér som gjennomgått": who and when, and the dates to write in the file."""
    body = _review_body(kind, payload)
    body.append(_closed_line(closure))
    body.append(
        _text(
            f"Skriv de nye datoene i rutinefila ({payload.get('routine_id', '')}.md), som er "
            "fasit for håndboka:",
            spacing="Medium",
        )
    )
    body.append(
        _text(
            f"revised: {revised.isoformat()}\n\nreview_by: {review_by.isoformat()}",
            fontType="Monospace",
            spacing="Small",
        )
    )
    fallback = (
        f"{closed_text(closure)}. Skriv i rutinefila: revised: {revised.isoformat()}, "
        f"review_by: {review_by.isoformat()}."
    )
    return _card(body, fallback=fallback)
