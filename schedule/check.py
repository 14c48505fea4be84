"""Rules that look at several entries at once, or warn without refusing an entry.

The per-value rules (a wrong date, an end before the start, an unknown status, an RRULE that
never ends …) are applied where each entry is read (``schedule.entries``); the ones here need
the whole directory: ids must be unique across all files, and a cancelled or moved session
whose ``revision`` was never raised is worth a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from schedule.model import Deadline, Origin, Problem, RecurringItem, Session, SessionStatus

E = TypeVar("E", Session, Deadline, RecurringItem)


def cross_check(entries: Sequence[E], problems: list[Problem]) -> list[E]:
    """Drop every entry whose id was used before (in any file); add warnings. Keeps order."""
    seen: dict[str, Origin] = {}
    kept: list[E] = []
    for entry in entries:
        first = seen.get(entry.id)
        if first is not None:
            problems.append(
                Problem(
                    entry.origin.path,
                    entry.origin.line,
                    f"id «{entry.id}» er allerede brukt i {first}",
                )
            )
            continue
        seen[entry.id] = entry.origin
        kept.append(entry)
        problems.extend(_warnings(entry))
    return kept


def _warnings(entry: Session | Deadline | RecurringItem) -> list[Problem]:
    if isinstance(entry, Session) and entry.status != SessionStatus.PLANNED and not entry.revision:
        status = "avlyst" if entry.status == SessionStatus.CANCELLED else "flyttet"
        return [
            Problem(
                entry.origin.path,
                entry.origin.line,
                f"samlingen «{entry.id}» er {status}, men revision er 0: øk revision "
                "(og changed) så kalendere som alt har den, tar imot endringen",
                warning=True,
            )
        ]
    return []
