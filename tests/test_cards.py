"""Cards are pure functions: data in, Adaptive Card JSON out."""

import json
from datetime import date

from bot import card_actions as ca
from bot import cards
from handbook import Hit, LegalRef

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


def test_answer_card_has_everything_the_issue_asks_for():
    others = [hit("a", "Alternativ A"), hit("b", "Alternativ B"), hit("c", "Alternativ C")]
    card = cards.answer_card(hit(), others)
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
    votes = [a["data"] for a in actions(card) if a["data"].get(ca.ACTION) == ca.FEEDBACK]
    assert {v["vote"] for v in votes} == {"up", "down"}
    assert all(ca.parse_action(a["data"]) for a in actions(card))
    assert "Vedtak etter § 17" in card["fallbackText"]


def test_shared_card_has_no_buttons():
    card = cards.shared_card(hit())
    assert actions(card) == []


def test_no_answer_card_names_the_contact_and_the_closest():
    card = cards.no_answer_card([hit("klage", "Klage")], "Ola, ola@nav.no")
    text = json.dumps(card, ensure_ascii=False)
    assert "Ola, ola@nav.no" in text
    assert [a["data"]["routine_id"] for a in actions(card)] == ["klage"]


def test_no_answer_card_without_contact():
    assert "fagansvarlig" in json.dumps(cards.no_answer_card([], ""), ensure_ascii=False)


def test_routine_card_is_bounded(shipped_handbook):
    for routine in shipped_handbook.routines:
        card = cards.routine_card(routine)
        assert len(json.dumps(card).encode()) < 28_000
        assert "rutine:" not in json.dumps(card)  # internal links are rewritten


def test_teams_markdown():
    assert cards.teams_markdown("## Se også\n- [Klage](rutine:klage)") == "Se også\n- **Klage**"


def test_welcome_card_per_conversation_type():
    for kind in ("personal", "channel", "groupChat"):
        card = cards.welcome_card(kind)
        assert card["version"] == "1.5"
    assert "@" in json.dumps(cards.welcome_card("channel"), ensure_ascii=False)
