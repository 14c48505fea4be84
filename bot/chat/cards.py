"""Adaptive Cards as pure functions: data in, card JSON (a dict) out.

No Bot Framework types here: the handler wraps a card into an attachment when it sends it.
Cards use schema version 1.5, the newest that Teams renders on desktop, web and mobile, and
only elements that all three support (TextBlock with Teams' Markdown subset, FactSet,
ActionSet, Action.Submit, Action.OpenUrl). Each card has a ``fallbackText`` for clients that
cannot show it, and :func:`plain_text` gives the same content as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from urllib.parse import quote

from bot.chat import card_actions as ca
from bot.chat.commands import COMMANDS
from bot.chat.routine_links import ROUTINES_PATH, routine_url
from handbook import Hit, LegalRef, Routine
from schedule import OSLO, Session, SessionStatus, norsk

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
THUMBNAIL = "application/vnd.microsoft.card.thumbnail"
VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
# Teams refuses messages over ~28 KB; keep a whole routine well below that.
MAX_ROUTINE_CHARS = 12_000

EXAMPLES = (
    "hvordan skriver jeg vedtak etter § 17?",
    "bruker søkte muntlig på telefon, hva nå?",
    "jeg er inhabil i en sak",
)


def norwegian_date(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def lovdata_url(ref: LegalRef) -> str:
    return quote(ref.url, safe=":/?#=&-.,")


def legal_markdown(refs: Sequence[LegalRef]) -> str:
    return " · ".join(f"[{ref.text}]({lovdata_url(ref)})" for ref in refs)


_ROUTINE_LINK = re.compile(r"\[([^\]]+)\]\(rutine:([a-z0-9-]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def teams_markdown(body: str) -> str:
    """Routine Markdown reduced to what a Teams TextBlock renders: links to other routines
    become bold titles, headings become bold lines."""
    body = _ROUTINE_LINK.sub(r"**\1**", body)
    return _HEADING.sub("", body).strip()


def _card(body: list[dict], actions: list[dict] | None = None, fallback: str = "") -> dict:
    card = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    if actions:
        card["actions"] = actions
    if fallback:
        card["fallbackText"] = fallback
    return card


def _text(text: str, **style) -> dict:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _title(text: str, size: str = "Large") -> dict:
    """A card's heading."""
    return _text(text, size=size, weight="Bolder", style="heading")


def _submit(title: str, data: dict, **extra) -> dict:
    return {"type": "Action.Submit", "title": title, "data": data, **extra}


def _open(title: str, url: str) -> dict:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def _show(
    routine_id: str, section: str = "", title: str = "Vis hele rutinen", base_url: str = ""
) -> dict:
    """A button that shows a whole routine: its web page at the section (``base_url`` is
    ``PUBLIC_BASE_URL``), or without one the routine as a card in the chat."""
    if base_url:
        return _open(title, routine_url(base_url, routine_id, section))
    return _submit(title, ca.action_data(ca.SHOW_ROUTINE, routine_id=routine_id, section=section))


FEEDBACK_THANKS = "Takk for tilbakemeldingen."
SEE_ALSO_FIELD = "see_also"  # on the vote buttons: "routine#anchor,routine#anchor"


def _vote(hit: Hit, vote: str, title: str, question: str = "", see_also: str = "") -> dict:
    data = ca.action_data(
        ca.FEEDBACK, routine_id=hit.routine_id, section=hit.section_anchor, vote=vote
    )
    # What redrawing the card after the vote needs (bot.chat.feedback), and what "Ikke nyttig"
    # passes on to "Spør en fagperson" (bot.features.tickets.feature): the question and the "Se også" sections.
    if question:
        data["question"] = question
    if see_also:
        data[SEE_ALSO_FIELD] = see_also
    return _submit(title, data)


def _hit_body(hit: Hit) -> list[dict]:
    body = [
        _title(hit.title),
        _text(hit.section, weight="Bolder", isSubtle=True, spacing="None"),
        _text(hit.excerpt),
    ]
    facts = []
    if hit.legal:
        facts.append({"title": "Lovgrunnlag", "value": legal_markdown(hit.legal)})
    if hit.revised:
        facts.append({"title": "Revidert", "value": norwegian_date(hit.revised)})
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    if hit.not_assured:
        body.append(_not_assured(hit.not_assured))
    return body


def _not_assured(note: str) -> dict:
    """The marking of a routine whose owner, dates or legal basis are not filled in yet."""
    return _text(f"⚠ {note}", color="Warning", weight="Bolder", spacing="Small")


def answer_card(
    hit: Hit,
    see_also: Sequence[Hit] = (),
    public_base_url: str = "",
    question: str = "",
    thanked: bool = False,
) -> dict:
    """The answer to a question: the best section, its source, and what to do next.
    With ``public_base_url``, "Vis hele rutinen" and "Se også" open the routines' web pages;
    ``question`` rides on the vote buttons ("Ikke nyttig" then offers "Spør en fagperson").
    ``thanked``: the same card after a vote, the vote buttons replaced by a thank-you."""
    body = _hit_body(hit)
    alternatives = list(see_also)[:2]
    if alternatives:
        body.append(_text("Se også", weight="Bolder", spacing="Medium"))
        body.append(
            {
                "type": "ActionSet",
                "actions": [
                    _show(other.routine_id, other.section_anchor, other.title, public_base_url)
                    for other in alternatives
                ],
            }
        )
    if thanked:
        body.append(_text(FEEDBACK_THANKS, spacing="Medium"))
    else:
        shown = ",".join(f"{other.routine_id}#{other.section_anchor}" for other in alternatives)
        body.append(_text("Var svaret nyttig?", isSubtle=True, spacing="Medium"))
        body.append(
            {
                "type": "ActionSet",
                "actions": [
                    _vote(hit, ca.VOTE_UP, "Nyttig", question, shown),
                    _vote(hit, ca.VOTE_DOWN, "Ikke nyttig", question, shown),
                ],
            }
        )
    actions = [_show(hit.routine_id, hit.section_anchor, base_url=public_base_url)]
    return _card(body, actions, fallback=plain_text_answer(hit, alternatives, public_base_url))


def plain_text_answer(hit: Hit, see_also: Sequence[Hit] = (), public_base_url: str = "") -> str:
    lines = [f"{hit.title} – {hit.section}", "", hit.excerpt.replace("**", "")]
    if hit.legal:
        lines += ["", "Lovgrunnlag: " + ", ".join(f"{r.text} ({r.url})" for r in hit.legal)]
    whole = (
        routine_url(public_base_url, hit.routine_id, hit.section_anchor)
        if public_base_url
        else f"Skriv «rutine {hit.routine_id}» for hele."
    )
    if hit.not_assured:
        lines.append(f"{hit.not_assured}.")
    if hit.revised:
        whole = f"Revidert {norwegian_date(hit.revised)}. {whole}"
    lines.append(whole)
    if see_also:
        lines.append("Se også: " + ", ".join(f"{h.title} ({h.routine_id})" for h in see_also))
    return "\n".join(lines)


def preview_card(hit: Hit) -> dict:
    """The small preview a compose-box search shows for a hit (a thumbnail card)."""
    excerpt = hit.excerpt.replace("**", "")
    return {
        "contentType": THUMBNAIL,
        "content": {"title": hit.title, "subtitle": hit.section, "text": excerpt[:200]},
    }


def shared_card(hit: Hit, public_base_url: str = "") -> dict:
    """The card a caseworker drops into a conversation from the compose box. The bot need not
    be a member of that conversation, so no button talks to it; with ``public_base_url``,
    "Vis hele rutinen" opens the routine's web page."""
    actions = [_show(hit.routine_id, hit.section_anchor, base_url=public_base_url)]
    return _card(
        _hit_body(hit),
        actions if public_base_url else None,
        fallback=plain_text_answer(hit, public_base_url=public_base_url),
    )


def routine_card(routine: Routine, focus: str = "", public_base_url: str = "") -> dict:
    """A whole routine; ``focus`` (a section anchor) is marked so the reader finds their place.
    With ``public_base_url``, a button opens the routine's web page (all of it, however long)."""
    facts = [
        f"{label}{norwegian_date(value) if isinstance(value, date) else value}"
        for label, value in (
            ("Eier: ", routine.owner),
            ("revidert ", routine.revised),
            ("neste gjennomgang ", routine.review_by),
        )
        if value
    ]
    body = [_title(routine.title)]
    if facts:
        body.append(_text(" · ".join(facts), isSubtle=True, spacing="None"))
    if routine.not_assured:
        body.append(_not_assured(routine.not_assured))
    if routine.legal:
        body.append(_text("Lovgrunnlag: " + legal_markdown(routine.legal)))
    used = 0
    truncated = False
    intro = routine.intro()
    for section in (intro, *routine.sections) if intro else routine.sections:
        text = teams_markdown(section.body)
        if used + len(text) > MAX_ROUTINE_CHARS:
            truncated = True
            break
        used += len(text)
        heading = section.heading + ("  ◀" if focus and focus == section.anchor else "")
        body.append(_text(heading, weight="Bolder", spacing="Medium"))
        if text:
            body.append(_text(text, spacing="Small"))
    if truncated:
        body.append(_text("Rutinen er for lang til å vises her i sin helhet.", isSubtle=True))
    fallback = routine.title + (
        f" (revidert {norwegian_date(routine.revised)})" if routine.revised else ""
    )
    actions = None
    if public_base_url:
        actions = [_open("Åpne i nettleseren", routine_url(public_base_url, routine.id, focus))]
    return _card(body, actions, fallback=fallback)


def no_answer_card(closest: Sequence[Hit], contact: str, public_base_url: str = "") -> dict:
    body = [
        _text("Jeg fant ikke et sikkert svar i rutinehåndboka.", weight="Bolder"),
        _text("Spørsmålet er notert, så de som skriver håndboka kan se hva som mangler."),
    ]
    if closest:
        body.append(_text("Kanskje en av disse rutinene hjelper:", spacing="Medium"))
        body.append(
            {
                "type": "ActionSet",
                "actions": [
                    _show(h.routine_id, h.section_anchor, h.title, public_base_url) for h in closest
                ],
            }
        )
    if contact:
        body.append(_text(f"Rutinehåndboka eies av {contact}.", spacing="Medium"))
    else:
        body.append(_text("Spør fagansvarlig ved kontoret.", spacing="Medium"))
    return _card(body, fallback=plain_text_no_answer(closest, contact))


def plain_text_no_answer(closest: Sequence[Hit], contact: str) -> str:
    text = "Jeg fant ikke et sikkert svar i rutinehåndboka. Spørsmålet er notert."
    if closest:
        text += " Nærmeste rutiner: " + ", ".join(f"{h.title} ({h.routine_id})" for h in closest)
        text += "."
    return text + (f" Rutinehåndboka eies av {contact}." if contact else "")


def help_card() -> dict:
    body = [
        _title("Rutinebot"),
        _text(
            "Still et spørsmål om hvordan vi gjør noe her på kontoret, så svarer jeg med "
            "rutinen fra rutinehåndboka og lovgrunnlaget. I kanaler og gruppechatter: "
            "nevn meg med @."
        ),
        {
            "type": "FactSet",
            "facts": [{"title": c.usage, "value": c.help} for c in COMMANDS],
        },
        _text("Prøv for eksempel:", spacing="Medium"),
    ]
    actions = [_submit(q, ca.action_data(ca.ASK, text=q)) for q in EXAMPLES]
    body.append({"type": "ActionSet", "actions": actions})
    body.append(
        _text(
            "Ikke skriv personopplysninger, som fødselsnummer eller navn på brukere, til meg.",
            isSubtle=True,
            spacing="Medium",
        )
    )
    return _card(body, fallback=plain_text_help())


def plain_text_help() -> str:
    lines = ["Still et spørsmål om en rutine, eller bruk en kommando:"]
    lines += [f"- {c.usage}: {c.help}" for c in COMMANDS]
    return "\n".join(lines)


def welcome_card(conversation_type: str) -> dict:
    where = {
        "personal": "Skriv spørsmålet ditt her, så svarer jeg med kontorets rutine.",
        "channel": "Nevn meg med @Rutinebot og spørsmålet ditt, så svarer jeg i tråden.",
        "groupChat": "Nevn meg med @Rutinebot og spørsmålet ditt, så svarer jeg her.",
    }.get(conversation_type, "Still et spørsmål, så svarer jeg med kontorets rutine.")
    body = [
        _title("Hei! Jeg er Rutinebot."),
        _text(
            "Jeg finner kontorets rutiner for sosiale tjenester i rutinehåndboka, med "
            "lovgrunnlag og dato for siste revisjon. " + where
        ),
        _text("Prøv for eksempel:", spacing="Medium"),
        {
            "type": "ActionSet",
            "actions": [_submit(q, ca.action_data(ca.ASK, text=q)) for q in EXAMPLES[:2]],
        },
        _text(
            "Skriv «hjelp» for alle kommandoene. Ikke del personopplysninger med meg.",
            isSubtle=True,
        ),
    ]
    if conversation_type == "channel":
        body += _subscribe_choice()
    return _card(body, fallback="Hei! Jeg er Rutinebot. " + where)


def _subscribe_choice() -> list[dict]:
    """A team's welcome: what this channel should get (invitations, deadline reminders)."""
    buttons = [
        _submit(title, {ca.ACTION: ca.SUBSCRIBE, "topic": topic})
        for topic, title in ca.SUBSCRIBE_CHOICES.items()
    ]
    return [
        _text(
            "Skal kanalen få invitasjoner og påminnelser om Fredagsprat, påminnelser om "
            "frister i tiltaksplanen, eller begge deler?",
            spacing="Medium",
        ),
        {"type": "ActionSet", "actions": buttons},
    ]


def routine_list_card(routines: Sequence[Routine], public_base_url: str = "") -> dict:
    """Every routine by id; with ``public_base_url``, a button opens the list on the web."""
    facts = [{"title": r.id, "value": r.title} for r in routines]
    body = [
        _text("Rutiner i håndboka", weight="Bolder", size="Medium"),
        _text("Skriv «rutine» og id-en, for eksempel «rutine klage».", isSubtle=True),
        {"type": "FactSet", "facts": facts},
    ]
    actions = None
    if public_base_url:
        url = public_base_url.rstrip("/") + ROUTINES_PATH
        actions = [_open("Alle rutiner etter tema", url)]
    return _card(body, actions, fallback="Rutiner: " + ", ".join(r.id for r in routines))


def session_text(session: Session, now: datetime) -> str:
    """The next Fredagsprat in one paragraph (also the card's fallback)."""
    when = session.when
    day = norsk.long_date(when.date)
    lines = [f"Neste Fredagsprat: {day} kl. {norsk.time_range(when.start, when.end)}."]
    if session.status == SessionStatus.MOVED:
        old = session.slot
        lines.append(f"Flyttet fra {norsk.long_date(old.date)}.")
    if session.topic:
        lines.append(f"Tema: {session.topic}.")
    elif session.topic_published and session.topic_published > now.astimezone(OSLO).date():
        lines.append(f"Temaet legges ut {norsk.long_date(session.topic_published)}.")
    else:
        lines.append("Temaet er ikke lagt ut ennå.")
    return " ".join(lines)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def when_text(session: Session) -> tuple[str, str]:
    """(``Fredag 27. november 2026``, ``kl. 12:00–13:00``) in Oslo time."""
    when = session.when
    return capital(norsk.long_date(when.date)), f"kl. {norsk.time_range(when.start, when.end)}"


def ics_url(session: Session, public_base_url: str) -> str:
    return f"{public_base_url.rstrip('/')}/calendar/fredagsprat/{quote(session.id)}.ics"


def session_links(session: Session, public_base_url: str) -> list[dict]:
    """A Fredagsprat card's buttons to join the meeting and to add it to a calendar."""
    return [
        _open("Bli med i Teams-møtet", session.join_url),
        _open("Legg til i kalender", ics_url(session, public_base_url)),
    ]


def session_header(heading: str, session: Session) -> list[dict]:
    """A Fredagsprat card's top: heading, title, when and topic, and where it was moved from."""
    day, time = when_text(session)
    facts = [
        {"title": "Når", "value": day},
        {"title": "Tid", "value": time},
        {"title": "Tema", "value": session.topic or "Kommer"},
    ]
    body = [
        _title(heading),
        _text(session.title, isSubtle=True, spacing="None"),
        {"type": "FactSet", "facts": facts},
    ]
    if session.status == SessionStatus.MOVED:
        body.append(_text(f"Flyttet fra {norsk.long_date(session.slot.date)}.", color="Attention"))
    return body


def session_card(session: Session, now: datetime, public_base_url: str) -> dict:
    """The next Fredagsprat: when, topic, and links to join, to the calendar and to the page."""
    body = session_header("Neste Fredagsprat", session)
    if session.note:
        body.append(_text(session.note))
    actions = [
        *session_links(session, public_base_url),
        _open("Alle samlingene", f"{public_base_url.rstrip('/')}/"),
    ]
    return _card(body, actions, fallback=session_text(session, now))
