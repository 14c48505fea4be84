import pytest

from bot.chat.commands import COMMANDS, Command, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hjelp", Command("help")),
        ("Hjelp!", Command("help")),
        ("help", Command("help")),
        ("/help", Command("help")),
        ("?", Command("help")),
        ("søk muntlig søknad", Command("search", "muntlig søknad")),
        ("Søk   muntlig  søknad", Command("search", "muntlig søknad")),
        ("sok okonomisk radgivning", Command("search", "okonomisk radgivning")),
        ("search klage", Command("search", "klage")),
        ("rutine klage", Command("routine", "klage")),
        ("routine klage", Command("routine", "klage")),
        ("rutine", Command("routine", "")),
        ("neste fredagsprat", Command("next_session")),
        ("Neste Fredagsprat?", Command("next_session")),
        ("abonner", Command("subscribe")),
        ("subscribe", Command("subscribe")),
        ("avslutt abonnement", Command("unsubscribe")),
        ("unsubscribe", Command("unsubscribe")),
        ("abonner fredagsprat", Command("subscribe", "fredagsprat")),
        ("abonner på frister", Command("subscribe", "frister")),
        ("Abonner på påminnelser.", Command("subscribe", "frister")),
        ("avslutt abonnement fredagsprat", Command("unsubscribe", "fredagsprat")),
    ],
)
def test_commands(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "hvordan skriver jeg vedtak etter § 17?",
        "hjelp meg med et vedtak",
        "søknad om nødhjelp",
        "rutiner for klage",
        "abonnerer vi på noe?",
        "abonner på nyhetsbrevet",
        "avslutt saken hvordan gjør jeg det",
        "",
    ],
)
def test_everything_else_is_a_question(text):
    assert parse(text) == Command("question", text.strip())


def test_every_command_has_usage_help_and_a_bokmal_word():
    for spec in COMMANDS:
        assert spec.usage and spec.help and spec.words
        assert parse(spec.words[0] + (" x" if spec.takes_argument else "")).kind == spec.kind
