"""End to end through Microsoft 365 Agents Playground: the bot as `make run` serves it, a real
Teams client (the Playground) in front of it, real SQLite behind it. Nothing is mocked."""

from __future__ import annotations

import asyncio
import struct
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.chat import card_actions as ca
from bot.config import Config
from bot.delivery.outbox import Outbox
from bot.delivery.reviews import ReviewSource
from bot.delivery.sender import Sender
from bot.delivery.throttle import Throttle
from bot.delivery.worker import Worker
from bot.store import Store
from bot.store.closures import Closures
from bot.store.designations import Designations
from bot.teams.adapter import RutineAdapter
from bot.web import ScheduleProvider
from handbook.loader import load_handbook
from handbook.service import default_directory
from schedule.model import OSLO
from tests.card_support import block_text as card_text
from tests.card_support import buttons
from tests.chromium import Chromium
from tests.delivery_fixtures import Clock
from tests.playground import PLAYGROUND_USER_AAD, serve

CONTACT = "Fagansvarlig Ola Nordmann"
QUESTION = "hvordan skriver jeg vedtak etter § 17?"
SECTION_17_ROUTINE = "vedtak-okonomisk-radgivning"


#: The schedule the bot runs with here: one open evaluation deadline ten days from today (the
#: bot runs on the wall clock), so a reminder can fall due whatever day the tests run.
DEADLINE_ID = "journalforing-felles-rutine"
DEADLINE_IN_DAYS = 10


def deadline_schedule(directory: Path) -> Path:
    directory.mkdir()
    today = datetime.now(OSLO).date()
    (directory / "deadlines.yaml").write_text(
        f"""deadlines:
  - id: {DEADLINE_ID}
    title: Felles rutine for journalføring
    source: Tilsyn med økonomisk rådgivning, Statsforvalteren
    breach: Kommunen har ikke en felles praksis for journalføring.
    measure: Gå gjennom journalføringsrutinen i sosialfaglig team.
    responsible: Avdelingsleder
    start: {today - timedelta(days=30)}
    evaluate_by: {today + timedelta(days=DEADLINE_IN_DAYS)}
    status: open
    changed: {today}
""",
        encoding="utf-8",
    )
    return directory


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    # The Playground's user is a leader, so it may choose an owner channel (``eierkanal``).
    env = {
        "LEADER_AAD_IDS": PLAYGROUND_USER_AAD,
        "SCHEDULE_DIR": str(deadline_schedule(root / "schedule")),
    }
    yield from serve(root / "data", root, CONTACT, env)


@pytest.fixture
def store(stack):
    opened = Store.open(stack.database_url)
    yield opened
    opened.close()


async def test_personal_chat_question_gets_the_section_17_card(playground, stack):
    chat = stack.personal_chat
    await playground.send(chat, QUESTION)
    [reply] = await playground.wait_for_bot(conversation_id=chat)
    [card] = reply.cards()
    assert card["version"] == "1.5"
    assert "§ 17" in card["body"][0]["text"]
    assert "lovdata.no/lov/2009-12-18-131" in str(card)
    assert any(b["title"] == "Vis hele rutinen" for b in buttons(card))


async def test_card_button_press_records_the_vote(playground, stack, store):
    chat = stack.personal_chat
    await playground.send(chat, QUESTION)
    [reply] = await playground.wait_for_bot(conversation_id=chat)
    [useful] = [b for b in buttons(reply.cards()[0]) if b["title"] == "Nyttig"]
    before = {v.routine_id: v.up for v in store.votes()}.get(SECTION_17_ROUTINE, 0)
    await playground.submit(chat, reply.id, useful["data"])
    replies = await playground.wait_for_bot(2, conversation_id=chat)
    # The answer card is replaced in place: the same message, the buttons now a thank-you.
    assert replies[-1].activity["id"] == reply.id
    [updated] = replies[-1].cards()
    assert "Takk for tilbakemeldingen." in card_text(updated)
    assert not [b for b in buttons(updated) if b["title"] in ("Nyttig", "Ikke nyttig")]
    after = {v.routine_id: v.up for v in store.votes()}[SECTION_17_ROUTINE]
    assert after == before + 1


async def test_show_whole_routine_button_opens_the_routine_page(playground, stack):
    chat = stack.personal_chat
    await playground.send(chat, QUESTION)
    [reply] = await playground.wait_for_bot(conversation_id=chat)
    [show] = [b for b in buttons(reply.cards()[0]) if b["title"] == "Vis hele rutinen"]
    assert show["type"] == "Action.OpenUrl"
    port = stack.bot_url.rsplit(":", 1)[1]
    page_url, anchor = show["url"].split("#")
    # PUBLIC_BASE_URL is unset, so the default: the bot's own port on localhost.
    assert page_url == f"http://localhost:{port}/rutiner/{SECTION_17_ROUTINE}"
    async with aiohttp.ClientSession() as session, session.get(page_url) as page:
        assert page.status == 200
        assert f'<h2 id="{anchor}">' in await page.text()


async def test_show_routine_on_an_older_card_still_shows_it_in_the_chat(playground, stack):
    """Cards posted before the button became a link keep working."""
    chat = stack.personal_chat
    await playground.send(chat, QUESTION)
    [reply] = await playground.wait_for_bot(conversation_id=chat)
    old_button = ca.action_data(ca.SHOW_ROUTINE, routine_id=SECTION_17_ROUTINE, section="")
    await playground.submit(chat, reply.id, old_button)
    replies = await playground.wait_for_bot(2, conversation_id=chat)
    [routine_card] = replies[-1].cards()
    assert len(routine_card["body"]) > 4  # every section, not an excerpt


async def test_no_confident_answer_is_recorded(playground, stack, store):
    chat = stack.personal_chat
    await playground.send(chat, "hva er lunsjmenyen i kantina 15076500565")
    replies = await playground.wait_for_bot(2, conversation_id=chat)
    assert "fødselsnummer" in replies[0].activity["text"]
    assert CONTACT in card_text(replies[1].cards()[0])
    stored = [q.question for q in store.unanswered()]
    assert "hva er lunsjmenyen i kantina [fødselsnummer fjernet]" in stored
    assert not any("15076500565" in q for q in stored)


async def test_channel_mention_is_answered_in_the_thread(playground, stack):
    channel = stack.team["channels"][0]["id"]
    posted = await playground.send(channel, QUESTION, mention_bot=True)
    thread = posted["postConversationId"]
    [reply] = await playground.wait_for_bot(conversation_id=thread)
    assert "§ 17" in reply.cards()[0]["body"][0]["text"]


async def test_channel_message_without_mention_is_ignored(playground, stack):
    # The Playground only forwards channel messages that @mention the bot, so send the raw
    # activity Teams would send if the bot were listening to all messages.
    channel = stack.team["channels"][0]["id"]
    activity = await playground.template(channel, "botAdded")
    activity.update(type="message", text="hvordan skriver jeg vedtak?", textFormat="plain")
    activity.pop("membersAdded", None)
    await playground.custom(activity)
    await playground.quiet()
    assert playground.sent_by_bot(type="message") == []
    assert any(e.direction == "to_bot" and e.name == "message" for e in playground.entries)


async def test_group_chat_mention(playground, stack):
    group = stack.group_chat
    await playground.send(group["id"], "hjelp", mention_bot=True)
    [reply] = await playground.wait_for_bot(conversation_id=group["id"])
    assert "Rutinebot" in card_text(reply.cards()[0])


async def test_channel_subscribes_to_deadline_reminders_only(playground, stack, store):
    channel = stack.team["channels"][0]["id"]
    posted = await playground.send(channel, "abonner på frister", mention_bot=True)
    [reply] = await playground.wait_for_bot(conversation_id=posted["postConversationId"])
    assert reply.activity["text"].startswith(
        "Registrert: denne samtalen får påminnelser om frister"
    )
    topics = {(s.conversation_id, s.topic) for s in store.subscriptions()}
    assert (channel, "frister") in topics
    assert (channel, "fredagsprat") not in topics


async def test_install_welcomes_and_stores_the_reference_uninstall_removes_it(
    playground, stack, store
):
    group = stack.group_chat["id"]
    await playground.install(group)
    [welcome] = await playground.wait_for_bot(conversation_id=group)
    assert "Hei! Jeg er Rutinebot" in card_text(welcome.cards()[0])
    await playground.quiet(1)
    assert len(playground.sent_by_bot(group)) == 1  # one welcome for two install activities
    record = store.conversation(group)
    assert record is not None and record.conversation_type == "groupChat"
    assert record.service_url.rstrip("/").endswith("/_connector")
    uninstall = await playground.template(group, "uninstall")
    await playground.custom(uninstall)
    await playground.quiet(1)
    assert store.conversation(group) is None


async def test_compose_extension_query_returns_results(playground, stack):
    """The known trap: CloudAdapter.process fails on invoke responses (HTTP 500)."""
    value = {"commandId": "searchRoutines", "parameters": [{"name": "query", "value": "klage"}]}
    status, response = await playground.invoke(stack.personal_chat, "composeExtension/query", value)
    assert status == 200, response
    result = response["composeExtension"]
    assert result["type"] == "result"
    titles = [a["preview"]["content"]["title"] for a in result["attachments"]]
    assert titles[0] == "Klage på vedtak"
    # The shared card opens the routine's page; it has no button that talks to the bot.
    [show] = result["attachments"][0]["content"]["actions"]
    assert show["type"] == "Action.OpenUrl" and "/rutiner/klage#" in show["url"]


async def test_empty_compose_query_lists_routines(playground, stack):
    value = {"commandId": "searchRoutines", "parameters": [{"name": "query", "value": ""}]}
    status, response = await playground.invoke(stack.personal_chat, "composeExtension/query", value)
    assert status == 200, response
    assert len(response["composeExtension"]["attachments"]) == 5


async def test_forged_submit_through_the_client(playground, stack, store):
    chat = stack.personal_chat
    await playground.send(chat, QUESTION)
    [reply] = await playground.wait_for_bot(conversation_id=chat)
    votes_before = store.votes()
    forged = ca.action_data(ca.FEEDBACK, routine_id="finnes-ikke", section="", vote="down")
    await playground.submit(chat, reply.id, forged)
    replies = await playground.wait_for_bot(2, conversation_id=chat)
    assert "finnes-ikke" in replies[-1].activity["text"]
    assert store.votes() == votes_before


ARTIFACTS = Path(__file__).parent / "artifacts"


async def test_answer_card_renders_in_the_playground_page(playground, stack, tmp_path):
    """What a caseworker sees: the Playground's own page in headless Chromium (Debian's)."""
    # The page shows only what arrives while it is open (the Playground keeps no history for
    # it), so open it first, then type the question into its message box.
    browser = Chromium(tmp_path / "profile")
    try:
        page = await browser.open(stack.url + "/")
        await page.wait_for_text("Personal Chat")
        await playground.quiet(2)  # opening the page installs the bot: let the welcome pass
        await page.type_into("[role=textbox][data-lexical-editor]", QUESTION)  # the compose box
        text = await page.wait_for_text("Vis hele rutinen")
        # Rendered by the Adaptive Cards renderer into real elements, not shown as JSON.
        assert "Vedtak om økonomisk rådgivning" in text
        assert "Ikke nyttig" in text and "sosialtjenesteloven § 17" in text
        assert await page.count(".ac-adaptiveCard") >= 1
        assert '"AdaptiveCard"' not in text
        ARTIFACTS.mkdir(exist_ok=True)
        screenshot = ARTIFACTS / "answer-card.png"
        screenshot.unlink(missing_ok=True)
        await asyncio.sleep(1)  # let the chat scroll to the newest message
        await page.screenshot(screenshot)
    finally:
        await browser.close()
    header = screenshot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24])[0] >= 1000


async def test_routine_past_review_reminds_its_owner_channel_once_and_is_marked_reviewed(
    playground, stack, store
):
    """``eierkanal`` in a channel, a worker tick on a clock past a routine's review date (the
    stack runs without its own worker, so the test drives one against the bot's database and
    the Playground's connector), then "Markér som gjennomgått" pressed in the Playground."""
    assert stack.tenant["currentUser"]["aadObjectId"] == PLAYGROUND_USER_AAD
    channel = stack.team["channels"][0]["id"]
    posted = await playground.send(channel, "eierkanal Nav-leder", mention_bot=True)
    [reply] = await playground.wait_for_bot(conversation_id=posted["postConversationId"])
    assert reply.activity["text"].startswith("Registrert: påminnelser om gjennomgang")

    # 13 February 2027, 08:01: «internkontroll» (Nav-leder) was to be reviewed by 12 February.
    clock = Clock(datetime(2027, 2, 13, 8, 1, tzinfo=OSLO).astimezone(UTC))
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(stack.data_dir)}))
    engine = store.engine
    routines = [p.routine for p in load_handbook(default_directory()).routines]
    closures = Closures(engine, clock)

    def worker() -> Worker:
        return Worker(
            Outbox(engine, clock),
            store,
            Sender(adapter, clock=clock),
            None,
            throttle=Throttle(enabled=False),
            clock=clock,
            closures=closures,
            sources=(ReviewSource(lambda: routines, Designations(engine, clock), closures),),
        )

    try:
        assert (await worker().tick()).sent == 1
        [card_message] = await playground.wait_for_bot(conversation_id=channel)
        [card] = card_message.cards()
        assert "Rutinen skulle vært gjennomgått" in card_text(card)
        assert "Internkontroll i sosiale tjenester" in card_text(card)
        [button] = [b for b in buttons(card) if b["title"] == "Markér som gjennomgått"]

        # A new post in a channel is its own thread: the press comes from there.
        thread = f"{channel};messageid={card_message.id}"
        await playground.submit(thread, card_message.id, button["data"])
        # The card is replaced in place: the same message id, now saying who and what to write.
        [updated] = await playground.wait_for_bot(conversation_id=thread)
        assert updated.activity["id"] == card_message.id
        text = card_text(updated.cards()[0])
        assert "Gjennomgått av Alex Wilber" in text
        assert "revised: " in text and "review_by: " in text
        closure = closures.get("review", "internkontroll", "2027-02-12")
        assert (closure.closed_by, closure.closed_by_name) == (PLAYGROUND_USER_AAD, "Alex Wilber")

        clock.advance(days=1)  # the next tick, and a restarted worker: no second reminder
        assert (await worker().tick()).sent == 0
        assert (await worker().tick()).sent == 0
        await playground.quiet(1)
        reminders = [e for e in playground.sent_by_bot(channel) if "gjennomgått" in str(e.activity)]
        assert len(reminders) == 1
    finally:
        await adapter.close()


async def test_a_deadline_reminder_arrives_once_and_is_marked_evaluated(playground, stack, store):
    """A group chat subscribes to deadline reminders through the Playground; a worker tick on a
    clock at the seven-days-before reminder posts one card there; «Markér som evaluert» with a
    note closes the deadline; the next reminder's moment, and a restarted worker, send nothing."""
    group = stack.group_chat["id"]
    await playground.send(group, "abonner frister", mention_bot=True)
    [reply] = await playground.wait_for_bot(conversation_id=group)
    assert reply.activity["text"].startswith("Registrert")

    evaluate_by = datetime.now(OSLO).date() + timedelta(days=DEADLINE_IN_DAYS)
    seven_days_before = datetime.combine(evaluate_by - timedelta(days=7), time(8, 1), OSLO)
    clock = Clock(seven_days_before.astimezone(UTC))
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(stack.data_dir)}))
    schedule = ScheduleProvider.open(stack.schedule_dir, clock=clock)

    def worker() -> Worker:
        return Worker(
            Outbox(store.engine, clock),
            store,
            Sender(adapter, clock=clock),
            schedule.current,
            throttle=Throttle(enabled=False),
            clock=clock,
            closures=Closures(store.engine, clock),
        )

    def reminders() -> list:
        return [
            e
            for e in playground.sent_by_bot(group)
            if not is_update(e) and "Felles rutine for journalføring" in str(e.cards())
        ]

    try:
        await worker().tick()
        [posted] = await wait_until(reminders)
        [card] = posted.cards()
        assert "Felles rutine for journalføring" in card_text(card)
        [close] = [b for b in buttons(card) if b["title"] == "Markér som evaluert"]
        [save] = close["card"]["actions"]
        await playground.submit(group, posted.id, {**save["data"], "note": "Gjennomgått i teamet"})
        [updated] = await wait_until(
            lambda: [e for e in playground.sent_by_bot(group) if is_update(e)]
        )
        assert updated.activity["id"] == posted.id
        assert "Evaluert av Alex Wilber" in card_text(updated.cards()[0])

        clock.now = datetime.combine(evaluate_by - timedelta(days=1), time(8, 1), OSLO)
        assert (await worker().tick()).sent == 0  # the 1-day reminder: closed, not sent
        clock.advance(days=2)
        assert (await worker().tick()).sent == 0  # nor the overdue notice
        await playground.quiet(1)
        assert len(reminders()) == 1
    finally:
        await adapter.close()


def is_update(entry) -> bool:
    """A card update carries the id of the message it replaces; a new post carries none."""
    return bool(entry.activity.get("id")) and entry.id == entry.activity["id"]


async def wait_until(found, seconds: float = 20.0) -> list:
    deadline = asyncio.get_running_loop().time() + seconds
    while not (result := found()):
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("nothing arrived")
        await asyncio.sleep(0.1)
    return result
