"""Cards are pure functions: data in, Adaptive Card JSON out."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.chat import card_actions as ca
from bot.chat import cards
from handbook import Hit, LegalRef, Routine, Section
from handbook.model import INTRO_ANCHOR, INTRO_HEADING

STL17 = LegalRef(
    "stl", "17", "sosialtjenesteloven § 17", "https://lovdata.no/lov/2009-12-18-131/§17"
)


def hit(routine_id="vedtak", title="Vedtak etter § 17", section="Slik skriver du vedtaket"):
    return Hit(
        routine_id=routine_id,
        title=title,
        section=section,
        section_anchor="slik-skriver-du-vedtaket",
        excerpt="Skriv **vedtak** hver gang.",
        score=3.0,
        legal=(STL17,),
        revised=date(2026, 9, 15),
    )


def actions(card) -> list[dict]:
    found = list(card.get("actions", []))
    for element in card["body"]:
        found += element.get("actions", [])
    return found


BASE = "https://rutinebot.example.no"


def test_answer_card_has_everything_the_issue_asks_for():
    others = [hit("a", "Alternativ A"), hit("b", "Alternativ B"), hit("c", "Alternativ C")]
    card = cards.answer_card(hit(), others, BASE)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    text = json.dumps(card, ensure_ascii=False)
    assert "Vedtak etter § 17" in text and "Slik skriver du vedtaket" in text
    assert "Skriv **vedtak** hver gang." in text
    assert "[sosialtjenesteloven § 17](https://lovdata.no/lov/2009-12-18-131/%C2%A717)" in text
    assert "15.09.2026" in text
    titles = [a["title"] for a in actions(card)]
    assert titles.count("Vis hele rutinen") == 1
    assert "Alternativ A" in titles and "Alternativ B" in titles
    assert "Alternativ C" not in titles  # at most two "Se også"
    submits = [a for a in actions(card) if a["type"] == "Action.Submit"]
    votes = [a["data"] for a in submits if a["data"].get(ca.ACTION) == ca.FEEDBACK]
    assert {v["vote"] for v in votes} == {"up", "down"} and len(submits) == 2
    assert all(ca.parse_action(a["data"]) for a in submits)
    assert "Vedtak etter § 17" in card["fallbackText"]
    assert f"{BASE}/rutiner/vedtak#slik-skriver-du-vedtaket" in card["fallbackText"]


def test_whole_routine_and_see_also_open_the_routines_web_pages():
    card = cards.answer_card(hit(), [hit("klage", "Klage")], BASE + "/")
    opened = {a["title"]: a["url"] for a in actions(card) if a["type"] == "Action.OpenUrl"}
    assert opened == {
        "Vis hele rutinen": f"{BASE}/rutiner/vedtak#slik-skriver-du-vedtaket",
        "Klage": f"{BASE}/rutiner/klage#slik-skriver-du-vedtaket",
    }


def test_without_a_base_url_the_routine_is_shown_in_the_chat():
    card = cards.answer_card(hit())
    [show] = [a for a in actions(card) if a["title"] == "Vis hele rutinen"]
    action = ca.parse_action(show["data"])
    assert (action.action, action.routine_id) == (ca.SHOW_ROUTINE, "vedtak")


def test_shared_card_opens_the_routine_and_never_talks_to_the_bot():
    card = cards.shared_card(hit(), BASE)
    assert actions(card) == [
        {
            "type": "Action.OpenUrl",
            "title": "Vis hele rutinen",
            "url": f"{BASE}/rutiner/vedtak#slik-skriver-du-vedtaket",
        }
    ]
    assert actions(cards.shared_card(hit())) == []  # nowhere to link to: no buttons at all


def test_no_answer_card_names_the_contact_and_the_closest():
    card = cards.no_answer_card([hit("klage", "Klage")], "Ola, ola@nav.no", BASE)
    text = json.dumps(card, ensure_ascii=False)
    assert "Ola, ola@nav.no" in text
    assert [a["url"] for a in actions(card)] == [f"{BASE}/rutiner/klage#slik-skriver-du-vedtaket"]


def test_no_answer_card_without_contact():
    assert "fagansvarlig" in json.dumps(cards.no_answer_card([], ""), ensure_ascii=False)


def test_routine_card_is_bounded(shipped_handbook):
    for routine in shipped_handbook.routines:
        card = cards.routine_card(routine)
        assert len(json.dumps(card).encode()) < 28_000
        assert "rutine:" not in json.dumps(card)  # internal links are rewritten


def test_routine_card_starts_with_the_introduction_and_marks_the_focus(shipped_handbook):
    routine = shipped_handbook.routine("godkjenning-vedtak")
    texts = [item.get("text", "") for item in cards.routine_card(routine, INTRO_ANCHOR)["body"]]
    heading = texts.index(INTRO_HEADING + "  ◀")
    assert texts[heading + 1].startswith("Ingen vedtak om sosiale tjenester sendes ut")
    assert texts.index(routine.sections[0].heading) > heading


def test_routine_card_and_list_link_to_the_web(shipped_handbook):
    routine = shipped_handbook.routine("klage")
    card = cards.routine_card(routine, routine.sections[1].anchor, BASE)
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Åpne i nettleseren",
            "url": f"{BASE}/rutiner/klage#{routine.sections[1].anchor}",
        }
    ]
    assert "actions" not in cards.routine_card(routine)
    listing = cards.routine_list_card(shipped_handbook.routines, BASE + "/")
    assert [a["url"] for a in listing["actions"]] == [f"{BASE}/rutiner"]


def test_teams_markdown():
    assert cards.teams_markdown("## Se også\n- [Klage](rutine:klage)") == "Se også\n- **Klage**"


def test_welcome_card_per_conversation_type():
    for kind in ("personal", "channel", "groupChat"):
        card = cards.welcome_card(kind)
        assert card["version"] == "1.5"
    assert "@" in json.dumps(cards.welcome_card("channel"), ensure_ascii=False)


def test_a_routine_not_quality_assured_says_so_on_every_card_that_shows_it():
    unassured = replace(hit(), revised=None, legal=(), missing=("owner", "revised", "legal"))
    note = "Ikke kvalitetssikret ennå – eier, revisjonsdato og lovgrunnlag mangler"
    for card in (cards.answer_card(unassured), cards.shared_card(unassured, BASE)):
        [marking] = [b for b in card["body"] if note in str(b.get("text", ""))]
        assert marking["color"] == "Warning"
        assert "Revidert" not in json.dumps(card, ensure_ascii=False)  # no date to show
        assert note in card["fallbackText"]
    assigned = cards.answer_card(hit())
    assert "Ikke kvalitetssikret" not in json.dumps(assigned, ensure_ascii=False)


def test_the_whole_routine_card_marks_a_routine_not_quality_assured():
    routine = Routine(
        id="tolk",
        title="Tolk",
        owner=None,
        revised=None,
        review_by=None,
        legal=(),
        sections=(Section("Bestilling", "bestilling", "Bestill tolk i god tid.", 5),),
        path=Path("tolk.md"),
        missing_at=(("owner", 3), ("revised", 4), ("review_by", 5), ("legal", 6)),
    )
    card = cards.routine_card(routine)
    text = json.dumps(card, ensure_ascii=False)
    assert "Ikke kvalitetssikret ennå – eier, revisjonsdato og lovgrunnlag mangler" in text
    assert "Eier:" not in text and "None" not in text
    filled = replace(routine, owner="Fagleder", revised=date(2026, 1, 5), missing_at=())
    text = json.dumps(cards.routine_card(filled), ensure_ascii=False)
    assert "Ikke kvalitetssikret" not in text and "Eier: Fagleder · revidert 05.01.2026" in text
