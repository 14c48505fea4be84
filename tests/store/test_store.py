"""The store on a real SQLite file and on a real PostgreSQL database (each test runs on both),
created and upgraded through the migrations."""

from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.store import ConversationRecord, Store, create_db_engine, metadata, migrate
from bot.store.designations import EXPERTS, Designations, owner_role


@pytest.fixture
def url(database_url):
    return database_url


@pytest.fixture
def open_store(url):
    """``Store.open(url, …)``, closed after the test (an unclosed PostgreSQL connection warns)."""
    opened: list[Store] = []

    def open_(**kwargs) -> Store:
        opened.append(Store.open(url, **kwargs))
        return opened[-1]

    yield open_
    for store in opened:
        store.close()


def record(conversation_id="c1", **extra):
    return ConversationRecord(
        conversation_id, "msteams", "personal", "https://smba.example", {"x": 1}, **extra
    )


def test_sqlite_file_runs_in_wal_mode_synced_at_checkpoints(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path}/bot.db")
    with store.engine.connect() as conn:
        mode = conn.execute(text("PRAGMA journal_mode")).scalar()
        synchronous = conn.execute(text("PRAGMA synchronous")).scalar()
    store.close()
    assert (mode, synchronous) == ("wal", 1)  # 1 = NORMAL


def test_created_on_first_start(open_store, url, tmp_path):
    store = open_store()
    if url.startswith("sqlite"):
        assert (tmp_path / "data" / "rutinebot.db").exists()
    names = set(inspect(store.engine).get_table_names())
    assert {"conversations", "feedback", "unanswered", "answers", "alembic_version"} <= names


def test_migrations_match_the_schema(open_store, url):
    store = open_store()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrade_keeps_data(open_store, url):
    engine = create_db_engine(url)
    migrate(engine, "0001")
    Store(engine).record_vote("klage", "frister", "down", "personal")
    engine.dispose()
    store = open_store()  # a later release: migrates to head again
    assert [(v.routine_id, v.down) for v in store.votes()] == [("klage", 1)]
    with store.engine.connect() as conn:
        assert conn.execute(text("select version_num from alembic_version")).scalar()


def test_conversations(open_store, url):
    store = open_store()
    assert store.save_conversation(record()) is True
    assert store.save_conversation(record(team_id="t")) is False
    assert store.conversation("c1").team_id == "t"
    store.set_subscribed(record(), True)
    assert [r.conversation_id for r in store.conversations(subscribed_only=True)] == ["c1"]
    assert store.remove_conversation("c1") is True
    assert store.remove_conversation("c1") is False
    assert store.conversations() == []


def test_subscribing_an_unknown_conversation_stores_it(open_store, url):
    store = open_store()
    store.set_subscribed(record("c2"), True)
    assert store.conversation("c2").subscribed


def test_votes_most_unhelpful_first(open_store, url):
    store = open_store()
    for routine, vote in [("a", "up"), ("b", "down"), ("b", "down"), ("c", "down"), ("c", "up")]:
        store.record_vote(routine, "", vote, "personal")
    assert [(v.routine_id, v.up, v.down) for v in store.votes()] == [
        ("b", 0, 2),
        ("c", 1, 1),
        ("a", 1, 0),
    ]


def test_the_question_behind_not_useful_is_kept_for_the_maintainers(open_store, url):
    store = open_store()
    store.record_vote("klage", "frister", "down", "personal", "  hvor lang er klagefristen  ")
    store.record_vote("klage", "frister", "up", "personal", "takk, det var det jeg lurte på")
    store.record_vote("avvik", "", "down", "channel")  # no question on the card: only the vote
    store.record_vote("avvik", "melde", "down", "channel", "hvem melder avviket")
    assert [(q.question, q.routine_id, q.section) for q in store.not_useful_questions()] == [
        ("hvem melder avviket", "avvik", "melde"),
        ("hvor lang er klagefristen", "klage", "frister"),
    ]
    assert [(v.routine_id, v.up, v.down) for v in store.votes()] == [
        ("avvik", 0, 2),
        ("klage", 1, 1),
    ]


def test_a_bad_vote_is_refused_and_nothing_stored(open_store, url):
    store = open_store()
    with pytest.raises(ValueError):
        store.record_vote("a", "", "maybe", "personal")
    assert store.votes() == []


def test_unanswered_newest_first(open_store, url):
    times = iter([datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=i) for i in range(3)])
    store = open_store(clock=lambda: next(times))
    store.record_unanswered("first", ("a",), False, "personal")
    store.record_unanswered("second", (), True, "channel")
    [newest, oldest] = store.unanswered()
    assert newest.question == "second" and newest.had_personal_data
    assert oldest.closest == ("a",)
    # Aware UTC on both databases (SQLite stores naive; PostgreSQL answers in the session's zone).
    assert oldest.created_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert oldest.created_at.utcoffset() == timedelta(0)


def test_most_used(open_store, url):
    store = open_store()
    for routine in ["a", "b", "b", "c", "b", "a"]:
        store.record_answer(routine, "", "chat")
    assert store.most_used(2) == [("b", 3), ("a", 2)]


def test_upgrade_from_0001_keeps_every_row_and_subscribes_the_subscribed(open_store, url):
    engine = create_db_engine(url)
    migrate(engine, "0001")
    old = Store(engine, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    old.save_conversation(record("c-sub", subscribed=True))
    old.save_conversation(record("c-not"))
    old.record_vote("klage", "frister", "down", "personal")
    old.record_answer("klage", "", "chat")
    old.record_unanswered("hva nå?", ("klage",), False, "personal")
    tables = ("conversations", "feedback", "answers", "unanswered")
    with engine.connect() as conn:
        before = {t: conn.execute(text(f"select * from {t} order by 1")).all() for t in tables}
    engine.dispose()

    store = open_store()
    with store.engine.connect() as conn:
        after = {t: conn.execute(text(f"select * from {t} order by 1")).all() for t in tables}
        version = conn.execute(text("select version_num from alembic_version")).scalar()
        outbox_rows = conn.execute(text("select count(*) from outbox")).scalar()
    assert after == before and all(before.values())
    assert version == "0004" and outbox_rows == 0
    assert [(s.conversation_id, s.topic) for s in store.subscriptions()] == [
        ("c-sub", "fredagsprat"),
        ("c-sub", "frister"),
    ]


def test_upgrade_from_0002_keeps_the_outbox(open_store, url):
    engine = create_db_engine(url)
    migrate(engine, "0002")
    old = Store(engine, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    old.save_conversation(record("c-sub", subscribed=True))
    moment = datetime(2026, 1, 2, 8, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "insert into outbox (dedupe_key, conversation_id, kind, item_id, due_at, payload,"
                " status, attempts, next_attempt_at, created_at, updated_at) values"
                " ('k', 'c-sub', 'topic', 's1', :t, '{}', 'sent', 1, :t, :t, :t)"
            ),
            {"t": moment},
        )
    with engine.connect() as conn:
        before = conn.execute(text("select * from outbox")).mappings().all()
    engine.dispose()

    store = open_store()
    with store.engine.connect() as conn:
        after = conn.execute(text("select * from outbox")).mappings().all()
    assert len(after) == 1 and after[0]["activity_id"] is None
    assert {k: v for k, v in after[0].items() if k != "activity_id"} == dict(before[0])


def test_subscriptions_per_topic(open_store, url):
    times = iter([datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i) for i in range(100)])
    store = open_store(clock=lambda: next(times))
    store.subscribe(record("c1"), ("frister",))
    store.subscribe(record("c2"))
    store.subscribe(record("c1"), ("frister", "fredagsprat"))  # frister kept, not doubled
    assert [s.conversation_id for s in store.subscriptions("fredagsprat")] == ["c2", "c1"]
    assert [s.conversation_id for s in store.subscriptions("frister")] == ["c1", "c2"]
    assert store.subscriptions("frister")[0].since == datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
    assert store.conversation("c1").subscribed
    assert store.unsubscribe("c1", ("frister",)) == 1
    assert store.conversation("c1").subscribed  # still fredagsprat
    assert store.unsubscribe("c1") == 1
    assert not store.conversation("c1").subscribed
    assert [s.conversation_id for s in store.subscriptions()] == ["c2", "c2"]
    with pytest.raises(ValueError):
        store.subscribe(record("c3"), ("sport",))


def test_set_subscribed_means_every_topic_and_removal_ends_them(open_store, url):
    store = open_store()
    store.set_subscribed(record("c1"), True)
    assert {s.topic for s in store.subscriptions()} == {"fredagsprat", "frister"}
    store.set_subscribed(record("c1"), False)
    assert store.subscriptions() == [] and not store.conversation("c1").subscribed
    store.set_subscribed(record("c1"), True)
    assert store.remove_conversation("c1")
    assert store.subscriptions() == []


def test_a_designated_conversation_is_chosen_and_moved(open_store, url):
    store = open_store()
    places = Designations(store.engine, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    assert places.conversation_for(EXPERTS) is None
    places.choose(EXPERTS, "19:a@thread.tacv2", "aad-1")
    places.choose(owner_role("  Fagleder   Sosiale tjenester "), "19:b@thread.tacv2", "aad-1")
    places.choose(EXPERTS, "19:c@thread.tacv2", "aad-2")
    assert places.conversation_for(EXPERTS) == "19:c@thread.tacv2"
    assert places.conversation_for("eier:fagleder sosiale tjenester") == "19:b@thread.tacv2"
    assert [(d.purpose, d.set_by) for d in places.all()] == [
        ("eier:fagleder sosiale tjenester", "aad-1"),
        (EXPERTS, "aad-2"),
    ]
