"""RFC 5545 recurrence rules for the yearly cycle (årshjul): checking and expansion.

Expansion is dateutil's ``rrule``; nothing here does date arithmetic by hand. Only finite rules
are accepted: a rule without COUNT or UNTIL never ends, and is refused rather than cut off at
some horizon, so the calendar clients and Rutinebot always agree on the last occurrence.
Timed rules are expanded in local Oslo wall-clock time (a 09:00 item stays 09:00 across the
summer-time switch), as RFC 5545 prescribes for a DTSTART with a TZID.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from dateutil.rrule import rrulestr
from icalendar.prop import vRecur

from schedule.fields import FieldError
from schedule.model import OSLO, RecurringItem

#: Upper bound on occurrences of one rule; more is a typo (or a rule that means "forever").
MAX_OCCURRENCES = 500

_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_PARTS = {
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
}


def normalise_rrule(text: str, dtstart: date | datetime) -> str:
    """Check ``text`` as an RRULE for ``dtstart`` and return it as it is written to calendars.

    Raises ``FieldError`` (Norwegian message) for a rule that cannot be parsed, never ends,
    recurs more often than daily, yields no occurrence or more than ``MAX_OCCURRENCES``, or
    does not start at ``dtstart`` (RFC 5545 leaves such a set undefined: clients disagree).
    UNTIL is written as a DATE for an all-day ``dtstart`` and in UTC for a timed one.
    """
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    parts = [part for part in rule.split(";") if part.strip()]
    names = {part.split("=", 1)[0].strip().upper() for part in parts}
    unknown = sorted(names - _PARTS)
    if not parts or any("=" not in part for part in parts) or unknown:
        what = f" (ukjent del: {', '.join(unknown)})" if unknown else ""
        raise FieldError(f"RRULE «{text}» kan ikke tolkes{what}")
    try:
        recur = vRecur.from_ical(rule)
    except ValueError as exc:
        raise FieldError(f"RRULE «{text}» kan ikke tolkes: {exc}") from None
    freq = recur.get("FREQ", [""])[0]
    if freq not in _FREQUENCIES:
        raise FieldError(
            f"RRULE «{text}»: FREQ må være en av {', '.join(_FREQUENCIES)}, ikke «{freq}»"
        )
    if "COUNT" in recur and "UNTIL" in recur:
        raise FieldError(f"RRULE «{text}» har både COUNT og UNTIL; bruk bare én av dem")
    if "COUNT" not in recur and "UNTIL" not in recur:
        raise FieldError(
            f"RRULE «{text}» slutter aldri; legg til COUNT=… eller UNTIL=… "
            "(f.eks. COUNT=8 eller UNTIL=20281231)"
        )
    if "UNTIL" in recur:
        recur["UNTIL"] = [_normalise_until(recur["UNTIL"][0], dtstart)]
    normalised = vRecur(recur).to_ical().decode()
    try:
        starts = list(islice(_rule(normalised, dtstart), MAX_OCCURRENCES + 1))
    except (ValueError, TypeError) as exc:
        raise FieldError(f"RRULE «{text}» kan ikke tolkes: {exc}") from None
    if not starts:
        raise FieldError(f"RRULE «{text}» gir ingen forekomster fra {dtstart.isoformat()}")
    first = starts[0] if isinstance(dtstart, datetime) else starts[0].date()
    if first != dtstart:
        raise FieldError(
            f"dtstart {dtstart.isoformat()} er ikke en forekomst av RRULE «{text}» "
            f"(første forekomst blir {first.isoformat()}); la dtstart være første forekomst"
        )
    if len(starts) > MAX_OCCURRENCES:
        raise FieldError(f"RRULE «{text}» gir mer enn {MAX_OCCURRENCES} forekomster")
    return normalised


def occurrences(item: RecurringItem) -> tuple[date | datetime, ...]:
    """Every start of ``item``, in order: dates for all-day items, aware Oslo datetimes else."""
    starts = _rule(item.rrule, item.dtstart)
    if item.all_day:
        return tuple(start.date() for start in starts)
    return tuple(starts)


def occurrences_between(
    item: RecurringItem, start: datetime, end: datetime
) -> tuple[date | datetime, ...]:
    """The starts of ``item`` in [``start``, ``end``); all-day items compare by Oslo date."""
    if item.all_day:
        first, last = start.astimezone(OSLO).date(), end.astimezone(OSLO).date()
        return tuple(d for d in occurrences(item) if first <= d < last)
    return tuple(t for t in occurrences(item) if start <= t < end)


def _rule(rule: str, dtstart: date | datetime):  # -> dateutil rrule
    if isinstance(dtstart, datetime):
        return rrulestr(rule, dtstart=dtstart)
    return rrulestr(rule, dtstart=datetime.combine(dtstart, time(0)))


def _normalise_until(until: date | datetime, dtstart: date | datetime) -> date | datetime:
    if not isinstance(dtstart, datetime):  # all-day: UNTIL is a DATE
        if isinstance(until, datetime):
            return (until.astimezone(OSLO) if until.tzinfo else until).date()
        return until
    if not isinstance(until, datetime):  # a date: through the end of that day in Oslo
        until = datetime.combine(until, time(0), OSLO) + timedelta(days=1, seconds=-1)
    elif until.tzinfo is None:  # local time: Oslo
        until = until.replace(tzinfo=OSLO)
    return until.astimezone(UTC)
