"""What a chat message asks for: a command (bokmål, with the obvious English) or a question.

    >>> parse("søk muntlig søknad")
    Command(kind='search', argument='muntlig søknad')
    >>> parse("Hvordan skriver jeg vedtak etter § 17?").kind
    'question'
    >>> parse("abonner på frister")
    Command(kind='subscribe', argument='frister')

:data:`COMMANDS` is the one list of commands: the help card, the Teams manifest's command
list and docs/teams.md are made from or checked against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HELP = "help"
SEARCH = "search"
ROUTINE = "routine"
NEXT_SESSION = "next_session"
SUBSCRIBE = "subscribe"
UNSUBSCRIBE = "unsubscribe"
INVITE = "invite"
PROPOSE_TOPIC = "propose_topic"
ORGANISERS_CHANNEL = "organisers_channel"
EXPERT_CHANNEL = "expert_channel"
OWNER_CHANNEL = "owner_channel"
QUESTION = "question"

# Subscription topics as users write them → the store's topic names.
TOPIC_ALIASES = {
    "fredagsprat": "fredagsprat",
    "fredagsprater": "fredagsprat",
    "invitasjoner": "fredagsprat",
    "frister": "frister",
    "frist": "frister",
    "påminnelser": "frister",
    "deadlines": "frister",
}
TOPIC_WORDS = tuple(TOPIC_ALIASES)
_FILLER = ("på ", "for ", "til ", "om ")


@dataclass(frozen=True)
class CommandSpec:
    kind: str
    usage: str  # as shown to users, bokmål
    help: str  # one line, bokmål
    words: tuple[str, ...]  # what a message may start with (lower case; bokmål first)
    takes_argument: bool = False
    # When set, the command takes an optional argument, which must be one of these words;
    # anything else makes the message a question ("avslutt saken …" is not "avslutt").
    choices: tuple[str, ...] = ()
    # Listed in the Teams manifest's command menu (at most 10 per scope there); the one-off
    # setup commands for leaders are typed, and listed by «hjelp».
    in_manifest: bool = True


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(HELP, "hjelp", "viser hva jeg kan", ("hjelp", "help", "?")),
    CommandSpec(
        SEARCH,
        "søk <tekst>",
        "søker i rutinehåndboka",
        ("søk", "sok", "search"),
        takes_argument=True,
    ),
    CommandSpec(
        ROUTINE,
        "rutine <id>",
        "viser en hel rutine (uten id: alle rutinene)",
        ("rutine", "routine"),
        takes_argument=True,
    ),
    CommandSpec(
        NEXT_SESSION,
        "neste fredagsprat",
        "når er neste Fredagsprat med Statsforvalteren",
        ("neste fredagsprat", "next fredagsprat", "fredagsprat", "next session"),
    ),
    CommandSpec(
        SUBSCRIBE,
        "abonner",
        "denne samtalen får invitasjoner og påminnelser (bare én sort: «abonner frister»)",
        ("abonner", "subscribe"),
        choices=TOPIC_WORDS,
    ),
    CommandSpec(
        UNSUBSCRIBE,
        "avslutt abonnement",
        "stopper invitasjoner og påminnelser i denne samtalen",
        ("avslutt abonnement", "avslutt", "unsubscribe", "stopp abonnement"),
        choices=TOPIC_WORDS,
    ),
    CommandSpec(
        INVITE,
        "inviter",
        "for ledere: sender invitasjon til Fredagsprat til alle som abonnerer",
        ("inviter", "invite"),
        takes_argument=True,
    ),
    CommandSpec(
        PROPOSE_TOPIC,
        "foreslå tema <tekst>",
        "foreslår et tema for Fredagsprat til arrangørene",
        ("foreslå tema", "foresla tema", "temaforslag"),
        takes_argument=True,
    ),
    CommandSpec(
        ORGANISERS_CHANNEL,
        "arrangørkanal",
        "for ledere: temaforslag til Fredagsprat kommer hit",
        ("arrangørkanal", "arrangorkanal"),
        in_manifest=False,
    ),
    CommandSpec(
        EXPERT_CHANNEL,
        "ekspertkanal",
        "for ledere: spørsmål til en fagperson kommer hit",
        ("ekspertkanal",),
        in_manifest=False,
    ),
    CommandSpec(
        OWNER_CHANNEL,
        "eierkanal [rolle]",
        "for ledere: påminnelser om gjennomgang av rutiner med denne eieren kommer hit",
        ("eierkanal", "owner channel"),
        takes_argument=True,
        in_manifest=False,
    ),
)


@dataclass(frozen=True)
class Command:
    kind: str
    argument: str = ""


_SPACE = re.compile(r"\s+")
_TRAILING = re.compile(r"[\s.!?:]+$")
# Every command word with its command, longest first, so "avslutt abonnement" wins over "avslutt".
_CANDIDATES = sorted(
    ((word, spec) for spec in COMMANDS for word in spec.words), key=lambda x: -len(x[0])
)


def parse(text: str) -> Command:
    """The command in ``text`` (mention already removed), or a question."""
    cleaned = _SPACE.sub(" ", text).strip()
    if cleaned.startswith("/"):
        cleaned = cleaned[1:]
    lowered = cleaned.lower()
    bare = _TRAILING.sub("", lowered)
    for word, spec in _CANDIDATES:
        if spec.choices and (bare == word or bare.startswith(word + " ")):
            argument = bare[len(word) :].strip()
            for filler in _FILLER:
                argument = argument.removeprefix(filler)
            if not argument or argument in spec.choices:
                return Command(spec.kind, TOPIC_ALIASES.get(argument, ""))
            continue
        if spec.takes_argument:
            if lowered == word or lowered.startswith(word + " "):
                return Command(spec.kind, cleaned[len(word) :].strip())
        elif bare == word or (word == "?" and lowered == "?"):
            return Command(spec.kind)
    return Command(QUESTION, cleaned)
