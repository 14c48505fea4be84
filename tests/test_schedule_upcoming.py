"""Due moments: what the CLI lists and the reminder machinery will act on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from schedule.loader import load
from schedule.model import OSLO, DueKind, Schedule
from schedule.paths import SHIPPED_DIR
from schedule.upcoming import (
    describe,
    due_moments,
    format_line,
    next_session,
    overdue,
    upcoming,
)
from tests.conftest import NOW


@pytest.fixture(scope="module")
def shipped() -> Schedule:
    return load(SHIPPED_DIR)[0]


def test_next_session_of_the_shipped_example(shipped: Schedule) -> None:
    sessions = [d for d in upcoming(shipped, NOW, days=14) if d.kind == DueKind.SESSION]

    assert sessions[0].at == datetime(2026, 11, 27, 12, 0, tzinfo=OSLO)
    assert sessions[0].title == (
        "Fredagsprat med Statsforvalteren: Tilgjengelighet til sosiale tjenester"
    )
    assert sessions[0].url.startswith("https://teams.microsoft.com/")
    assert format_line(sessions[0]) == (
        "fre. 27.11.2026 12:00  "
        "Fredagsprat med Statsforvalteren: Tilgjengelighet til sosiale tjenester"
    )


def test_window_edges_for_timed_moments(shipped: Schedule) -> None:
    session = datetime(2026, 11, 27, 12, 0, tzinfo=OSLO)

    def sessions(now: datetime) -> list[datetime]:
        return [d.at for d in upcoming(shipped, now, days=2) if d.kind == DueKind.SESSION]

    assert sessions(session - timedelta(days=2)) == [session]  # the end is inclusive
    assert sessions(session - timedelta(days=2, minutes=1)) == []
    assert sessions(session) == [session]
    assert sessions(session + timedelta(minutes=1)) == []  # started: no longer coming


def test_all_day_items_count_for_the_whole_day(shipped: Schedule) -> None:
    # At 10:00 on the day of an all-day deadline, it is still "coming".
    day = datetime(2026, 11, 30, 10, 0, tzinfo=OSLO)
    ids = [(d.kind, d.item_id) for d in upcoming(shipped, day, days=0)]

    assert ids == [(DueKind.EVALUATE, "stl17-rutinehandbok-alle")]


def test_overdue_lists_open_deadlines_past_their_date(shipped: Schedule) -> None:
    late = overdue(shipped, NOW)

    assert [(d.item_id, d.day) for d in late] == [("stl17-journalforing", date(2026, 11, 12))]
    assert late[0].teams_user_id == "00000000-0000-4000-8000-000000000003"
    assert describe(late[0]) == (
        "Evalueringsfrist: Journalføring av rådgivningen og kvartalsvise stikkprøver "
        "(ansvarlig: Avdelingsleder kommunale tjenester)"
    )


def test_due_moments_cover_every_kind_with_stable_unique_keys(shipped: Schedule) -> None:
    moments = due_moments(shipped)
    again = due_moments(load(SHIPPED_DIR)[0])

    assert [d.key for d in moments] == [d.key for d in again]
    assert len({d.key for d in moments}) == len(moments)
    assert [d.at for d in moments] == sorted(d.at for d in moments)
    counts = {kind: sum(d.kind == kind for d in moments) for kind in DueKind}
    assert counts[DueKind.SESSION] == len(shipped.sessions)
    assert counts[DueKind.START] == counts[DueKind.EVALUATE] == len(shipped.deadlines)
    assert counts[DueKind.TOPIC] == 13  # every session but the cancelled one
    assert counts[DueKind.RECURRING] == 8 + 5 + 3 + 4 + 6 + 3 + 3


def test_topic_publication_moment(shipped: Schedule) -> None:
    (topic,) = [
        d
        for d in due_moments(shipped)
        if d.kind == DueKind.TOPIC and d.item_id == "fredagsprat-2027-01"
    ]

    assert topic.all_day and topic.day == date(2027, 1, 15)
    assert (
        describe(topic) == "Tema legges ut: Fredagsprat med Statsforvalteren fredag 29. januar 2027"
    )


def test_moved_and_cancelled_sessions_carry_their_status(shipped: Schedule) -> None:
    by_id = {d.item_id: d for d in due_moments(shipped) if d.kind == DueKind.SESSION}

    assert by_id["fredagsprat-2027-03"].at == datetime(2027, 3, 19, 12, 0, tzinfo=OSLO)
    assert describe(by_id["fredagsprat-2027-03"]).endswith(" – flyttet")
    assert by_id["fredagsprat-2027-05"].status == "cancelled"
    assert describe(by_id["fredagsprat-2027-05"]).endswith(" – AVLYST")


def test_recurring_moment_line(shipped: Schedule) -> None:
    (first,) = [d for d in due_moments(shipped) if d.item_id == "stikkprover-stl17"][:1]

    assert format_line(first) == (
        "fre. 15.01.2027        Årshjul: Stikkprøver av saksbehandling etter § 17 "
        "(ansvarlig: Avdelingsleder og fagutviklere)"
    )


def test_now_must_be_aware(shipped: Schedule) -> None:
    with pytest.raises(ValueError):
        upcoming(shipped, datetime(2026, 11, 23, 10, 0))


def test_next_session_skips_ended_and_cancelled_ones(shipped: Schedule) -> None:
    assert next_session(shipped, NOW).id == "fredagsprat-2026-11"
    # During the session it is still "the next one"; after it ends, the next month's.
    during = datetime(2026, 11, 27, 12, 30, tzinfo=OSLO)
    assert next_session(shipped, during).id == "fredagsprat-2026-11"
    after = datetime(2026, 11, 27, 13, 0, tzinfo=OSLO)
    assert next_session(shipped, after).id == "fredagsprat-2027-01"
    cancelled = [s for s in shipped.sessions if s.status == "cancelled"]
    assert cancelled
    before_cancelled = cancelled[0].starts_at - timedelta(days=1)
    assert next_session(shipped, before_cancelled).id != cancelled[0].id
    assert next_session(shipped, datetime(2030, 1, 1, tzinfo=OSLO)) is None
