"""One YAML entry (a mapping of keys to value nodes) → a Session, Deadline or RecurringItem.

Every problem names the line of the offending value. An entry with an error is dropped
(``None``); the caller keeps the others.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from schedule import fields as F
from schedule.model import (
    DAY,
    Deadline,
    DeadlineStatus,
    Origin,
    Problem,
    RecurringItem,
    Session,
    SessionStatus,
    Slot,
)
from schedule.recurrence import normalise_rrule

#: key → (key node, value node); the loader fills it from the file (defaults merged in).
Items = dict[str, tuple[yaml.Node, yaml.Node]]

COMMON_KEYS = ("id", "revision", "changed")
SESSION_KEYS = (
    *COMMON_KEYS,
    *("date", "start", "end", "timezone", "title", "topic", "topic_published", "join_url"),
    *("organiser", "status", "moved_to", "note"),
)
DEADLINE_KEYS = (
    *COMMON_KEYS,
    *("title", "source", "breach", "measure", "responsible", "teams_user_id", "start"),
    *("evaluate_by", "status", "evaluated_on", "note"),
)
RECURRING_KEYS = (
    *COMMON_KEYS,
    *("title", "description", "responsible", "teams_user_id", "dtstart", "duration"),
    *("timezone", "rrule"),
)
MOVED_TO_KEYS = ("date", "start", "end")
NULL_TAG = "tag:yaml.org,2002:null"


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def unknown_key_message(key: str, allowed: tuple[str, ...]) -> str:
    if key == "<<":
        return "YAML-fletting («<<») støttes ikke; bruk «defaults:» øverst i filen"
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f" (mente du «{close[0]}»?)" if close else ""
    return f"ukjent felt «{key}»{hint}"


def mapping_items(node: yaml.MappingNode, path: Path, problems: list[Problem]) -> Items:
    """The keys of a mapping node; a repeated key or a key that is not text is a problem."""
    items: Items = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, line_of(key_node), "en nøkkel må være tekst"))
            continue
        key = key_node.value
        if key in items:
            first = line_of(items[key][0])
            problems.append(
                Problem(
                    path,
                    line_of(key_node),
                    f"feltet «{key}» står to ganger (først på linje {first})",
                )
            )
            continue
        items[key] = (key_node, value_node)
    return items


class Fields:
    """The keys of one entry, read one at a time; problems go to ``problems``."""

    def __init__(
        self,
        path: Path,
        line: int,
        items: Items,
        allowed: tuple[str, ...],
        problems: list[Problem],
        from_defaults: frozenset[str] = frozenset(),
    ) -> None:
        self.path, self.line, self.items, self.problems = path, line, items, problems
        self.from_defaults = from_defaults
        self.failed = False
        self.missing: list[str] = []
        for key, (key_node, _) in items.items():
            if key not in allowed:
                self.error_at(line_of(key_node), unknown_key_message(key, allowed))

    def error_at(self, line: int, message: str, *, warning: bool = False) -> None:
        self.problems.append(Problem(self.path, line, message, warning))
        self.failed = self.failed or not warning

    def line_of(self, key: str) -> int:
        return line_of(self.items[key][1]) if key in self.items else self.line

    def error(self, key: str, message: str, *, warning: bool = False) -> None:
        if key in self.from_defaults:
            message += " (verdi fra defaults)"
        self.error_at(self.line_of(key), message, warning=warning)

    def node(self, key: str) -> yaml.Node | None:
        entry = self.items.get(key)
        return entry[1] if entry else None

    def get(
        self,
        key: str,
        parse: Callable[[str], Any],
        *,
        required: bool = False,
        default: Any = None,
    ) -> Any:
        """The parsed value of ``key``; ``default`` if absent (or an error if ``required``)."""
        node = self.node(key)
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG):
            if required and key not in self.missing:
                self.missing.append(key)
                self.failed = True
            return default
        if not isinstance(node, yaml.ScalarNode):
            self.error(key, f"«{key}» skal være én verdi, ikke en liste eller tabell")
            return default
        try:
            value = parse(node.value)
        except F.FieldError as exc:
            self.error(key, f"{key}: {exc}")
            return default
        if required and value == "":
            self.error(key, f"«{key}» kan ikke være tom")
        return value

    def report_missing(self) -> None:
        """One problem (at the entry's first line) naming every required key that is absent."""
        if self.missing:
            names = ", ".join(f"«{key}»" for key in self.missing)
            noun = "påkrevd felt" if len(self.missing) == 1 else "påkrevde felt"
            self.error_at(self.line, f"mangler {noun} {names}")

    def text(self, key: str, *, required: bool = False) -> str:
        return self.get(key, F.parse_text, required=required, default="")

    def common(self) -> tuple[str, int, datetime]:
        """``id``, ``revision`` and ``changed``, which every kind has; checks ``timezone``."""
        self.get("timezone", F.parse_timezone)
        return (
            self.get("id", F.parse_id, required=True),
            self.get("revision", F.parse_revision, default=0),
            self.get("changed", F.parse_changed, required=True),
        )


def _choice(values: type) -> Callable[[str], str]:
    choices = tuple(v.value for v in values)
    return lambda text: F.parse_choice(text, choices)


def build_session(f: Fields) -> Session | None:
    entry_id, revision, changed = f.common()
    slot = _slot(f)
    status = f.get("status", _choice(SessionStatus), required=True)
    moved_to = None
    node = f.node("moved_to")
    if node is not None:
        if status != SessionStatus.MOVED:
            f.error("moved_to", "«moved_to» gjelder bare når status er «moved»")
        elif not isinstance(node, yaml.MappingNode):
            f.error("moved_to", "«moved_to» skal være en tabell med date, start og end")
        else:
            moved_to = _moved_to(f, node, slot)
    elif status == SessionStatus.MOVED:
        f.error("status", "status «moved» krever «moved_to» med ny date (og ev. start/end)")
    topic_published = f.get("topic_published", F.parse_date)
    if slot and topic_published and topic_published > slot.date:
        f.error("topic_published", "topic_published er etter selve samlingen")
    session = dict(
        title=f.text("title", required=True),
        topic=f.text("topic"),
        join_url=f.get("join_url", F.parse_https_url, required=True),
        organiser=f.text("organiser", required=True),
        note=f.text("note"),
    )
    if f.failed:
        return None
    return Session(
        id=entry_id,
        slot=slot,
        topic_published=topic_published,
        status=SessionStatus(status),
        moved_to=moved_to,
        revision=revision,
        changed=changed,
        origin=Origin(f.path, f.line),
        **session,
    )


def _slot(f: Fields, base: Slot | None = None) -> Slot | None:
    day = f.get("date", F.parse_date, required=True)
    start = f.get("start", F.parse_time, required=base is None, default=base and base.start)
    end = f.get("end", F.parse_time, required=base is None, default=base and base.end)
    if start is not None and end is not None and end <= start:
        later = max(("start", "end"), key=lambda key: (key not in f.from_defaults, f.line_of(key)))
        f.error(later, f"slutt {end:%H:%M} er ikke etter start {start:%H:%M}")
        return None
    if day is None or start is None or end is None:
        return None
    return Slot(day, start, end)


def _moved_to(f: Fields, node: yaml.MappingNode, original: Slot | None) -> Slot | None:
    before = len(f.problems)
    items = mapping_items(node, f.path, f.problems)
    inner = Fields(f.path, line_of(node), items, MOVED_TO_KEYS, f.problems)
    inner.failed = len(f.problems) > before
    slot = _slot(inner, base=original)
    inner.report_missing()
    f.failed = f.failed or inner.failed
    if slot is not None and original is not None and slot == original:
        f.error("moved_to", "«moved_to» er samme tid som før; da er status «planned»")
    return slot


def build_deadline(f: Fields) -> Deadline | None:
    entry_id, revision, changed = f.common()
    start = f.get("start", F.parse_date, required=True)
    evaluate_by = f.get("evaluate_by", F.parse_date, required=True)
    if start and evaluate_by and evaluate_by < start:
        f.error("evaluate_by", f"evaluate_by {evaluate_by} er før start {start}")
    status = f.get("status", _choice(DeadlineStatus), required=True)
    evaluated_on = f.get("evaluated_on", F.parse_date)
    if status == DeadlineStatus.EVALUATED and evaluated_on is None:
        f.error("status", "status «evaluated» krever «evaluated_on» (datoen for evalueringen)")
    if status == DeadlineStatus.OPEN and evaluated_on is not None:
        f.error("evaluated_on", "«evaluated_on» er satt, men status er «open»")
    teams_user_id = f.text("teams_user_id") or None
    deadline = dict(
        title=f.text("title", required=True),
        source=f.text("source"),
        breach=f.text("breach", required=True),
        measure=f.text("measure", required=True),
        responsible=f.text("responsible", required=True),
        note=f.text("note"),
    )
    if f.failed:
        return None
    return Deadline(
        id=entry_id,
        teams_user_id=teams_user_id,
        start=start,
        evaluate_by=evaluate_by,
        status=DeadlineStatus(status),
        evaluated_on=evaluated_on,
        revision=revision,
        changed=changed,
        origin=Origin(f.path, f.line),
        **deadline,
    )


def build_recurring(f: Fields) -> RecurringItem | None:
    entry_id, revision, changed = f.common()
    dtstart: date | datetime | None = f.get("dtstart", F.parse_date_or_datetime, required=True)
    duration: timedelta | None = f.get("duration", F.parse_duration)
    if isinstance(dtstart, datetime):
        if duration is None:
            f.error("dtstart", "et tidspunkt i dtstart krever «duration» (f.eks. PT1H)")
    elif dtstart is not None:
        if duration is None:
            duration = DAY
        elif duration % DAY:
            f.error("duration", "heldagsoppgaver (dtstart uten klokkeslett) varer hele dager")
    rrule = None
    if dtstart is not None:
        rrule = f.get("rrule", lambda text: normalise_rrule(text, dtstart), required=True)
    item = dict(
        title=f.text("title", required=True),
        description=f.text("description"),
        responsible=f.text("responsible", required=True),
        teams_user_id=f.text("teams_user_id") or None,
    )
    if f.failed:
        return None
    return RecurringItem(
        id=entry_id,
        rrule=rrule,
        dtstart=dtstart,
        duration=duration,
        revision=revision,
        changed=changed,
        origin=Origin(f.path, f.line),
        **item,
    )
