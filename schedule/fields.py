"""Parsing of single YAML scalar values into Python values, with Norwegian error messages.

The loader hands over the scalar's text exactly as written (YAML's own type guessing is not
used: it would read ``12:00`` as the number 720 and ``2027-02-30`` as a string).
Each function returns the value or raises ``FieldError`` with a message for the editor.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from icalendar.prop import vDuration

from schedule.model import OSLO, TZID


class FieldError(ValueError):
    """A value that cannot be used; the message is shown to the editor as it is."""


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2})$")
_WITH_OFFSET = re.compile(
    r"^(\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(:\d{2})?\s*(Z|[+-]\d{2}(:?\d{2})?)$", re.IGNORECASE
)
_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


def _reject_offset(text: str) -> None:
    if _WITH_OFFSET.match(text):
        raise FieldError(
            f"«{text}» har tidssone eller UTC-offset; skriv lokal tid uten offset "
            f"(alle tider gjelder {TZID})"
        )


def parse_date(text: str) -> date:
    """``2027-01-29`` → date."""
    if not _DATE.match(text):
        raise FieldError(f"«{text}» er ikke en dato (skriv ÅÅÅÅ-MM-DD, f.eks. 2027-01-29)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(f"«{text}» er ikke en gyldig dato (finnes ikke i kalenderen)") from None


def parse_time(text: str) -> time:
    """``12:00`` → time (local Oslo time)."""
    _reject_offset(text)
    match = _TIME.match(text)
    if not match:
        raise FieldError(f"«{text}» er ikke et klokkeslett (skriv TT:MM, f.eks. 12:00)")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise FieldError(f"«{text}» er ikke et gyldig klokkeslett")
    return time(hour, minute)


def parse_date_or_datetime(text: str) -> date | datetime:
    """``2027-01-15`` → date; ``2027-01-15 09:00`` or ``2027-01-15T09:00`` → aware Oslo datetime."""
    _reject_offset(text)
    if _DATE.match(text):
        return parse_date(text)
    match = _DATETIME.match(text)
    if not match:
        raise FieldError(
            f"«{text}» er verken dato eller tidspunkt (skriv ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM)"
        )
    day, clock = parse_date(match.group(1)), parse_time(match.group(2))
    return datetime.combine(day, clock, OSLO)


def parse_changed(text: str) -> datetime:
    """When an entry was last edited: a date (midnight) or a local date and time."""
    value = parse_date_or_datetime(text)
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time(0), OSLO)


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 / RFC 5545 duration such as ``PT1H``, ``PT90M`` or ``P1D``."""
    try:
        value = vDuration.from_ical(text.strip().upper())
    except ValueError:
        raise FieldError(
            f"«{text}» er ikke en varighet (skriv f.eks. PT1H, PT90M eller P1D)"
        ) from None
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise FieldError(f"varigheten «{text}» må være større enn null")
    return value


def parse_revision(text: str) -> int:
    """A whole number ≥ 0."""
    if not re.fullmatch(r"\d{1,6}", text):
        raise FieldError(f"«{text}» er ikke et heltall ≥ 0")
    return int(text)


def parse_id(text: str) -> str:
    """A stable id used in UIDs and URLs: lowercase a–z, digits and hyphens."""
    if not _ID.match(text):
        raise FieldError(
            f"id «{text}» kan bare ha små bokstaver a–z, sifre og bindestrek "
            "(ikke æ/ø/å, mellomrom eller bindestrek først/sist)"
        )
    return text


def parse_https_url(text: str) -> str:
    if not re.fullmatch(r"https://[^\s/]+\.[^\s/]+(/\S*)?", text):
        raise FieldError(f"«{text}» er ikke en https-lenke")
    return text


def parse_text(text: str) -> str:
    return text.strip()


def parse_timezone(text: str) -> str:
    if text != TZID:
        raise FieldError(f"tidssonen må være {TZID}, ikke «{text}»")
    return text


def parse_choice(text: str, choices: tuple[str, ...]) -> str:
    if text not in choices:
        allowed = ", ".join(choices)
        raise FieldError(f"ukjent status «{text}» (tillatt: {allowed})")
    return text
