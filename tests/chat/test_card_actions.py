import pytest

from bot.chat import card_actions as ca


def test_round_trip():
    data = ca.action_data(ca.FEEDBACK, routine_id="klage", section="frister", vote="up")
    assert ca.parse_action(data) == ca.CardAction(ca.FEEDBACK, "klage", "frister", "up")


@pytest.mark.parametrize(
    "value",
    [
        None,
        "string",
        [],
        {},
        {"rutinebot": "unknown"},
        {"rutinebot": "feedback", "routine_id": "klage"},
        {"rutinebot": "feedback", "routine_id": "", "vote": "up"},
        {"rutinebot": "feedback", "routine_id": 5, "vote": "up"},
        {"rutinebot": "show_routine"},
        {"rutinebot": "show_routine", "routine_id": "a" * 201},
        {"rutinebot": "ask", "text": ""},
    ],
)
def test_malformed_payloads(value):
    assert ca.parse_action(value) is None
