"""The closing buttons and ``eierkanal`` through the bot's HTTP endpoint (a recording Bot
Connector on a real port, the shipped handbook and schedule, the clock at 23 November 2026)."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import RUNTIME, create_app
from bot.config import Config
from bot.delivery.outbox import CANCELLED, Outbox
from bot.delivery.planner import FRISTER, plan_deliveries
from bot.store import Subscription
from bot.store.closures import Closures
from bot.store.designations import HANDBOOK_OWNER, Designations, owner_role
from schedule import SHIPPED_DIR, ScheduleStore
from schedule.upcoming import due_moments
from tests.bot_fixtures import CONTACT, NOW, USER, activity, mention
from tests.card_support import block_text as texts_of

LENE = {"id": "29:lene", "name": "Lene Leder", "aadObjectId": "aad-lene"}
DEADLINE = {"kind": "deadline", "item_id": "stl17-rutinehandbok-alle", "occurrence": "2026-11-30"}


@pytest.fixture
async def client(tmp_path, shipped_handbook):
    config = Config.from_env(
        {
            "DATA_DIR": str(tmp_path / "data"),
            "HANDBOOK_CONTACT": CONTACT,
            "DELIVERY_ENABLED": "false",
            "LEADER_AAD_IDS": "aad-lene, aad-other",
        }
    )
    app = create_app(config, handbook=shipped_handbook, clock=lambda: NOW)
    test_client = TestClient(TestServer(app))
    await test_client.start_server()
    yield test_client
    await test_client.close()


def store(client):
    return client.server.app[RUNTIME].store


async def press(client, connector, data: dict, user=USER, card_id="card-1", **extra):
    body = activity(connector, None, value=data, replyToId=card_id, **{"from": user}, **extra)
    response = await client.post("/api/messages", json=body)
    assert response.status == 200


async def say(client, connector, text: str, user=USER, **extra):
    body = activity(connector, text, **{"from": user}, **extra)
    assert (await client.post("/api/messages", json=body)).status == 200


async def test_mark_as_evaluated_records_who_and_replaces_the_card(client, connector):
    note = "Gjennomgått på fagmøtet, jf. sak for 15076500565."
    await press(client, connector, {"rutinebot": "close_item", **DEADLINE, "note": note})
    # The pressed card is replaced in place (PUT on the card's message).
    assert ("PUT", "/v3/conversations/a:personal-1/activities/card-1") in connector.calls
    [card] = connector.cards()
    assert "Evaluert av Kari Veileder 23.11.2026" in texts_of(card)
    assert "Rutinehåndboken gjort kjent for alle ansatte" in texts_of(card)
    assert "15076500565" not in str(connector.activities)
    assert any("fødselsnummer" in t for t in connector.texts())
    closure = Closures(store(client).engine).get("deadline", DEADLINE["item_id"], "2026-11-30")
    assert (closure.closed_by, closure.closed_by_name) == ("aad-kari", "Kari Veileder")
    assert closure.note == "Gjennomgått på fagmøtet, jf. sak for [fødselsnummer fjernet]."
    assert closure.closed_at.isoformat().startswith("2026-11-23T09:00")  # 10:00 Oslo, in UTC


async def test_a_second_press_is_told_who_closed_it(client, connector):
    await press(client, connector, {"rutinebot": "close_item", **DEADLINE})
    await press(client, connector, {"rutinebot": "close_item", **DEADLINE, "note": "Ny"}, LENE)
    assert connector.texts()[-1] == "Dette var allerede markert av Kari Veileder 23.11.2026."
    closure = Closures(store(client).engine).get("deadline", DEADLINE["item_id"], "2026-11-30")
    assert closure.closed_by == "aad-kari" and closure.note == ""


async def test_closing_withdraws_the_planned_reminders(client, connector):
    schedule = ScheduleStore(SHIPPED_DIR).schedule
    plan = plan_deliveries(due_moments(schedule), [Subscription("c", FRISTER, NOW)], NOW)
    outbox = Outbox(store(client).engine)
    outbox.plan(plan.items)
    mine = [i for i in plan.items if i.item_id == DEADLINE["item_id"]]
    assert len(mine) == 2  # the 1-day reminder and the overdue notice are still ahead
    await press(client, connector, {"rutinebot": "close_item", **DEADLINE})
    assert {outbox.get(i.dedupe_key).status for i in mine} == {CANCELLED}
    others = [i for i in plan.items if i.item_id != DEADLINE["item_id"]]
    assert CANCELLED not in {outbox.get(i.dedupe_key).status for i in others}


async def test_a_yearly_cycle_occurrence_is_marked_done(client, connector):
    data = {"kind": "recurring", "item_id": "stikkprover-stl17", "occurrence": "2027-04-15"}
    await press(client, connector, {"rutinebot": "close_item", **data})
    [card] = connector.cards()
    assert "Utført av Kari Veileder 23.11.2026" in texts_of(card)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**DEADLINE, "item_id": "finnes-ikke"}, "finner ikke denne fristen"),
        ({**DEADLINE, "occurrence": "2026-12-01"}, "finner ikke denne fristen"),  # stale date
        ({**DEADLINE, "kind": "review"}, "forstod ikke den knappen"),
        ({**DEADLINE, "occurrence": "30.11.2026"}, "forstod ikke den knappen"),
        ({**DEADLINE, "item_id": ["x"]}, "forstod ikke den knappen"),
        (
            {"kind": "recurring", "item_id": "stikkprover-stl17", "occurrence": "2027-04-16"},
            "finner ikke denne fristen",
        ),
        (
            {"kind": "deadline", "item_id": "stl17-muntlige-soknader", "occurrence": "2026-11-12"},
            "allerede markert som evaluert i tiltaksplanen",
        ),
    ],
)
async def test_forged_or_stale_presses_get_a_polite_sentence(client, connector, data, expected):
    await press(client, connector, {"rutinebot": "close_item", **data})
    [text] = connector.texts()
    assert expected in text
    assert Closures(store(client).engine).closed() == frozenset()


async def test_mark_as_reviewed_tells_the_dates_to_write(client, connector):
    data = {"rutinebot": "close_review", "routine_id": "avvik", "review_by": "2027-03-19"}
    await press(client, connector, data, LENE)
    [card] = connector.cards()
    text = texts_of(card)
    assert "Gjennomgått av Lene Leder 23.11.2026" in text
    assert "revised: 2026-11-23" in text and "review_by: 2027-11-23" in text
    assert ("PUT", "/v3/conversations/a:personal-1/activities/card-1") in connector.calls
    closure = Closures(store(client).engine).get("review", "avvik", "2027-03-19")
    assert closure.closed_by == "aad-lene"
    await press(client, connector, data)
    assert connector.texts()[-1] == "Dette var allerede markert av Lene Leder 23.11.2026."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"routine_id": "avvik", "review_by": "2026-03-19"}, "skal nå gjennomgås innen 19.03.2027"),
        ({"routine_id": "finnes-ikke", "review_by": "2027-03-19"}, "finner ikke rutinen"),
        ({"routine_id": "avvik", "review_by": ""}, "forstod ikke den knappen"),
    ],
)
async def test_forged_or_stale_review_presses(client, connector, data, expected):
    await press(client, connector, {"rutinebot": "close_review", **data})
    assert expected in connector.texts()[-1]
    assert Closures(store(client).engine).closed() == frozenset()


async def test_only_leaders_choose_the_owner_channel(client, connector):
    await say(client, connector, "eierkanal Nav-leder")
    assert connector.texts()[-1].startswith("Bare ledere kan velge eierkanal")
    assert Designations(store(client).engine).all() == []


async def test_a_leader_chooses_a_role_channel_and_the_handbook_owner(client, connector):
    channel = {"conversation_type": "channel", "conversation_id": "19:fag@thread.tacv2"}
    body = activity(connector, **channel, **mention("eierkanal fagansvarlig SOSIALE tjenester"))
    body["from"] = LENE
    assert (await client.post("/api/messages", json=body)).status == 200
    assert connector.texts()[-1] == (
        "Registrert: påminnelser om gjennomgang av rutiner med eier «Fagansvarlig sosiale "
        "tjenester» (5 rutiner) kommer hit."
    )
    await say(client, connector, "eierkanal", LENE)
    assert "eierkanal for rutinehåndboka" in connector.texts()[-1]
    chosen = {d.purpose: d.conversation_id for d in Designations(store(client).engine).all()}
    assert chosen == {
        owner_role("Fagansvarlig sosiale tjenester"): "19:fag@thread.tacv2",
        HANDBOOK_OWNER: "a:personal-1",
    }
    # The worker can post there: the store knows both conversations.
    assert store(client).conversation("19:fag@thread.tacv2") is not None


async def test_an_unknown_role_lists_the_owners(client, connector):
    await say(client, connector, "eierkanal Sjefen", LENE)
    text = connector.texts()[-1]
    assert text.startswith("Ingen rutiner har eieren «Sjefen». Eierne i håndboka er: ")
    assert "Nav-leder" in text and "Fagutvikler sosiale tjenester" in text
    assert Designations(store(client).engine).all() == []


async def test_help_mentions_eierkanal(client, connector):
    await say(client, connector, "hjelp")
    [card] = connector.cards()
    assert "eierkanal [rolle]" in str(card)
