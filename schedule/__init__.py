"""Rutinebot's schedule: Fredagsprat sessions, the action plan's deadlines and the yearly cycle.

A plain library (no Teams, no web server, no database) over YAML files in one directory; the
format is described in ``schedule/data/README.md``. Time is always passed in (``now``), never
read from the clock. The public surface::

    from schedule import ScheduleStore, fredagsprat_calendar, etag, upcoming

    # Load once; refresh() before serving reloads only when a file changed, and keeps the
    # last good schedule (logging what was refused) when the new files have errors.
    store = ScheduleStore(schedule_dir(os.environ))
    store.refresh()                     # -> bool: a new schedule was taken
    store.schedule                      # -> Schedule (last good)
    store.problems, store.refused       # -> problems of the last load; True while refused

    # Or one-off: load(directory) -> (Schedule, problems); str(problem) is "file:line: message".

    # Calendar feeds (bytes, deterministic for equal input; etag(body) is a strong ETag):
    fredagsprat_calendar(schedule, now, base_url)   # past 90 days and all future sessions
    session_calendar(schedule, session_id, base_url)  # one session; KeyError if unknown
    deadlines_calendar(schedule, base_url)          # deadlines and recurring items (private)
    etag(body)                                      # '"<sha256 prefix>"'

    # What is due (for the CLI and the reminder machinery), as plain Due records:
    due_moments(schedule)               # every session start, topic publication, start and
                                        # evaluation date, recurring occurrence; time order
    upcoming(schedule, now, days=14)    # those within the next days
    overdue(schedule, now)              # evaluation deadlines passed while still open
    next_session(schedule, now)         # the next Fredagsprat not ended or cancelled, or None
    describe(due)                       # one Norwegian line for a Due

    schedule_dir(environ), public_base_url(environ)  # SCHEDULE_DIR / PUBLIC_BASE_URL

The CLI: ``python -m schedule check [DIR]``, ``python -m schedule upcoming [--days N]``,
``python -m schedule ics fredagsprat|frister``.
"""

from schedule.ics import (
    deadlines_calendar,
    etag,
    fredagsprat_calendar,
    session_calendar,
)
from schedule.loader import load
from schedule.model import (
    OSLO,
    Deadline,
    DeadlineStatus,
    Due,
    DueKind,
    Problem,
    RecurringItem,
    Schedule,
    Session,
    SessionStatus,
    Slot,
)
from schedule.paths import SHIPPED_DIR, public_base_url, schedule_dir
from schedule.recurrence import occurrences
from schedule.store import ScheduleStore
from schedule.upcoming import describe, due_moments, next_session, overdue, upcoming

__all__ = [
    "OSLO",
    "SHIPPED_DIR",
    "Deadline",
    "DeadlineStatus",
    "Due",
    "DueKind",
    "Problem",
    "RecurringItem",
    "Schedule",
    "ScheduleStore",
    "Session",
    "SessionStatus",
    "Slot",
    "deadlines_calendar",
    "describe",
    "due_moments",
    "next_session",
    "etag",
    "fredagsprat_calendar",
    "load",
    "occurrences",
    "overdue",
    "public_base_url",
    "schedule_dir",
    "session_calendar",
    "upcoming",
]
