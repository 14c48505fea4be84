"""The delivery planner with the shipped schedule and a fixed clock: pure, no database."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta

import pytest

from bot.delivery.planner import (
    ADDED,
    DEADLINE_OVERDUE,
    DEADLINE_REMINDER,
    PLANNED_KINDS,
    SESSION_REMINDER,
    TOPIC,
    PlannerSettings,
    plan_deliveries,
)
from bot.store import Subscription
from schedule import OSLO, SHIPPED_DIR, due_moments, load

NOW = datetime(2026, 11, 16, 6, 0, tzinfo=OSLO)  # a Monday morning
LONG_AGO = datetime(2026, 1, 1, tzinfo=OSLO)
YEAR = PlannerSettings(horizon=timedelta(days=400))


@pytest.fixture(scope="module")
def moments():
    schedule, problems = load(SHIPPED_DIR)
    assert not [p for p in problems if not p.warning]
    return due_moments(schedule)


def subs(conversation="c1", topics=("fredagsprat", "frister"), since=LONG_AGO):
    return [Subscription(conversation, topic, since) for topic in topics]


def when(items):
    return [
        (i.due_at.astimezone(OSLO).strftime("%d.%m.%Y %H:%M"), i.kind, i.item_id) for i in items
    ]


def test_the_next_60_days_of_the_shipped_schedule(moments):
    plan = plan_deliveries(moments, subs(), NOW)
    assert when(plan.items) == [
        ("16.11.2026 08:00", "deadline_reminder", "stl17-rutinehandbok-alle"),  # 14 days
        ("23.11.2026 08:00", "deadline_reminder", "stl17-rutinehandbok-alle"),  # 7 days
        ("26.11.2026 12:00", "session_reminder", "fredagsprat-2026-11"),  # the day before
        ("27.11.2026 11:45", "session_reminder", "fredagsprat-2026-11"),  # 15 minutes before
        ("29.11.2026 08:00", "deadline_reminder", "stl17-rutinehandbok-alle"),  # 1 day
        ("01.12.2026 08:00", "deadline_overdue", "stl17-rutinehandbok-alle"),  # the day after
        ("01.12.2026 08:00", "recurring_reminder", "vedtaksgjennomgang-halvarlig"),
        ("08.12.2026 08:00", "recurring_reminder", "vedtaksgjennomgang-halvarlig"),
        ("14.12.2026 08:00", "recurring_reminder", "vedtaksgjennomgang-halvarlig"),
        ("01.01.2027 08:00", "recurring_reminder", "stikkprover-stl17"),
        ("08.01.2027 08:00", "recurring_reminder", "stikkprover-stl17"),
        ("14.01.2027 08:00", "recurring_reminder", "stikkprover-stl17"),
    ]
    assert plan.since == NOW - timedelta(hours=6) and plan.until == NOW + timedelta(days=60)
    assert {i.kind for i in plan.items} <= PLANNED_KINDS
    first = plan.items[0]
    assert first.dedupe_key == (
        "deadline_reminder|evaluate:stl17-rutinehandbok-alle:2026-11-30T00:00:00+01:00|14d|c1"
    )
    assert first.payload["due_key"] == "evaluate:stl17-rutinehandbok-alle:2026-11-30T00:00:00+01:00"
    assert first.payload["offset"] == "14d" and first.payload["title"]


def test_keys_are_stable_across_ticks_and_unique(moments):
    first = plan_deliveries(moments, subs(), NOW)
    later = plan_deliveries(moments, subs(), NOW + timedelta(days=3))
    assert len(first.keys) == len(first.items)
    overlap = {i.dedupe_key for i in first.items if i.due_at >= NOW + timedelta(days=3)}
    assert overlap and overlap <= later.keys


def test_each_topic_goes_to_its_subscribers_only(moments):
    plan = plan_deliveries(
        moments, subs("leaders", ["frister"]) + subs("everyone", ["fredagsprat"]), NOW, YEAR
    )
    by_conversation = {}
    for i in plan.items:
        by_conversation.setdefault(i.conversation_id, set()).add(i.kind)
    assert by_conversation["everyone"] == {SESSION_REMINDER, TOPIC}
    assert by_conversation["leaders"] == {
        DEADLINE_REMINDER,
        DEADLINE_OVERDUE,
        "recurring_reminder",
    }


def test_no_subscribers_no_items(moments):
    assert plan_deliveries(moments, [], NOW, YEAR).items == ()


def test_cancelled_sessions_get_nothing_and_moved_ones_their_new_time(moments):
    plan = plan_deliveries(moments, subs(topics=["fredagsprat"]), NOW, YEAR)
    assert not [i for i in plan.items if i.item_id == "fredagsprat-2027-05"]  # cancelled
    moved = [w for w in when(plan.items) if w[2] == "fredagsprat-2027-03"]
    assert moved == [
        ("05.03.2027 09:00", "topic", "fredagsprat-2027-03"),
        ("18.03.2027 12:00", "session_reminder", "fredagsprat-2027-03"),
        ("19.03.2027 11:45", "session_reminder", "fredagsprat-2027-03"),
    ]


def test_evaluated_deadlines_get_no_reminders(moments):
    plan = plan_deliveries(moments, subs(), datetime(2026, 10, 20, tzinfo=OSLO), YEAR)
    ids = {i.item_id for i in plan.items}
    assert "stl17-journalforing" in ids  # open, due 12.11.2026
    assert not ids & {"stl17-muntlige-soknader", "stl17-vedtak-og-frist"}  # evaluated


def test_the_responsible_person_is_reminded_in_a_personal_chat(moments):
    person = "00000000-0000-4000-8000-000000000003"  # stl17-journalforing's
    now = datetime(2026, 10, 20, tzinfo=OSLO)
    plan = plan_deliveries(moments, subs("leaders"), now, personal={person: "a:personal"})
    personal = [i for i in plan.items if i.conversation_id == "a:personal"]
    assert when(personal) == [
        ("29.10.2026 08:00", "deadline_reminder", "stl17-journalforing"),
        ("05.11.2026 08:00", "deadline_reminder", "stl17-journalforing"),
        ("11.11.2026 08:00", "deadline_reminder", "stl17-journalforing"),
    ]  # the overdue notice goes to the leaders only
    assert [i.kind for i in plan.items if i.item_id == "stl17-journalforing"].count(
        DEADLINE_OVERDUE
    ) == 1


def test_grace_and_subscription_start(moments):
    # 16.11 08:00 is the 14-day reminder: 5 hours late is within the grace of 6 hours ...
    late = datetime(2026, 11, 16, 13, 0, tzinfo=OSLO)
    assert "16.11.2026 08:00" in [w[0] for w in when(plan_deliveries(moments, subs(), late).items)]
    # ... 7 hours late is not, and neither is what fell due before the subscription began.
    later = datetime(2026, 11, 16, 15, 0, tzinfo=OSLO)
    assert "16.11.2026 08:00" not in [
        w[0] for w in when(plan_deliveries(moments, subs(), later).items)
    ]
    fresh = subs(since=datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    assert "16.11.2026 08:00" not in [
        w[0] for w in when(plan_deliveries(moments, fresh, late).items)
    ]


def test_settings_change_offsets_and_times(moments):
    settings = PlannerSettings(
        deadline_offsets_days=(3,),
        deadline_time=time(7, 30),
        overdue_notice=False,
        recurring_offsets_days=(),
        session_reminders=(timedelta(hours=2),),
        invitation_days_before=10,
        post_time=time(10, 0),
    )
    plan = plan_deliveries(moments, subs(), NOW, settings)
    assert when(plan.items) == [
        ("17.11.2026 10:00", "invitation", "fredagsprat-2026-11"),
        ("27.11.2026 07:30", "deadline_reminder", "stl17-rutinehandbok-alle"),
        ("27.11.2026 10:00", "session_reminder", "fredagsprat-2026-11"),
    ]


def test_an_evaluated_deadline_drops_out_of_the_plan(moments):
    open_one = [m for m in moments if m.item_id == "stl17-rutinehandbok-alle"]
    evaluated = [dataclasses.replace(m, status="evaluated") for m in open_one]
    assert plan_deliveries(open_one, subs(), NOW).items
    assert plan_deliveries(evaluated, subs(), NOW).items == ()


def test_now_must_be_aware(moments):
    with pytest.raises(ValueError):
        plan_deliveries(moments, subs(), datetime(2026, 11, 16))


def test_reminders_expire_when_their_moment_has_come(moments):
    plan = plan_deliveries(moments, subs(), NOW)
    expiry = {(i.kind, i.payload["offset"]): i.expires_at for i in plan.items}
    start = datetime(2026, 11, 27, 12, 0, tzinfo=OSLO)
    assert expiry[("session_reminder", "15m")] == start
    assert expiry[("session_reminder", "1d")] == start
    assert expiry[("deadline_reminder", "1d")] == datetime(2026, 11, 30, tzinfo=OSLO)
    assert expiry[("deadline_overdue", "")] is None  # only the grace period


def test_invitation_when_a_session_is_added_goes_out_at_once_and_once(moments):
    settings = PlannerSettings(invitation_days_before=ADDED)
    first = plan_deliveries(moments, subs(), NOW, settings)
    invitations = [i for i in first.items if i.kind == "invitation"]
    # every session starting within the horizon (60 days), due now, expiring at its start
    assert [i.item_id for i in invitations] == ["fredagsprat-2026-11"]
    assert invitations[0].due_at == NOW and invitations[0].expires_at > NOW
    later = NOW + timedelta(hours=1)
    again = [i for i in plan_deliveries(moments, subs(), later, settings).items]
    # planned again on every tick with the same key: the outbox keeps the first row only
    assert [i.dedupe_key for i in again if i.kind == "invitation"] == [invitations[0].dedupe_key]
    # a subscriber who comes later is invited too; a session already started is not
    assert any(
        i.kind == "invitation"
        for i in plan_deliveries(moments, subs("c2", since=later), later, settings).items
    )
    after_start = datetime(2026, 11, 27, 12, 30, tzinfo=OSLO)
    assert not [
        i
        for i in plan_deliveries(moments, subs(), after_start, settings).items
        if i.kind == "invitation" and i.item_id == "fredagsprat-2026-11"
    ]
