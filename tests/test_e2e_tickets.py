"""End to end through Microsoft 365 Agents Playground: a question the handbook cannot answer
goes from a channel thread to the experts' channel, an expert takes it and answers, and the
answer reaches the asker's thread. The bot runs as `make run` starts it (delivery off, as in
the other end-to-end tests); this test ticks an outbox worker on the same database itself,
which posts to the Playground as the bot would."""

from __future__ import annotations

import pytest

from bot.config import Config
from bot.delivery.outbox import Outbox
from bot.delivery.sender import Sender
from bot.delivery.worker import Worker
from bot.features.tickets import cards as tc
from bot.store import Store
from bot.store.designations import EXPERTS, Designations
from bot.store.tickets import Tickets
from bot.teams.adapter import RutineAdapter
from tests.card_support import submit_data as buttons
from tests.card_support import text_with_facts as text_of
from tests.playground import serve

NO_ANSWER = "hva er lunsjmenyen i kantina på fredag"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e-tickets")
    yield from serve(root / "data", root, "Fagansvarlig Ola Nordmann")


@pytest.fixture
async def worker(stack, tmp_path):
    store = Store.open(stack.database_url)
    adapter = RutineAdapter(Config.from_env({"DATA_DIR": str(tmp_path)}))  # local: no auth
    yield Worker(Outbox(store.engine), store, Sender(adapter))
    await adapter.close()
    store.close()


async def test_question_to_expert_channel_and_answer_back(playground, stack, worker):
    office = stack.team["channels"][0]["id"]
    experts = stack.team["channels"][-1]["id"]
    assert office != experts
    expert_name = stack.tenant["currentUser"]["name"]
    assert expert_name
    await playground.install(experts)
    await playground.wait_for_bot(conversation_id=experts)  # the welcome
    # `ekspertkanal` needs LEADER_AAD_IDS, which the shared stack does not set (the command
    # itself is tested in test_tickets_flow.py): choose the experts' channel in the database.
    Designations(worker.store.engine).choose(EXPERTS, experts, "aad-leader")

    # A caseworker @mentions the bot in the office channel; no confident answer.
    posted = await playground.send(office, NO_ANSWER, mention_bot=True)
    thread = posted["postConversationId"]
    [no_answer] = await playground.wait_for_bot(conversation_id=thread)
    ask = buttons(no_answer.cards()[0])["Spør en fagperson"]
    await playground.submit(thread, no_answer.id, ask)
    replies = await playground.wait_for_bot(2, conversation_id=thread)
    assert replies[-1].activity["text"].startswith("Takk! Spørsmålet ditt er sendt videre")

    # The outbox posts the ticket card as a new post in the experts' channel.
    assert (await worker.tick()).sent == 1
    posted_card = (await playground.wait_for_bot(2, conversation_id=experts))[-1]
    card = posted_card.cards()[0]
    assert NO_ANSWER in text_of(card) and "Status: Åpen" in text_of(card)
    take = buttons(card)["Jeg tar den"]
    ticket_id = int(take["ticket"])
    row = Outbox(worker.store.engine).get(f"ticket|{ticket_id}|card|{experts}")
    assert row.status == "sent" and row.activity_id == posted_card.id

    # An expert presses "Jeg tar den": the card becomes the answer form, in place.
    card_thread = f"{experts};messageid={row.activity_id}"
    await playground.submit(card_thread, row.activity_id, take)
    [form_message] = await playground.wait_for_bot(conversation_id=card_thread)
    assert form_message.id == row.activity_id  # the same message, updated
    form = form_message.cards()[0]
    assert f"Tatt av {expert_name}" in text_of(form)
    send = buttons(form)["Send svar"]

    # The expert answers; the card says who answered.
    answer = "Kantina legger ut menyen på intranettet hver mandag."
    await playground.submit(
        card_thread, row.activity_id, {**send, tc.ANSWER_INPUT: answer, tc.HANDBOOK_INPUT: "true"}
    )
    updates = await playground.wait_for_bot(2, conversation_id=card_thread)
    assert f"Besvart av {expert_name}" in text_of(updates[-1].cards()[0])
    ticket = Tickets(worker.store.engine).get(ticket_id)
    assert ticket.status == "answered" and ticket.for_handbook and ticket.answer == answer

    # The outbox delivers the answer into the asker's thread.
    assert (await worker.tick()).sent == 1
    delivered = (await playground.wait_for_bot(3, conversation_id=thread))[-1]
    answer_card = delivered.cards()[0]
    assert NO_ANSWER in text_of(answer_card) and answer in text_of(answer_card)
    assert f"Besvart av {expert_name}." in text_of(answer_card)
    assert (await worker.tick()).sent == 0  # exactly once
