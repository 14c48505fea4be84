"""A leader's Fredagsprat broadcast end to end through Microsoft 365 Agents Playground: the bot
as `make run` serves it (LEADER_AAD_IDS naming the Playground's own user), real SQLite behind it.

The stack runs with DELIVERY_ENABLED=false (the real clock must not post reminders into the
tests), so the test drives one tick of the outbox worker itself, wired as the app wires it
(:func:`bot.app._register_features`, :func:`bot.app._worker`) on the bot's database; its posts
and card updates go to the Playground like the bot's own."""

from __future__ import annotations

import asyncio
import shutil
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bot.app import Runtime, _now, _register_features, _worker
from bot.chat import card_actions as ca
from bot.chat.replies import Replies
from bot.config import Config
from bot.features.invitations import cards as ic
from bot.store import Store
from bot.teams.adapter import RutineAdapter
from bot.web import ScheduleProvider
from tests.card_support import block_text as text_of
from tests.card_support import buttons, facts
from tests.playground import PLAYGROUND_USER_AAD, serve

#: The Playground's built-in signed-in user (``currentUser`` of its default test config).
LEADER_AAD = PLAYGROUND_USER_AAD
OTHER_USER = "user-id-2"  # Adele Vance, not a leader


SHIPPED_SCHEDULE = Path(__file__).parent.parent / "schedule" / "data"


def upcoming_schedule(directory: Path) -> Path:
    """The shipped deadlines and cycle with two sessions a week and five weeks from today: the
    bot runs on the wall clock, and the shipped sessions end one day."""
    directory.mkdir()
    for name in ("deadlines.yaml", "recurring.yaml"):
        shutil.copy(SHIPPED_SCHEDULE / name, directory / name)
    sessions = ["sessions:"]
    for weeks in (1, 5):
        day = date.today() + timedelta(weeks=weeks)
        sessions += [
            f"  - id: fredagsprat-test-{weeks}",
            "    title: Fredagsprat med Statsforvalteren",
            f"    date: {day.isoformat()}",
            '    start: "12:00"',
            '    end: "13:00"',
            "    organiser: Statsforvalteren",
            "    status: planned",
            f"    changed: {date.today().isoformat()}",
            "    topic: Taushetsplikt i kontakt med Nav kontaktsenter",
            f"    topic_published: {(day - timedelta(days=14)).isoformat()}",
            "    join_url: https://teams.microsoft.com/l/meetup-join/19%3ameeting_TEST%40thread.v2/0",
        ]
    (directory / "sessions.yaml").write_text("\n".join(sessions) + "\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e-broadcast")
    schedule_dir = upcoming_schedule(root / "schedule")
    env = {"LEADER_AAD_IDS": LEADER_AAD, "SCHEDULE_DIR": str(schedule_dir)}
    yield from serve(root / "data", root, "Fagansvarlig", env)


async def one_worker_tick(stack) -> int:
    """One outbox tick on the bot's database, wired as the app does; returns how many it sent."""
    port = str(urlparse(stack.bot_url).port)
    config = Config.from_env(
        {
            "DATA_DIR": str(stack.data_dir),
            "PORT": port,
            "LEADER_AAD_IDS": LEADER_AAD,
            "SCHEDULE_DIR": str(stack.schedule_dir),
        }
    )
    runtime = Runtime(config, owns_handbook=False)
    runtime.store = Store.open(config.database_url)
    runtime.adapter = RutineAdapter(config)
    # The bot process runs on the wall clock (as `make run` does); so does this tick.
    runtime.clock = _now
    runtime.schedule = ScheduleProvider.open(config.schedule_dir, clock=_now)
    try:
        replies = Replies(None, runtime.store, schedule=runtime.schedule.current)
        _register_features(runtime, replies)
        worker = _worker(runtime)
        worker.schedule = None  # send what is planned; plan no reminders from the real clock
        return (await worker.tick()).sent
    finally:
        await runtime.adapter.close()
        runtime.store.close()


def is_update(entry) -> bool:
    """In the Playground's log a card update is a message that carries the id of the message
    it replaces (a new post carries none)."""
    return bool(entry.activity.get("id")) and entry.id == entry.activity["id"]


def is_invitation(entry) -> bool:
    cards = entry.cards()
    return bool(cards) and cards[0]["body"][0]["text"] == "Invitasjon til Fredagsprat"


async def wait_for(playground, conversation_id: str, test, count: int = 1) -> list:
    """The bot's messages in a conversation that pass ``test``, once there are ``count``."""
    deadline = time.monotonic() + 20
    while len(found := [e for e in playground.sent_by_bot(conversation_id) if test(e)]) < count:
        if time.monotonic() > deadline:
            names = [(e.direction, e.name) for e in playground.entries]
            raise TimeoutError(f"only {len(found)} in {conversation_id}: {names[-10:]}")
        await asyncio.sleep(0.1)
    return found


async def wait_for_update(playground, conversation_id: str, count: int) -> list:
    return await wait_for(playground, conversation_id, is_update, count)


async def test_a_non_leader_is_refused(playground, stack):
    # The Playground's message box always speaks as its signed-in user (the leader here), so
    # send the raw activity Teams would send when another member @mentions the bot.
    group = stack.group_chat["id"]
    [other] = [u for u in stack.tenant["users"] if u["id"] == OTHER_USER]
    activity = await playground.template(group, "botAdded")
    activity.pop("membersAdded", None)
    tag = f"<at>{stack.bot['name']}</at>"
    activity.update(
        type="message",
        text=f"{tag} inviter",
        textFormat="plain",
        entities=[{"type": "mention", "text": tag, "mentioned": {"id": stack.bot["id"]}}],
        **{"from": {"id": other["id"], "name": other["name"], "aadObjectId": other["aadObjectId"]}},
    )
    await playground.custom(activity)
    [reply] = await playground.wait_for_bot(conversation_id=group)
    assert reply.activity["text"].startswith("Beklager, bare ledere kan sende invitasjoner")
    assert reply.cards() == []


async def test_broadcast_reaches_channel_group_and_personal_chat_and_rsvps_are_counted(
    playground, stack
):
    assert stack.tenant["currentUser"]["aadObjectId"] == LEADER_AAD
    chat, group = stack.personal_chat, stack.group_chat["id"]
    channel = stack.team["channels"][0]["id"]
    # Three conversations subscribe to Fredagsprat.
    posted = await playground.send(channel, "abonner fredagsprat", mention_bot=True)
    await playground.wait_for_bot(conversation_id=posted["postConversationId"])
    await playground.send(group, "abonner fredagsprat", mention_bot=True)
    await playground.wait_for_bot(conversation_id=group)
    await playground.send(chat, "abonner fredagsprat")
    await playground.wait_for_bot(conversation_id=chat)

    # The leader asks for the form in the personal chat and sends it.
    await playground.send(chat, "inviter")
    form_message = (await playground.wait_for_bot(2, conversation_id=chat))[-1]
    [form] = form_message.cards()
    [choice] = [b for b in form["body"] if b["type"] == "Input.ChoiceSet"]
    [send] = buttons(form)
    value = {**send["data"], ic.SESSION_INPUT: choice["value"], ic.NOTE_INPUT: "Vel møtt!"}
    await playground.submit(chat, form_message.id, value)
    [report_update] = await wait_for_update(playground, chat, 1)
    assert report_update.id == form_message.id
    report = report_update.cards()[0]
    assert facts(report)["Samtaler"] == "3" and facts(report)["Venter"] == "3"

    # One worker tick delivers it to all three, and updates the leader's report.
    assert await one_worker_tick(stack) == 3
    invitations = {}
    for conversation in (channel, group, chat):
        [invitations[conversation]] = await wait_for(playground, conversation, is_invitation)
    card = invitations[channel].cards()[0]
    assert "Vel møtt!" in text_of(card)
    assert any(b["title"] == "Legg til i kalender" for b in buttons(card))
    report = (await wait_for_update(playground, chat, 2))[-1].cards()[0]
    assert facts(report)["Levert"] == "3" and facts(report)["Venter"] == "0"

    # "Jeg kommer" in the channel: that card says so, and the leader's report counts it.
    [yes] = [b for b in buttons(card) if b["title"] == "Jeg kommer"]
    assert yes["data"][ca.ACTION] == ic.RSVP
    # A channel post is a thread of its own: the press comes from "<channel>;messageid=<id>".
    thread = f"{channel};messageid={invitations[channel].id}"
    await playground.submit(thread, invitations[channel].id, yes["data"])
    [pressed] = await wait_for_update(playground, thread, 1)
    assert "svarte: Jeg kommer" in text_of(pressed.cards()[0])
    report = (await wait_for_update(playground, chat, 3))[-1].cards()[0]
    assert facts(report)["Kommer"] == "1" and facts(report)["Kan ikke"] == "0"

    # The same person changes their answer in the group chat: the latest answer wins.
    [no] = [b for b in buttons(invitations[group].cards()[0]) if b["title"] == "Kan ikke"]
    await playground.submit(group, invitations[group].id, no["data"])
    report = (await wait_for_update(playground, chat, 4))[-1].cards()[0]
    assert facts(report)["Kommer"] == "0" and facts(report)["Kan ikke"] == "1"


async def test_a_leaders_report_in_a_channel_thread_is_updated_there(playground, stack):
    channel = stack.team["channels"][0]["id"]
    posted = await playground.send(channel, "abonner fredagsprat", mention_bot=True)
    await playground.wait_for_bot(conversation_id=posted["postConversationId"])
    posted = await playground.send(channel, "inviter", mention_bot=True)
    thread = posted["postConversationId"]
    [form_message] = await wait_for(playground, thread, lambda e: bool(e.cards()))
    [form] = form_message.cards()
    [choice] = [b for b in form["body"] if b["type"] == "Input.ChoiceSet"]
    value = {**buttons(form)[0]["data"], ic.SESSION_INPUT: choice["value"]}
    await playground.submit(thread, form_message.id, value)
    [report] = await wait_for_update(playground, thread, 1)
    assert report.id == form_message.id
    planned = facts(report.cards()[0])["Samtaler"]
    assert int(planned) >= 1
    # The worker's tick updates the report in the thread the leader wrote in.
    assert await one_worker_tick(stack) == int(planned)
    report = (await wait_for_update(playground, thread, 2))[-1].cards()[0]
    assert facts(report)["Levert"] == planned and facts(report)["Venter"] == "0"
