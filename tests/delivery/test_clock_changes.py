"""The days the clocks change in Oslo: a session's reminders (bot/delivery/planner.py) and its
cancel and move notices (bot/delivery/session_notices.py) keep to the real moments.

Found by running the suite at such moments under libfaketime (tests/test_instances.py puts a
session 10 minutes after the wall clock); here the moments are fixed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.delivery.outbox import PLANNED, Delivery
from bot.delivery.planner import FREDAGSPRAT, SESSION_REMINDER, plan_deliveries
from bot.delivery.session_notices import SESSION_MOVED, plan_session_notices
from bot.store import Subscription
from schedule.loader import load
from schedule.model import OSLO
from schedule.upcoming import due_moments
from tests.conftest import session_yaml

CHAT = "19:office@thread.tacv2"


def reminder_for(session, row_id: int = 1) -> Delivery:
    """The outbox row of a reminder planned for ``session`` as it stood (its ``at``)."""
    at = session.starts_at.isoformat()
    return Delivery(
        id=row_id,
        dedupe_key=f"{SESSION_REMINDER}|session:{session.id}:{at}|15m|{CHAT}",
        conversation_id=CHAT,
        kind=SESSION_REMINDER,
        item_id=session.id,
        due_at=session.starts_at - timedelta(minutes=15),
        payload={"at": at, "title": session.title},
        status=PLANNED,
        expires_at=session.starts_at,
        attempts=0,
        claimed_by=None,
        lease_until=None,
        last_error=None,
        sent_at=None,
        updated_at=session.starts_at,
    )


@pytest.mark.parametrize(
    "day",
    [
        "2027-03-28",  # 02:30 does not exist: the clocks go from 02:00 to 03:00
        "2027-10-31",  # 02:30 comes twice: the clocks go from 03:00 back to 02:00
        "2027-01-29",  # an ordinary day
    ],
)
def test_a_session_at_the_same_time_is_not_announced_as_moved(tmp_path: Path, day: str):
    (tmp_path / "sessions.yaml").write_text(
        "sessions:\n" + session_yaml("fp", day, start='"02:30"', end='"03:30"'), "utf-8"
    )
    schedule, problems = load(tmp_path)
    assert not [p for p in problems if not p.warning], problems
    [session] = schedule.sessions
    subscribers = [Subscription(CHAT, FREDAGSPRAT, datetime(2027, 1, 1, tzinfo=UTC))]
    now = datetime(2027, 1, 2, tzinfo=UTC)

    history = [reminder_for(session)]
    assert plan_session_notices(schedule.sessions, history, subscribers, now) == []

    # A real move on such a day is still announced.
    (tmp_path / "sessions.yaml").write_text(
        "sessions:\n" + session_yaml("fp", day, start='"04:30"', end='"05:30"', revision="1"),
        "utf-8",
    )
    moved, _ = load(tmp_path)
    [notice] = plan_session_notices(moved.sessions, history, subscribers, now)
    assert notice.kind == SESSION_MOVED and notice.conversation_id == CHAT


def write_session(directory: Path, day: str, start: str, end: str, revision: str = "0") -> None:
    (directory / "sessions.yaml").write_text(
        "sessions:\n"
        + session_yaml("fp", day, start=f'"{start}"', end=f'"{end}"', revision=revision),
        "utf-8",
    )


@pytest.mark.parametrize(
    ("day", "start", "fifteen_before", "day_before"),
    [
        # 03:05 summer time is 01:05 UTC; 15 minutes before is 01:50 winter time (00:50 UTC),
        # not "02:50", which does not exist and would be read as 01:50 UTC, after the start.
        ("2027-03-28", "03:05", "2027-03-28T01:50:00+01:00", "2027-03-27T03:05:00+01:00"),
        # 03:05 winter time is 02:05 UTC; 15 minutes before is 02:50 winter time, the hour
        # after the repeated one (the clock said 02:50 an hour earlier too, in summer time).
        ("2027-10-31", "03:05", "2027-10-31T02:50:00+01:00", "2027-10-30T03:05:00+02:00"),
        ("2027-01-29", "12:00", "2027-01-29T11:45:00+01:00", "2027-01-28T12:00:00+01:00"),
    ],
)
def test_reminders_are_due_the_right_time_before_the_start(
    tmp_path: Path, day: str, start: str, fifteen_before: str, day_before: str
):
    write_session(tmp_path, day, start, "04:00" if start < "04:00" else "13:00")
    schedule, _ = load(tmp_path)
    subscribers = [Subscription(CHAT, FREDAGSPRAT, datetime(2027, 1, 1, tzinfo=UTC))]
    starts = schedule.sessions[0].starts_at
    plan = plan_deliveries(due_moments(schedule), subscribers, starts - timedelta(days=2))
    due = {item.dedupe_key.split("|")[2]: item.due_at for item in plan.items}
    assert due["15m"].astimezone(UTC) == starts.astimezone(UTC) - timedelta(minutes=15)
    assert due["15m"].astimezone(UTC) == datetime.fromisoformat(fifteen_before)
    # The day before goes by the calendar: the same time of day, whatever the clocks did.
    assert due["1d"].astimezone(OSLO).isoformat() == day_before
