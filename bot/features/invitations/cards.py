"""Fredagsprat invitation cards as pure functions: data in, Adaptive Card JSON out.

- :func:`invitation_card`: what a channel, group chat or person gets, from a leader's
  broadcast or from the planner's automatic invitation: when (Oslo time), topic, join link,
  "Legg til i kalender" (the session's .ics), the leader's note, "Jeg kommer" / "Kan ikke";
- :func:`form_card`: the leader's ``inviter`` form (session, optional note, "Send invitasjon");
- :func:`report_card`: the leader's delivery report (delivered, failed and why, waiting; the
  answers so far), updated in place.

Button data carries only ids; the handler re-reads everything else, since data may be forged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.chat import card_actions as ca
from bot.chat.cards import _card, _submit, _text, _title, session_header, session_links, when_text
from bot.store.broadcasts import NO, YES, Report
from schedule import Session, norsk

SEND = "send_invitation"  # the form's "Send invitasjon"
RSVP = "rsvp"  # "Jeg kommer" / "Kan ikke"
SESSION_INPUT = "session"
NOTE_INPUT = "note"
MAX_NOTE = 500
ANSWER_TEXT = {YES: "Jeg kommer", NO: "Kan ikke"}
KIND_NAMES = {"channel": "kanal", "groupChat": "gruppechat", "personal": "personlig chat"}


def invitation_summary(session: Session) -> str:
    day, time = when_text(session)
    topic = f": {session.topic}" if session.topic else ""
    return f"Invitasjon til Fredagsprat {day.lower()} {time}{topic}"


def rsvp_data(session_id: str, broadcast_id: int, answer: str) -> dict:
    return {ca.ACTION: RSVP, "session": session_id, "broadcast": broadcast_id, "answer": answer}


def invitation_card(
    session: Session,
    public_base_url: str,
    *,
    broadcast_id: int = 0,
    note: str = "",
    sent_by: str = "",
    answered: str = "",
) -> dict:
    """The invitation; ``answered`` (a sentence) replaces the card after a button press."""
    body = session_header("Invitasjon til Fredagsprat", session)
    if note:
        who = f"Hilsen fra {sent_by}" if sent_by else "Hilsen fra lederen"
        body.append(_text(f"{who}: {note}", spacing="Medium"))
    if answered:
        body.append(_text(answered, weight="Bolder", color="Good", spacing="Medium"))
    else:
        body.append(_text("Kommer du?", spacing="Medium"))
    body.append(
        {
            "type": "ActionSet",
            "actions": [
                _submit(ANSWER_TEXT[YES], rsvp_data(session.id, broadcast_id, YES)),
                _submit(ANSWER_TEXT[NO], rsvp_data(session.id, broadcast_id, NO)),
            ],
        }
    )
    actions = session_links(session, public_base_url)
    fallback = invitation_summary(session) + f". Bli med: {session.join_url}"
    return _card(body, actions, fallback=fallback)


def answered_text(answer: str, name: str, personal: bool) -> str:
    if personal or not name:
        return f"Du har svart: {ANSWER_TEXT[answer]}. Du kan endre svaret med knappene."
    return f"{name} svarte: {ANSWER_TEXT[answer]}. Alle kan svare med knappene."


def form_card(sessions: Sequence[Session], chosen: str = "") -> dict:
    """The leader's form: which session, an optional note, "Send invitasjon"."""
    choices = []
    for session in sessions:
        topic = f" – {session.topic}" if session.topic else ""
        choices.append(
            {"title": f"{norsk.short_date(session.when.date)}{topic}", "value": session.id}
        )
    chosen = chosen if any(c["value"] == chosen for c in choices) else choices[0]["value"]
    body = [
        _title("Send invitasjon til Fredagsprat"),
        _text(
            "Invitasjonen går til alle kanaler og chatter som abonnerer på Fredagsprat. "
            "Du får en rapport her om hvem som har fått den og hvem som kommer.",
            isSubtle=True,
        ),
        {
            "type": "Input.ChoiceSet",
            "id": SESSION_INPUT,
            "label": "Samling",
            "style": "compact",
            "isRequired": True,
            "errorMessage": "Velg en samling.",
            "value": chosen,
            "choices": choices,
        },
        {
            "type": "Input.Text",
            "id": NOTE_INPUT,
            "label": "Personlig hilsen (valgfritt)",
            "placeholder": "For eksempel: Vi ser den sammen på møterommet.",
            "isMultiline": True,
            "maxLength": MAX_NOTE,
        },
    ]
    actions = [_submit("Send invitasjon", {ca.ACTION: SEND})]
    return _card(body, actions, fallback="Skjema for å sende invitasjon til Fredagsprat.")


_ERROR_CODE = re.compile(r"\b([45]\d\d)\b")


def failure_reason(status: str, error: str) -> str:
    """A short Norwegian reason for a delivery that did not arrive."""
    if status == "expired":
        return "ikke sendt i tide"
    if status == "cancelled":
        return "avlyst"
    if "removed" in error or "uninstalled" in error:
        return "boten er fjernet fra samtalen"
    code = _ERROR_CODE.search(error)
    return f"avvist av Teams (HTTP {code.group(1)})" if code else "feil ved sending"


def report_text(session: Session, report: Report) -> str:
    return (
        f"Invitasjon til Fredagsprat {norsk.short_date(session.when.date)}: "
        f"{report.delivered} av {report.planned} levert, {report.coming} kommer"
    )


def report_card(session: Session, report: Report, failures: Sequence[tuple[str, str]] = ()) -> dict:
    """The leader's report; ``failures`` are (where, why) lines, e.g. ("kanal", "avvist …")."""
    day, time = when_text(session)
    if report.planned == 0:
        status = "Ingen kanaler eller chatter abonnerer på Fredagsprat ennå."
    elif report.waiting:
        status = "Invitasjonen sendes nå."
    else:
        status = "Ferdig sendt."
    facts = [
        {"title": "Samtaler", "value": str(report.planned)},
        {"title": "Levert", "value": str(report.delivered)},
        {"title": "Feilet", "value": str(report.failed)},
        {"title": "Venter", "value": str(report.waiting)},
        {"title": "Kommer", "value": str(report.coming)},
        {"title": "Kan ikke", "value": str(report.not_coming)},
    ]
    body = [
        _title("Invitasjon sendt"),
        _text(f"{day} {time} · {session.topic or 'tema kommer'}", isSubtle=True, spacing="None"),
        _text(status),
        {"type": "FactSet", "facts": facts},
    ]
    for where, why in failures:
        body.append(_text(f"Ikke levert ({where}): {why}", isSubtle=True, spacing="Small"))
    if report.planned == 0:
        body.append(
            _text("En kanal abonnerer når noen skriver «@Rutinebot abonner fredagsprat» der.")
        )
    return _card(body, fallback=report_text(session, report))
