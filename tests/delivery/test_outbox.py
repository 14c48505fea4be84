"""The durable outbox on a real SQLite file and a real PostgreSQL database (each test runs on
both): planning, claiming with a lease, outcomes, expiry."""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery.outbox import Outbox, OutboxItem, format_summary
from bot.delivery.retry import RetryPolicy
from bot.store import create_db_engine
from tests.delivery_fixtures import Clock, migrated

T0 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


@pytest.fixture
def url(database_url):
    return migrated(database_url)


@pytest.fixture
def clock():
    return Clock(T0)


@pytest.fixture
def box(url, clock):
    engine = create_db_engine(url)
    yield Outbox(engine, clock, rng=random.Random(7))
    engine.dispose()


def item(n: int, due: datetime = T0, conversation: str = "c1", kind: str = "reminder"):
    return OutboxItem(
        f"{kind}|item{n}|{conversation}", conversation, kind, f"item{n}", due, {"n": n}
    )


def test_plan_is_idempotent_and_keeps_existing_rows(box):
    assert box.plan([item(1), item(2), item(1)]) == 2
    changed = OutboxItem("reminder|item1|c1", "c1", "reminder", "item1", T0, {"n": 99})
    assert box.plan([changed, item(3)]) == 1
    assert box.get("reminder|item1|c1").payload == {"n": 1}
    assert box.summary().counts["planned"] == 3


def test_plan_refuses_naive_times(box):
    with pytest.raises(ValueError):
        box.plan([item(1, due=datetime(2026, 1, 1))])


def test_times_round_trip_as_utc(box):
    oslo = datetime(2026, 11, 27, 12, 0).astimezone()  # any aware zone
    box.plan([item(1, due=oslo)])
    assert box.get("reminder|item1|c1").due_at == oslo.astimezone(UTC)


def test_claim_takes_only_due_rows_oldest_first(box, clock):
    box.plan([item(1, T0 + timedelta(minutes=1)), item(2, T0 - timedelta(minutes=5)), item(3, T0)])
    claimed = box.claim("w1", now=T0, limit=10, lease=LEASE)
    assert [d.item_id for d in claimed] == ["item2", "item3"]
    assert all(d.status == "sending" and d.claimed_by == "w1" for d in claimed)
    assert all(d.lease_until == T0 + LEASE and d.attempts == 1 for d in claimed)
    assert box.claim("w2", now=T0, limit=10, lease=LEASE) == []  # claimed, not expired


def test_claim_respects_the_limit(box):
    box.plan([item(n) for n in range(5)])
    assert len(box.claim("w1", now=T0, limit=3, lease=LEASE)) == 3
    assert len(box.claim("w2", now=T0, limit=3, lease=LEASE)) == 2


def test_an_expired_lease_lets_another_worker_take_over(box, clock):
    box.plan([item(1)])
    [first] = box.claim("dead-worker", now=T0, limit=1, lease=LEASE)
    assert box.claim("w2", now=T0 + LEASE - timedelta(seconds=1), limit=1, lease=LEASE) == []
    clock.now = T0 + LEASE + timedelta(seconds=1)
    [second] = box.claim("w2", now=clock.now, limit=1, lease=LEASE)
    assert second.id == first.id and second.attempts == 2
    # The first worker comes back too late: its outcome no longer counts.
    assert box.mark_sent(first) is False
    assert box.mark_sent(second) is True
    sent = box.get(first.dedupe_key)
    assert sent.status == "sent" and sent.sent_at == clock.now and sent.claimed_by is None


def test_sent_rows_are_never_claimed_again(box, clock):
    box.plan([item(1)])
    [d] = box.claim("w1", now=T0, limit=1, lease=LEASE)
    assert box.mark_sent(d)
    assert box.plan([item(1)]) == 0
    assert box.claim("w1", now=T0 + timedelta(days=1), limit=10, lease=LEASE) == []


def test_two_workers_racing_claim_each_row_exactly_once(url, clock):
    """Two engines (as two processes would have) on one database, claiming at once."""
    rows = 300
    planner = Outbox(create_db_engine(url), clock)
    planner.plan([item(n, conversation=f"c{n % 7}") for n in range(rows)])
    barrier = threading.Barrier(2)
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        engine = create_db_engine(url)
        box = Outbox(engine, clock)
        try:
            barrier.wait()
            while batch := box.claim(name, now=T0, limit=7, lease=LEASE):
                for d in batch:
                    claimed[name].append(d.id)
                    assert box.mark_sent(d)
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=work, args=(name,)) for name in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    a, b = set(claimed["a"]), set(claimed["b"])
    assert len(claimed["a"]) + len(claimed["b"]) == rows
    assert a.isdisjoint(b) and len(a | b) == rows
    assert a and b, "both workers should have taken part"
    assert planner.summary().counts["sent"] == rows
    planner.engine.dispose()


def test_retry_honours_retry_after(box, clock):
    box.plan([item(1)])
    [d] = box.claim("w1", now=T0, limit=1, lease=LEASE)
    assert box.mark_retry(d, "HTTP 429", retry_after=30) == "planned"
    row = box.get(d.dedupe_key)
    assert row.status == "planned" and row.last_error == "HTTP 429" and row.claimed_by is None
    assert box.claim("w1", now=T0 + timedelta(seconds=29), limit=1, lease=LEASE) == []
    [again] = box.claim("w1", now=T0 + timedelta(seconds=30), limit=1, lease=LEASE)
    assert again.attempts == 2


def test_retry_backs_off_exponentially_then_fails(url, clock):
    box = Outbox(create_db_engine(url), clock, RetryPolicy(max_attempts=4, base_seconds=10))
    box.plan([item(1)])
    for attempt in range(1, 5):
        [d] = box.claim("w1", now=clock.now, limit=1, lease=LEASE)
        assert d.attempts == attempt
        status = box.mark_retry(d, "HTTP 503")
        if attempt == 4:
            assert status == "failed"
            break
        assert status == "planned"
        # Not before half the base, and at the latest after the doubled ceiling (10, 20, 40 s).
        assert box.claim("probe", now=clock.now + timedelta(seconds=4.9), limit=1) == []
        clock.advance(seconds=10 * 2 ** (attempt - 1))
    failed = box.get("reminder|item1|c1")
    assert failed.status == "failed" and "gave up after 4 attempts" in failed.last_error
    assert box.summary().failures[0].dedupe_key == failed.dedupe_key
    box.engine.dispose()


def test_mark_failed(box):
    box.plan([item(1)])
    [d] = box.claim("w1", now=T0, limit=1, lease=LEASE)
    assert box.mark_failed(d, "HTTP 403: the bot was removed")
    assert box.get(d.dedupe_key).status == "failed"
    assert box.mark_failed(d, "again") is False  # no longer claimed


def test_release_gives_claims_back_at_once(box, clock):
    box.plan([item(1), item(2)])
    box.claim("w1", now=T0, limit=1, lease=LEASE)
    box.claim("w2", now=T0, limit=1, lease=LEASE)
    assert box.release("w1") == 1
    [d] = box.claim("w3", now=T0, limit=5, lease=LEASE)
    assert d.item_id == "item1" and d.attempts == 1  # the released try is not counted


def test_expire_older_than_reports_what_fell_due_while_down(box, clock):
    box.plan([item(1, T0 - timedelta(hours=7)), item(2, T0 - timedelta(hours=5)), item(3, T0)])
    expired = box.expire_older_than(timedelta(hours=6), now=T0)
    assert [d.item_id for d in expired] == ["item1"]
    assert expired[0].status == "expired" and "expired unsent" in expired[0].last_error
    assert [d.item_id for d in box.claim("w1", now=T0, limit=5, lease=LEASE)] == [
        "item2",
        "item3",
    ]
    assert box.summary().counts["expired"] == 1


def test_expire_takes_rows_of_a_dead_worker_but_not_live_claims(box, clock):
    box.plan([item(1, T0 - timedelta(hours=7)), item(2, T0 - timedelta(hours=7))])
    box.claim("dead", now=T0 - timedelta(hours=1), limit=1, lease=LEASE)  # lease long gone
    box.claim("alive", now=T0 - timedelta(minutes=59), limit=1, lease=timedelta(hours=2))
    expired = box.expire_older_than(timedelta(hours=6), now=T0)
    assert [d.item_id for d in expired] == ["item1"]
    assert box.get("reminder|item2|c1").status == "sending"


def test_withdraw_cancels_what_is_no_longer_planned_and_plan_revives_it(box, clock):
    later = T0 + timedelta(days=3)
    box.plan([item(1, later), item(2, later), item(3, later, kind="broadcast")])
    assert box.withdraw({"reminder|item1|c1"}, {"reminder"}, T0, later) == 1
    assert box.get("reminder|item2|c1").status == "cancelled"
    assert box.get("broadcast|item3|c1").status == "planned"  # other kinds untouched
    assert box.withdraw(set(), {"reminder"}, T0, later - timedelta(hours=1)) == 0  # outside
    assert box.plan([item(2, later)]) == 1
    assert box.get("reminder|item2|c1").status == "planned"


def test_summary_text(box, clock):
    box.plan([item(1), item(2, T0 + timedelta(hours=1))])
    [d] = box.claim("w1", now=T0, limit=1, lease=LEASE)
    box.mark_failed(d, "HTTP 400")
    text = format_summary(box.summary())
    assert "planlagt" in text and "feilet" in text and "HTTP 400" in text
    assert "neste planlagte: 23.11.2026 09:00 UTC" in text


def test_planning_the_shipped_schedule_every_tick_stores_each_delivery_once(url):
    """The scheduler's loop in small: plan, replan, a deadline gets evaluated, claim."""
    import dataclasses

    from bot.delivery.planner import PLANNED_KINDS, plan_deliveries
    from bot.store import Subscription
    from schedule import OSLO, SHIPPED_DIR, due_moments, load

    schedule, _ = load(SHIPPED_DIR)
    moments = due_moments(schedule)
    now = datetime(2026, 11, 16, 6, 0, tzinfo=OSLO)
    clock = Clock(now.astimezone(UTC))
    box = Outbox(create_db_engine(url), clock)
    subs = [
        Subscription(c, t, T0 - timedelta(days=300))
        for c in ("a", "b")
        for t in ("fredagsprat", "frister")
    ]

    plan = plan_deliveries(moments, subs, now)
    assert box.plan(plan.items) == len(plan.items) == 24
    assert box.plan(plan_deliveries(moments, subs, now).items) == 0  # the next tick
    assert box.withdraw(plan.keys, PLANNED_KINDS, plan.since, plan.until) == 0

    # 08:00 Oslo: the 14-day reminder falls due and goes out once per conversation.
    clock.now = datetime(2026, 11, 16, 8, 0, 30, tzinfo=OSLO).astimezone(UTC)
    claimed = box.claim("w1", limit=100)
    assert [(d.kind, d.conversation_id) for d in claimed] == [
        ("deadline_reminder", "a"),
        ("deadline_reminder", "b"),
    ]
    assert all(box.mark_sent(d) for d in claimed)

    # A day later the deadline is marked evaluated: its remaining reminders are withdrawn.
    evaluated = [
        dataclasses.replace(m, status="evaluated") if m.item_id == "stl17-rutinehandbok-alle" else m
        for m in moments
    ]
    clock.advance(days=1)
    replan = plan_deliveries(evaluated, subs, clock.now)
    assert box.plan(replan.items) == 2  # the horizon moved: the topic of 15.01.2027 09:00
    assert box.withdraw(replan.keys, PLANNED_KINDS, replan.since, replan.until) == 6
    assert box.claim("w1", limit=100) == []
    assert box.summary().counts == {
        "planned": 26 - 2 - 6,
        "sending": 0,
        "sent": 2,
        "failed": 0,
        "expired": 0,
        "cancelled": 6,
    }
    box.engine.dispose()


def test_a_removed_conversation_is_cancelled_everywhere(box):
    box.plan([item(1, conversation="gone"), item(2, conversation="gone"), item(3)])
    [d] = box.claim("w1", now=T0, limit=1, lease=LEASE)
    assert d.conversation_id == "gone"
    assert box.mark_failed(d, "HTTP 403: the bot was removed")
    assert box.cancel_conversation("gone", "HTTP 403: the bot was removed") == 1
    assert [x.conversation_id for x in box.claim("w1", now=T0, limit=5, lease=LEASE)] == ["c1"]
    assert box.summary().counts["cancelled"] == 1


def test_the_outbox_command_prints_the_summary(url, box):
    import os
    import subprocess
    import sys

    box.plan([item(1), item(2, T0 + timedelta(days=1))])
    [d] = box.claim("w1", now=T0, limit=1, lease=LEASE)
    box.mark_failed(d, "HTTP 400: ugyldig kort")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "outbox"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Utsendinger (outbox)"
    assert "  planlagt                  1" in lines and "  feilet                    1" in lines
    assert any("HTTP 400: ugyldig kort" in line and "item1 → c1" in line for line in lines)


def test_on_postgresql_the_claim_skips_rows_other_instances_hold(box):
    from sqlalchemy.dialects import postgresql, sqlite

    statement = box.claim_statement("w1", T0, 10, LEASE)
    pg = str(statement.compile(dialect=postgresql.dialect()))
    assert "FOR UPDATE OF outbox SKIP LOCKED" in pg and "RETURNING" in pg
    # The ranking (window functions) is in a sub-select; the lock covers only outbox's rows.
    assert "row_number() OVER" in pg.split("FOR UPDATE")[0]
    assert "FOR UPDATE" not in str(statement.compile(dialect=sqlite.dialect()))


def test_a_reminder_past_its_expiry_is_not_claimed_but_expired(box):
    start = T0 + timedelta(minutes=15)
    box.plan(
        [
            OutboxItem("soon|c1", "c1", "session_reminder", "s", T0, {}, expires_at=start),
            OutboxItem("later|c1", "c1", "session_reminder", "s", T0, {}, expires_at=None),
        ]
    )
    assert box.get("soon|c1").expires_at == start
    late = start + timedelta(minutes=1)  # the bot was down for 16 minutes: within the grace
    assert [d.dedupe_key for d in box.claim("w1", now=late, limit=5, lease=LEASE)] == ["later|c1"]
    assert [d.dedupe_key for d in box.expire_older_than(timedelta(hours=6), now=late)] == [
        "soon|c1"
    ]


def test_kinds_take_turns_in_a_claim(box):
    """A big broadcast planned first does not keep a reminder planned after it waiting."""
    early = T0 - timedelta(minutes=1)
    box.plan([item(n, early, f"c{n}", kind="broadcast") for n in range(20)])
    box.plan([item(99, T0, "leaders", kind="deadline_reminder")])
    first = box.claim("w1", now=T0, limit=5, lease=LEASE)
    assert [d.kind for d in first].count("deadline_reminder") == 1
    assert sorted(d.item_id for d in first if d.kind == "broadcast") == [
        "item0",
        "item1",
        "item2",
        "item3",
    ]  # within a kind: the oldest first


def test_a_claim_takes_at_most_n_rows_of_one_conversation(box):
    box.plan([item(n, T0 - timedelta(seconds=60 - n), "busy") for n in range(10)])
    box.plan([item(n, T0, f"quiet{n}") for n in range(10, 12)])
    claims = []
    while batch := box.claim("w1", now=T0, limit=10, lease=LEASE, per_conversation=3):
        claims.append(sorted(d.conversation_id for d in batch))
        for d in batch:
            assert box.mark_sent(d)
    assert claims == [
        ["busy", "busy", "busy", "quiet10", "quiet11"],
        ["busy"] * 3,
        ["busy"] * 3,
        ["busy"],
    ]
    # Without a cap a claim takes what is due up to its limit.
    box.plan([item(n, T0, "busy2") for n in range(20, 30)])
    assert len(box.claim("w1", now=T0, limit=8, lease=LEASE)) == 8
